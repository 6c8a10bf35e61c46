import { Form, useSearchParams } from "@remix-run/react";
import { Button, InlineStack, Select, TextField } from "@shopify/polaris";
import { useState } from "react";

const CHOICES = [
  { label: "Last 7 days", value: "7" },
  { label: "Last 30 days", value: "30" },
  { label: "Custom", value: "custom" },
];

/** Last 7 or 30 whole days, or a custom range; the choice lives in the URL so a reload keeps it. */
export function PeriodPicker({ from, to, earliestDate, today }: { from: string; to: string; earliestDate: string; today: string }) {
  const [params, setParams] = useSearchParams();
  const [choice, setChoice] = useState(params.get("period") ?? "7");
  const [start, setStart] = useState(from);
  const [end, setEnd] = useState(to);
  const choose = (value: string) => {
    setChoice(value);
    if (value !== "custom") setParams({ period: value });
  };
  return (
    <Form method="get">
      <InlineStack gap="300" blockAlign="end">
        <Select label="Period" name="period" options={CHOICES} value={choice} onChange={choose} />
        {choice === "custom" ? (
          <>
            <TextField label="From" name="from" type="date" value={start} onChange={setStart} min={earliestDate} max={today} autoComplete="off" />
            <TextField label="To" name="to" type="date" value={end} onChange={setEnd} min={earliestDate} max={today} autoComplete="off" />
            <Button submit>Show</Button>
          </>
        ) : null}
      </InlineStack>
    </Form>
  );
}

import { useFetcher } from "@remix-run/react";
import { Button, FormLayout, InlineStack, Text, TextField } from "@shopify/polaris";
import { useEffect, useState } from "react";
import { useResultToast } from "./use-result-toast";

type FormAnswer = { ok: boolean; message: string; errors: Record<string, string> };

type Props = {
  /** The action's `intent`. */
  intent: string;
  /** The form field's name; `errorKey` when the action reports its problem under another key. */
  name: string;
  errorKey?: string;
  label: string;
  type?: "text" | "password";
  description?: string;
  helpText?: string;
  submitLabel: string;
  primary?: boolean;
  initialValue?: string;
  /** Empty the field once the action succeeded (for secrets that must not linger on the page). */
  clearOnSuccess?: boolean;
  /** Keep the button off until something is typed. */
  requireValue?: boolean;
};

/** One field and its button, posted to the page's action; the answer shows under the field and as a toast. */
export function SingleFieldForm({ intent, name, errorKey = name, label, type = "text", description, helpText, submitLabel, primary = false, initialValue = "", clearOnSuccess = false, requireValue = false }: Props) {
  const fetcher = useFetcher<FormAnswer>();
  useResultToast(fetcher.data);
  const [value, setValue] = useState(initialValue);
  const succeeded = fetcher.state === "idle" && fetcher.data?.ok === true;
  useEffect(() => {
    if (succeeded && clearOnSuccess) setValue("");
  }, [succeeded, clearOnSuccess]);
  const error = fetcher.data?.ok === false ? fetcher.data.errors[errorKey] : undefined;
  return (
    <fetcher.Form method="post">
      <input type="hidden" name="intent" value={intent} />
      <FormLayout>
        {description ? <Text as="p">{description}</Text> : null}
        <TextField label={label} name={name} type={type} value={value} onChange={setValue} autoComplete="off" helpText={helpText} error={error} />
        <InlineStack>
          <Button submit variant={primary ? "primary" : undefined} loading={fetcher.state !== "idle"} disabled={requireValue && !value.trim()}>
            {submitLabel}
          </Button>
        </InlineStack>
      </FormLayout>
    </fetcher.Form>
  );
}

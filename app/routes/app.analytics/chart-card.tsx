import { BlockStack, Card, DataTable, Text } from "@shopify/polaris";
import { Suspense, lazy, useEffect, useState, type ReactNode } from "react";
import type { ChartPoint } from "./types";

const loadCharts = () => import("./charts.client");
const AssistedRevenueChart = lazy(() => loadCharts().then((m) => ({ default: m.AssistedRevenueChart })));
const EscalationsChart = lazy(() => loadCharts().then((m) => ({ default: m.EscalationsChart })));

type Series = { current: ChartPoint[]; previous: ChartPoint[] };

/** The figures as a table: what the server renders, and what shows until the chart has loaded. */
function SeriesTable({ data, format }: { data: Series; format: (n: number) => string }) {
  return (
    <DataTable
      columnContentTypes={["text", "numeric", "numeric"]}
      headings={["", "This period", "Previous period"]}
      rows={data.current.map((point, i) => [point.key, format(point.value), format(data.previous[i]?.value ?? 0)])}
    />
  );
}

function useMounted() {
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  return mounted;
}

function ChartCard({ title, description, table, chart }: { title: string; description: string; table: ReactNode; chart: ReactNode }) {
  const mounted = useMounted();
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {title}
        </Text>
        <Text as="p" tone="subdued">
          {description}
        </Text>
        {mounted ? <Suspense fallback={table}>{chart}</Suspense> : table}
      </BlockStack>
    </Card>
  );
}

export function AssistedRevenueCard({ data, currencyCode }: { data: Series; currencyCode: string }) {
  const money = new Intl.NumberFormat("en", { style: "currency", currency: currencyCode });
  return (
    <ChartCard
      title="Assisted revenue by day"
      description="Orders placed after a conversation, each day of this period next to the same day of the previous one."
      table={<SeriesTable data={data} format={(n) => money.format(n)} />}
      chart={<AssistedRevenueChart data={data} currencyCode={currencyCode} />}
    />
  );
}

export function EscalationsCard({ data }: { data: Series }) {
  return (
    <ChartCard
      title="Escalations by reason"
      description="Conversations the app flagged for your team, by why."
      table={<SeriesTable data={data} format={String} />}
      chart={<EscalationsChart data={data} />}
    />
  );
}

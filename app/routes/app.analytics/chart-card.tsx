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

/** Off screen but read by screen readers: the text equivalent of a drawn chart. */
const VISUALLY_HIDDEN = { position: "absolute", width: 1, height: 1, margin: -1, padding: 0, overflow: "hidden", clip: "rect(0 0 0 0)", whiteSpace: "nowrap", border: 0 } as const;

/** The same figures as the chart, for screen readers once the drawn chart has replaced the visible table. */
function HiddenSeriesTable({ caption, data, format }: { caption: string; data: Series; format: (n: number) => string }) {
  return (
    <div style={VISUALLY_HIDDEN}>
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Day or reason</th>
            <th scope="col">This period</th>
            <th scope="col">Previous period</th>
          </tr>
        </thead>
        <tbody>
          {data.current.map((point, i) => (
            <tr key={point.key}>
              <th scope="row">{point.key}</th>
              <td>{format(point.value)}</td>
              <td>{format(data.previous[i]?.value ?? 0)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const sum = (points: ChartPoint[]) => points.reduce((total, p) => total + p.value, 0);

function useMounted() {
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  return mounted;
}

/** `inert` for React 18, which knows no such prop: the attribute's presence is what counts. */
const INERT = { inert: "" } as object;

/**
 * A chart with its text equivalents. The server renders the figures as a table; once the drawn chart
 * replaces it, the chart is a figure named by a one-sentence summary, and the same table stays,
 * visually hidden, for screen readers. The drawing itself is inert: Polaris Viz's SVG carries ARIA
 * that axe finds broken (role="table" and role="list" without rows or items, circles with role="img"
 * and no name), which the app cannot fix from outside; inert takes it out of the accessibility tree
 * and the tab order, so screen-reader users get the summary and the table instead.
 */
function ChartCard({ title, description, summary, table, hiddenTable, chart }: { title: string; description: string; summary: string; table: ReactNode; hiddenTable: ReactNode; chart: ReactNode }) {
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
        {mounted ? (
          <Suspense fallback={table}>
            <figure aria-label={summary} style={{ margin: 0 }}>
              <div {...INERT}>{chart}</div>
              {hiddenTable}
            </figure>
          </Suspense>
        ) : (
          table
        )}
      </BlockStack>
    </Card>
  );
}

export function AssistedRevenueCard({ data, currencyCode }: { data: Series; currencyCode: string }) {
  const money = new Intl.NumberFormat("en", { style: "currency", currency: currencyCode });
  const days = data.current.length === 1 ? "1 day" : `${data.current.length} days`;
  return (
    <ChartCard
      title="Assisted revenue by day"
      description="Orders placed after a conversation, each day of this period next to the same day of the previous one."
      summary={`Line chart of assisted revenue by day: ${money.format(sum(data.current))} over ${days} this period, against ${money.format(sum(data.previous))} in the previous period. Each day's figures are in the table that follows.`}
      table={<SeriesTable data={data} format={(n) => money.format(n)} />}
      hiddenTable={<HiddenSeriesTable caption="Assisted revenue by day" data={data} format={(n) => money.format(n)} />}
      chart={<AssistedRevenueChart data={data} currencyCode={currencyCode} />}
    />
  );
}

export function EscalationsCard({ data }: { data: Series }) {
  return (
    <ChartCard
      title="Escalations by reason"
      description="Conversations the app flagged for your team, by why."
      summary={`Bar chart of escalations by reason, this period against the previous one: ${data.current.map((p, i) => `${p.key} ${p.value} (previously ${data.previous[i]?.value ?? 0})`).join(", ")}.`}
      table={<SeriesTable data={data} format={String} />}
      hiddenTable={<HiddenSeriesTable caption="Escalations by reason" data={data} format={String} />}
      chart={<EscalationsChart data={data} />}
    />
  );
}

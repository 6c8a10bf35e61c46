import { BarChart, LineChart, PolarisVizProvider } from "@shopify/polaris-viz";
import type { ChartPoint } from "./types";

/**
 * Polaris Viz reads `window` while rendering, so it cannot render on the server: these charts load in
 * the browser only (route.tsx shows the same figures as a table until they arrive).
 */

type Series = { current: ChartPoint[]; previous: ChartPoint[] };

const series = ({ current, previous }: Series) => [
  { name: "This period", data: current },
  { name: "Previous period", data: previous, isComparison: true },
];

export function AssistedRevenueChart({ data, currencyCode }: { data: Series; currencyCode: string }) {
  const money = new Intl.NumberFormat("en", { style: "currency", currency: currencyCode, maximumFractionDigits: 0 });
  return (
    <PolarisVizProvider>
      <div style={{ height: 260 }}>
        <LineChart data={series(data)} theme="Light" yAxisOptions={{ labelFormatter: (value) => money.format(Number(value ?? 0)) }} />
      </div>
    </PolarisVizProvider>
  );
}

export function EscalationsChart({ data }: { data: Series }) {
  return (
    <PolarisVizProvider>
      <div style={{ height: 260 }}>
        <BarChart data={series(data)} theme="Light" />
      </div>
    </PolarisVizProvider>
  );
}

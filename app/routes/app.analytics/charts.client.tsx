import { BarChart, LineChart, PolarisVizProvider } from "@shopify/polaris-viz";
import type { ChartPoint } from "./types";

/**
 * Polaris Viz reads `window` while rendering, so it cannot render on the server: these charts load in
 * the browser only (route.tsx shows the same figures as a table until they arrive).
 *
 * The legend is ours, in HTML under the drawing: Polaris Viz's own legend is measured after its first
 * render, and until then the drawing's height is the container's minus a guess, which came out negative
 * in Chromium 156 ("<svg> attribute height: A negative value is not valid") for a frame.
 */

type Series = { current: ChartPoint[]; previous: ChartPoint[] };

const series = ({ current, previous }: Series) => [
  { name: "This period", data: current },
  { name: "Previous period", data: previous, isComparison: true },
];

function Legend({ comparison }: { comparison: "dotted" | "lighter" }) {
  const swatch = (style: React.CSSProperties) => <span aria-hidden="true" style={{ display: "inline-block", width: 16, verticalAlign: "middle", marginRight: 6, ...style }} />;
  return (
    <p style={{ display: "flex", gap: 16, justifyContent: "center", margin: "8px 0 0", fontSize: 12, color: "#616161" }}>
      <span>
        {swatch({ borderTop: "2px solid #0ea5e9" })}
        This period
      </span>
      <span>
        {swatch(comparison === "dotted" ? { borderTop: "2px dotted #0ea5e9" } : { height: 8, background: "#0284c7" })}
        Previous period
      </span>
    </p>
  );
}

export function AssistedRevenueChart({ data, currencyCode }: { data: Series; currencyCode: string }) {
  const money = new Intl.NumberFormat("en", { style: "currency", currency: currencyCode, maximumFractionDigits: 0 });
  return (
    <PolarisVizProvider>
      <div style={{ height: 236 }}>
        <LineChart data={series(data)} theme="Light" showLegend={false} yAxisOptions={{ labelFormatter: (value) => money.format(Number(value ?? 0)) }} />
      </div>
      <Legend comparison="dotted" />
    </PolarisVizProvider>
  );
}

export function EscalationsChart({ data }: { data: Series }) {
  return (
    <PolarisVizProvider>
      <div style={{ height: 236 }}>
        <BarChart data={series(data)} theme="Light" showLegend={false} />
      </div>
      <Legend comparison="lighter" />
    </PolarisVizProvider>
  );
}

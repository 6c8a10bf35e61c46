import type { AnalyticsSettings } from "../../models/analytics-settings.server";

export type FigureCard = { label: string; value: string; previous: string; change: string; help: string | null };
export type ChartPoint = { key: string; value: number };

export type DashboardView = {
  periodLabel: string;
  previousLabel: string;
  timeZone: string;
  currencyCode: string;
  /** Nothing happened in either period: the page explains instead of showing zeros. */
  empty: boolean;
  oscarProblem: string | null;
  oscarCards: FigureCard[] | null;
  appCards: FigureCard[];
  escalations: { current: ChartPoint[]; previous: ChartPoint[] };
  assistedByDay: { current: ChartPoint[]; previous: ChartPoint[] };
  settings: AnalyticsSettings;
  nextReport: string | null;
  reportChannelSet: boolean;
  earliestDate: string;
  today: string;
  from: string;
  to: string;
};

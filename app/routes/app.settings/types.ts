import type { SerializeFrom } from "@remix-run/node";
import type { action, loader } from "./route";

export type SettingsData = SerializeFrom<typeof loader>;
export type SettingsAction = typeof action;

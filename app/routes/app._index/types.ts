import type { SerializeFrom } from "@remix-run/node";
import type { action, loader } from "./route";

export type HomeData = SerializeFrom<typeof loader>;
export type HomeAction = typeof action;

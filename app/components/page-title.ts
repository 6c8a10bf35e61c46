import type { MetaFunction } from "@remix-run/node";

/** A page's document title, "Analytics · Oscar Chat": what a screen reader announces and a browser tab shows. */
export const pageTitle =
  (page?: string): MetaFunction =>
  () => [{ title: page ? `${page} · Oscar Chat` : "Oscar Chat" }];

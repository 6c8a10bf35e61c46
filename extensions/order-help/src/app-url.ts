/**
 * Where the app runs. An extension's code runs on Shopify's side and cannot read the app's settings, so
 * the build writes the URL in (scripts/build-ui-extensions.ts defines OSCAR_APP_URL from
 * SHOPIFY_APP_URL). Without it the block shows the "unavailable" sentence instead of calling anywhere.
 */
declare const process: { env: { OSCAR_APP_URL?: string } };

export const APP_URL: string = process.env.OSCAR_APP_URL ?? "";

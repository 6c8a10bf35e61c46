import { gid } from "./gid";

/** The store's themes; Shopify records which app embeds are on in the live theme's settings_data.json. */
export type ThemeFileFixture = {
  __typename: "OnlineStoreThemeFile";
  filename: string;
  body: { __typename: "OnlineStoreThemeFileBodyText"; content: string };
};

export type ThemeFixture = {
  __typename: "OnlineStoreTheme";
  id: string;
  name: string;
  role: "MAIN" | "UNPUBLISHED" | "DEVELOPMENT";
  files: ThemeFileFixture[];
};

export const SETTINGS_DATA = "config/settings_data.json";

/** A live theme ("Dawn") with the Oscar Chat app embed switched off, as on a fresh install. */
export function liveTheme(idOffset: number): ThemeFixture {
  return {
    __typename: "OnlineStoreTheme",
    id: gid("OnlineStoreTheme", 600_000_000 + idOffset),
    name: "Dawn",
    role: "MAIN",
    files: [themeFile(SETTINGS_DATA, JSON.stringify({ current: { blocks: {} } }))],
  };
}

export function themeFile(filename: string, content: string): ThemeFileFixture {
  return { __typename: "OnlineStoreThemeFile", filename, body: { __typename: "OnlineStoreThemeFileBodyText", content } };
}

/** What the theme editor writes when the merchant turns an app embed on (or off). */
export function setAppEmbed(theme: ThemeFixture, appHandle: string, blockHandle: string, enabled: boolean): void {
  const file = theme.files.find((f) => f.filename === SETTINGS_DATA) ?? themeFile(SETTINGS_DATA, "{}");
  const settings = JSON.parse(file.body.content) as { current?: { blocks?: Record<string, unknown> } };
  const blocks = (settings.current ??= {}).blocks ??= {};
  blocks["1234567890123456789"] = { type: `shopify://apps/${appHandle}/blocks/${blockHandle}/0f8e1c2a-3b4d-4e5f-8a9b-0c1d2e3f4a5b`, disabled: !enabled, settings: {} };
  file.body.content = JSON.stringify(settings);
  if (!theme.files.includes(file)) theme.files.push(file);
}

import type { PrismaClient } from "@prisma/client";
import { z } from "zod";
import type { Logger } from "../logger.server";
import { MAIN_THEME_SETTINGS_QUERY } from "../graphql/main-theme-settings";
import { saveThemeEmbedCheck, type ThemeEmbedCheckResult } from "../models/theme-embed-check.server";
import { runAdminQuery, type AdminGraphql } from "../shopify/admin-graphql.server";

/** The app embed's block handle: extensions/oscar-chat/blocks/oscar-chat-embed.liquid. */
export const APP_EMBED_HANDLE = "oscar-chat-embed";

/** Opens the live theme's editor on App embeds with Oscar Chat already switched on (the merchant saves). */
export function themeEditorUrl(shop: string, apiKey: string): string {
  return `https://${shop}/admin/themes/current/editor?context=apps&activateAppId=${encodeURIComponent(apiKey)}/${APP_EMBED_HANDLE}`;
}

const MainThemeSchema = z.object({
  themes: z.object({
    nodes: z.array(
      z.object({
        name: z.string(),
        files: z
          .object({ nodes: z.array(z.object({ filename: z.string(), body: z.object({ content: z.string().optional() }) })) })
          .nullable(),
      }),
    ),
  }),
});

const BlockSchema = z.looseObject({ type: z.string(), disabled: z.boolean().optional() });
const SettingsDataSchema = z.looseObject({
  current: z.union([z.string(), z.looseObject({ blocks: z.record(z.string(), z.unknown()).optional() })]).optional(),
  presets: z.record(z.string(), z.looseObject({ blocks: z.record(z.string(), z.unknown()).optional() })).optional(),
});

// App embeds appear in settings_data.json as blocks of type shopify://apps/<app>/blocks/<handle>/<uuid>.
const EMBED_TYPE = new RegExp(`^shopify://apps/[^/]+/blocks/${APP_EMBED_HANDLE}/[^/]+$`);

/**
 * Whether settings_data.json has the app embed switched on. Shopify writes the file with a comment
 * header; `current` is either the settings or the name of a preset that holds them. Returns null
 * when the file cannot be read as theme settings.
 */
export function isAppEmbedOn(settingsData: string): boolean | null {
  let json: unknown;
  try {
    json = JSON.parse(settingsData.replace(/^\s*\/\*[\s\S]*?\*\//, ""));
  } catch {
    return null;
  }
  const parsed = SettingsDataSchema.safeParse(json);
  if (!parsed.success) return null;
  const { current, presets } = parsed.data;
  const settings = typeof current === "string" ? presets?.[current] : current;
  return Object.values(settings?.blocks ?? {}).some((block) => {
    const b = BlockSchema.safeParse(block);
    return b.success && EMBED_TYPE.test(b.data.type) && b.data.disabled !== true;
  });
}

/** Reads the live theme, records whether the embed is on (or why that could not be told) and returns it. */
export async function checkThemeEmbed(
  deps: { db: PrismaClient; graphql: AdminGraphql; logger?: Pick<Logger, "warn">; now?: () => Date },
  shop: string,
): Promise<ThemeEmbedCheckResult> {
  const checkedAt = deps.now?.() ?? new Date();
  let result: ThemeEmbedCheckResult;
  try {
    const { themes } = await runAdminQuery(deps.graphql, MAIN_THEME_SETTINGS_QUERY, MainThemeSchema);
    const theme = themes.nodes[0];
    const content = theme?.files?.nodes.find((f) => f.filename === "config/settings_data.json")?.body.content;
    const on = content === undefined ? null : isAppEmbedOn(content);
    if (!theme) result = { active: false, themeName: null, problem: "Shopify did not report a published theme for your store.", checkedAt };
    else if (on === null) result = { active: false, themeName: theme.name, problem: `Oscar Chat could not read the settings of your theme “${theme.name}”.`, checkedAt };
    else result = { active: on, themeName: theme.name, problem: null, checkedAt };
  } catch (error) {
    // Typically a missing read_themes grant (ACCESS_DENIED) or Shopify not answering.
    deps.logger?.warn({ shop, error: error instanceof Error ? error.name : "unknown" }, "theme embed check failed");
    result = {
      active: false,
      themeName: null,
      problem: "Oscar Chat could not read your themes. If Shopify asks you to approve access to themes, approve it, then check again.",
      checkedAt,
    };
  }
  await saveThemeEmbedCheck(deps.db, shop, result);
  return result;
}

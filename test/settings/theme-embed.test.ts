import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PrismaClient } from "@prisma/client";
import { findThemeEmbedCheck } from "../../app/models/theme-embed-check.server";
import { checkThemeEmbed, isAppEmbedOn, themeEditorUrl } from "../../app/services/theme-embed.server";
import { freshDatabase } from "../harness/database";

const SHOP = "embed-check.myshopify.com";
const EMBED = "shopify://apps/oscar-chat/blocks/oscar-chat-embed/0a6e5f1c-7d2b-4f1e-9c3a-2b8d4e6f1a90";

/** settings_data.json as Shopify writes it: a comment header, then the theme's settings and its app embeds. */
function settingsData(blocks: Record<string, unknown>, { asPreset = false } = {}) {
  const current = { colors_accent_1: "#121212", blocks };
  const json = asPreset ? { current: "Default", presets: { Default: current } } : { current, presets: { Default: {} } };
  return `/*\n * ------------------------------------------------------------\n * IMPORTANT: The contents of this file are auto-generated.\n * ------------------------------------------------------------\n */\n${JSON.stringify(json, null, 2)}`;
}

describe("is the Oscar Chat app embed on in the live theme?", () => {
  it("reads the embed's state from settings_data.json", () => {
    expect(isAppEmbedOn(settingsData({ "1": { type: EMBED, disabled: false, settings: {} } }))).toBe(true);
    expect(isAppEmbedOn(settingsData({ "1": { type: EMBED, settings: {} } }))).toBe(true);
    expect(isAppEmbedOn(settingsData({ "1": { type: EMBED, disabled: true, settings: {} } }))).toBe(false);
    expect(isAppEmbedOn(settingsData({}))).toBe(false);
    // Another app's embed, or another block of this app, is not the chat.
    expect(isAppEmbedOn(settingsData({ "1": { type: "shopify://apps/reviews/blocks/reviews-embed/1111", disabled: false } }))).toBe(false);
    expect(isAppEmbedOn(settingsData({ "1": { type: "shopify://apps/oscar-chat/blocks/help-button/2222", disabled: false } }))).toBe(false);
    // `current` may name a preset that holds the settings.
    expect(isAppEmbedOn(settingsData({ "1": { type: EMBED, disabled: false } }, { asPreset: true }))).toBe(true);
  });

  it("says it cannot tell when the file is not theme settings", () => {
    expect(isAppEmbedOn("{ not json")).toBeNull();
    expect(isAppEmbedOn("[1, 2]")).toBeNull();
  });

  it("builds the deep link that opens the theme editor with the embed switched on", () => {
    expect(themeEditorUrl("my-store.myshopify.com", "abc123")).toBe(
      "https://my-store.myshopify.com/admin/themes/current/editor?context=apps&activateAppId=abc123/oscar-chat-embed",
    );
  });

  describe("checking the store", () => {
    let db: PrismaClient;
    beforeAll(async () => {
      db = (await freshDatabase("theme-embed")).connect();
    });
    afterAll(async () => {
      await db?.$disconnect();
    });

    const answering = (data: unknown, errors?: unknown) => async (query: string) => {
      expect(query).toContain("query MainThemeSettings");
      return new Response(JSON.stringify({ data, ...(errors ? { errors } : {}) }), { headers: { "Content-Type": "application/json" } });
    };
    const mainTheme = (content: string) => ({
      themes: { nodes: [{ name: "Dawn", files: { nodes: [{ filename: "config/settings_data.json", body: { content } }] } }] },
    });
    const at = new Date("2026-11-24T12:00:00Z");

    it("records that the embed is on, in which theme and when", async () => {
      const result = await checkThemeEmbed({ db, graphql: answering(mainTheme(settingsData({ a: { type: EMBED, disabled: false } }))), now: () => at }, SHOP);
      expect(result).toEqual({ active: true, themeName: "Dawn", problem: null, checkedAt: at });
      expect(await findThemeEmbedCheck(db, SHOP)).toMatchObject({ shop: SHOP, active: true, themeName: "Dawn", problem: null });
    });

    it("records that it is off after the merchant switched it off", async () => {
      const result = await checkThemeEmbed({ db, graphql: answering(mainTheme(settingsData({ a: { type: EMBED, disabled: true } }))), now: () => at }, SHOP);
      expect(result.active).toBe(false);
      expect(await findThemeEmbedCheck(db, SHOP)).toMatchObject({ active: false, problem: null });
    });

    it("explains, rather than guesses, when Shopify refuses or the file cannot be read", async () => {
      const denied = await checkThemeEmbed(
        { db, graphql: async () => Promise.reject(new Error("Access denied for themes field. Required access: `read_themes` access scope.")), now: () => at },
        SHOP,
      );
      expect(denied).toMatchObject({ active: false, problem: expect.stringContaining("could not read your themes") });

      const unreadable = await checkThemeEmbed({ db, graphql: answering(mainTheme("<html>")), now: () => at }, SHOP);
      expect(unreadable).toMatchObject({ active: false, themeName: "Dawn", problem: "Oscar Chat could not read the settings of your theme “Dawn”." });

      const none = await checkThemeEmbed({ db, graphql: answering({ themes: { nodes: [] } }), now: () => at }, SHOP);
      expect(none).toMatchObject({ active: false, problem: "Shopify did not report a published theme for your store." });
    });
  });
});

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

// "Load the chat immediately" costs more of the store's speed score than Shopify's App Store allows an
// app (bench/storefront-lighthouse.ts measures it and checks the label's figure against the measurement).
// Wherever the merchant can read about the setting, it says so, with the same figure.
const PLACES = {
  "theme editor, English": { file: "extensions/oscar-chat/locales/en.default.schema.json", cost: /about (\d+) points of your store's speed score/, limit: /App Store limit is 10\b/ },
  "theme editor, French": { file: "extensions/oscar-chat/locales/fr.schema.json", cost: /environ (\d+) points/, limit: /App Store de Shopify est de 10\b/ },
  "the app's setup guide": { file: "app/routes/app._index/setup-guide.tsx", cost: /about (\d+) points of your store's speed score/, limit: /App Store limit is 10\b/ },
};

function loadImmediatelyInfo(file: string): string {
  const labels = JSON.parse(readFileSync(file, "utf8")) as { blocks: { embed: { settings: { load_immediately: { info: string } } } } };
  return labels.blocks.embed.settings.load_immediately.info;
}

describe("the cost of 'Load the chat immediately', where the merchant turns it on", () => {
  it("is stated with one figure, next to the App Store's limit, in the theme editor in both languages and in the app", () => {
    const figures = Object.entries(PLACES).map(([place, { file, cost, limit }]) => {
      const text = file.endsWith(".json") ? loadImmediatelyInfo(file) : readFileSync(file, "utf8").replace(/\s+/g, " ");
      expect(text, place).toMatch(limit);
      return Number(cost.exec(text)?.[1]);
    });
    expect(Number.isInteger(figures[0]) && figures[0] > 0).toBe(true);
    expect(new Set(figures)).toEqual(new Set([figures[0]]));
  });
});

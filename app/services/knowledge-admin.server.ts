import type { PrismaClient } from "@prisma/client";
import { z } from "zod";
import { assignUnownedSources, listChanges, listSources, markChanged, sourcesByBot, type KnowledgeSource } from "../models/knowledge-items.server";
import { loadKnowledgeSettings, saveBotId, saveKnowledgeSettings, type KnowledgeSettings } from "../models/knowledge-settings.server";
import { findSyncState, markQueued, requestFullSync } from "../models/knowledge-sync-state.server";
import { findConnection } from "../models/oscar-connection.server";
import type { KnowledgeSyncScheduler } from "../queues/knowledge-sync-schedule.server";
import type { FieldErrors, Parsed } from "./settings-validation.server";

/** What the Knowledge page and Shopify's product and collection webhooks ask of knowledge sync. */

export type KnowledgeRequestDeps = { db: PrismaClient; scheduler: KnowledgeSyncScheduler; now?: () => Date };

/** A full sync, as soon as a worker is free; asked again while one waits or runs, it still runs once more. */
export async function requestKnowledgeSync({ db, scheduler, now = () => new Date() }: KnowledgeRequestDeps, shop: string): Promise<void> {
  await requestFullSync(db, shop, now());
  await scheduler.now(shop);
}

/**
 * The bot that should learn the store was chosen (while connecting, or on the Knowledge page): it
 * gets everything with a full sync now, and a bot chosen before (or none: null) loses what the app
 * gave it at the next run.
 */
export async function chooseKnowledgeBot(deps: KnowledgeRequestDeps, shop: string, botId: string | null): Promise<void> {
  const previous = await findConnection(deps.db, shop);
  if (previous?.botId && previous.botId !== botId) await assignUnownedSources(deps.db, shop, previous.botId);
  await saveBotId(deps.db, shop, botId);
  if (botId) await requestKnowledgeSync(deps, shop);
}

/** A product (GID) or the collections changed: remember it, and (re)start the shop's debounce. */
export async function noteStoreChange({ db, scheduler, now = () => new Date() }: KnowledgeRequestDeps, shop: string, itemId: string): Promise<void> {
  const connection = await findConnection(db, shop);
  // Nothing to keep in step before the merchant chose a bot: the first sync reads everything anyway.
  if (!connection?.botId) return;
  await markChanged(db, shop, itemId, now());
  const [oldest] = await listChanges(db, shop);
  await markQueued(db, shop);
  await scheduler.afterChange(shop, oldest?.markedAt ?? now());
}

export type KnowledgeView = {
  connected: boolean;
  botId: string | null;
  settings: KnowledgeSettings;
  sync: {
    status: "idle" | "queued" | "running";
    phase: "reading" | "sending" | null;
    itemsRead: number;
    sourcesToSend: number;
    sourcesSent: number;
    finishedAt: string | null;
    lastOutcome: "succeeded" | "failed" | null;
    lastError: string | null;
    lastCreated: number;
    lastRemoved: number;
    lastUnchanged: number;
    lastSyncCalled: boolean;
  };
  sources: { count: number; items: number; bytes: number };
};

export async function loadKnowledgeView(db: PrismaClient, shop: string): Promise<KnowledgeView> {
  const [connection, settings, state, sources] = await Promise.all([
    findConnection(db, shop),
    loadKnowledgeSettings(db, shop),
    findSyncState(db, shop),
    listSources(db, shop),
  ]);
  return {
    connected: Boolean(connection),
    botId: connection?.botId ?? null,
    settings,
    sync: {
      status: (state?.status ?? "idle") as KnowledgeView["sync"]["status"],
      phase: (state?.phase ?? null) as KnowledgeView["sync"]["phase"],
      itemsRead: state?.itemsRead ?? 0,
      sourcesToSend: state?.sourcesToSend ?? 0,
      sourcesSent: state?.sourcesSent ?? 0,
      finishedAt: state?.finishedAt?.toISOString() ?? null,
      lastOutcome: (state?.lastOutcome ?? null) as KnowledgeView["sync"]["lastOutcome"],
      lastError: state?.lastError ?? null,
      lastCreated: state?.lastCreated ?? 0,
      lastRemoved: state?.lastRemoved ?? 0,
      lastUnchanged: state?.lastUnchanged ?? 0,
      lastSyncCalled: state?.lastSyncCalled ?? false,
    },
    sources: summarise(sourcesByBot(sources, connection?.botId ?? null).current),
  };
}

function summarise(sources: KnowledgeSource[]) {
  return { count: sources.length, items: sources.reduce((sum, s) => sum + s.itemCount, 0), bytes: sources.reduce((sum, s) => sum + s.bytes, 0) };
}

const checkbox = z.preprocess((v) => v === "on" || v === "true", z.boolean());
/** An Oscar bot id, or empty for none. */
export const BOT_ID_FIELD = z
  .string()
  .trim()
  .max(128, "A bot id is at most 128 characters.")
  .regex(/^[A-Za-z0-9_-]*$/, "A bot id has only letters, digits, - and _ (copy it from Oscar's bot settings).");

const KnowledgeFormSchema = z.object({
  botId: BOT_ID_FIELD,
  includeProducts: checkbox,
  includeCollections: checkbox,
  includePages: checkbox,
  includePolicies: checkbox,
  excludedTags: z
    .string()
    .max(2_000, "Keep the list of tags under 2,000 characters.")
    .transform((text) => [...new Set(text.split(",").map((t) => t.trim().toLowerCase()).filter(Boolean))]),
});
export type KnowledgeForm = z.infer<typeof KnowledgeFormSchema>;

export function parseKnowledgeForm(form: FormData): Parsed<KnowledgeForm> {
  const parsed = KnowledgeFormSchema.safeParse({
    botId: form.get("botId") ?? "",
    includeProducts: form.get("includeProducts"),
    includeCollections: form.get("includeCollections"),
    includePages: form.get("includePages"),
    includePolicies: form.get("includePolicies"),
    excludedTags: form.get("excludedTags") ?? "",
  });
  if (parsed.success) return { success: true, data: parsed.data };
  const errors: FieldErrors = {};
  for (const issue of parsed.error.issues) errors[String(issue.path[0])] ??= issue.message;
  return { success: false, errors };
}

/** Saves the choices; any change of what the bot should know starts a full sync (when a bot is chosen). */
export async function saveKnowledgeChoices(deps: KnowledgeRequestDeps, shop: string, form: KnowledgeForm): Promise<{ syncStarted: boolean }> {
  const { botId, ...settings } = form;
  await saveKnowledgeSettings(deps.db, shop, settings);
  await chooseKnowledgeBot(deps, shop, botId || null);
  return { syncStarted: Boolean(botId) };
}

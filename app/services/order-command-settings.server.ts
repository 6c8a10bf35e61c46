import type { PrismaClient } from "@prisma/client";
import { loadOrderCommandSettings, saveOrderCommandSettings, type OrderCommandKind, type OrderCommandSettings } from "../models/order-commands.server";
import { findConnection } from "../models/oscar-connection.server";
import type { OscarClientFactory } from "../oscar/for-shop.server";
import { loadOscarChoices, unlistedIdProblem } from "./oscar-choices.server";
import { hasAccessFor, missingScopes } from "./order-command-access";
import { ORDER_COMMAND_FIELDS } from "./order-command-settings-validation.server";
import type { FieldErrors } from "./settings-validation.server";

/**
 * Which order commands a shop has on. A command is on only while Shopify grants the access it needs:
 * turning one on without that access saves it off and names the scopes to ask the merchant for, and a
 * scope the merchant takes back turns its commands off (the engine then refuses them too).
 */

export type OrderCommandsSaved = {
  settings: OrderCommandSettings;
  /** Commands the merchant turned on that stay off until Shopify grants their scopes. */
  waitingForAccess: OrderCommandKind[];
  /** The optional scopes to request for them. */
  scopesToRequest: string[];
};

/** Saves the form; commands whose access is missing are saved off and returned as waiting. */
export async function saveOrderCommands(db: PrismaClient, shop: string, input: OrderCommandSettings, granted: readonly string[]): Promise<OrderCommandsSaved> {
  const waitingForAccess = input.enabledCommands.filter((command) => !hasAccessFor(command, granted));
  const settings = { ...input, enabledCommands: input.enabledCommands.filter((command) => hasAccessFor(command, granted)) };
  await saveOrderCommandSettings(db, shop, settings);
  return { settings, waitingForAccess, scopesToRequest: missingScopes(waitingForAccess, granted) };
}

/**
 * After the merchant granted access in Shopify's dialog: the commands they were waiting for are
 * turned on, each only if its access really is granted now (the page cannot vouch for that).
 */
export async function turnOnGrantedCommands(db: PrismaClient, shop: string, commands: readonly OrderCommandKind[], granted: readonly string[]): Promise<OrderCommandsSaved> {
  const current = await loadOrderCommandSettings(db, shop);
  const wanted = [...current.enabledCommands, ...commands];
  return saveOrderCommands(db, shop, { ...current, enabledCommands: wanted.filter((c, i) => wanted.indexOf(c) === i) }, granted);
}

/** app/scopes_update: commands whose access was taken back are turned off. Returns those turned off. */
export async function turnOffCommandsWithoutAccess(db: PrismaClient, shop: string, granted: readonly string[]): Promise<OrderCommandKind[]> {
  const current = await loadOrderCommandSettings(db, shop);
  const lost = current.enabledCommands.filter((command) => !hasAccessFor(command, granted));
  if (lost.length > 0) await saveOrderCommandSettings(db, shop, { ...current, enabledCommands: current.enabledCommands.filter((c) => !lost.includes(c)) });
  return lost;
}

/**
 * Agent ids the form names that Oscar does not list for the account (a stale page or a forged form);
 * where Oscar does not list agents, typed ids are taken as the merchant copied them.
 */
export async function unlistedOrderCommandAgents(deps: { db: PrismaClient; oscarForShop: OscarClientFactory }, shop: string, agentIds: readonly string[]): Promise<FieldErrors> {
  if (agentIds.length === 0 || !(await findConnection(deps.db, shop))) return {};
  const { agents } = await loadOscarChoices(deps, shop, ["agents"]);
  const problem = agentIds.map((id) => unlistedIdProblem("agents", agents, id)).find(Boolean);
  return problem ? { [ORDER_COMMAND_FIELDS.agents]: problem } : {};
}

import type { OscarListKind } from "../oscar/contract";
import { OscarError, OscarKeyRejectedError, OscarNotFoundError, OscarTransientError } from "../oscar/errors";
import type { OscarClientFactory } from "../oscar/for-shop.server";

/**
 * The account's widgets, bots and agents as choices for the admin's pickers. Oscar may not offer
 * these lists (they are assumed endpoints, see contract.ts), may be down or may be limiting the key:
 * then the page falls back to a typed id and says why in one sentence. Read only on the server (in a
 * loader or an action): the key never reaches the browser, and neither does anything but ids and names.
 */

export type OscarChoice = { id: string; label: string; botId: string | null };
export type OscarChoiceList = { listed: true; choices: OscarChoice[] } | { listed: false; why: string };
export type OscarChoices<K extends OscarListKind> = Record<K, OscarChoiceList>;

const WORDS: Record<OscarListKind, { plural: string; instead: string; one: string }> = {
  widgets: { plural: "widgets", instead: "paste the widget id from Oscar's dashboard", one: "a widget" },
  bots: { plural: "bots", instead: "paste the bot id from its settings in Oscar", one: "a bot" },
  agents: { plural: "agents", instead: "paste agent ids from your team's page in Oscar", one: "an agent" },
};

/** Why a list could not be read, in a few words for the parentheses; null for a failure that is a bug. */
function reasonOf(error: unknown): string | null {
  if (error instanceof OscarNotFoundError) return "HTTP 404: it has no such list";
  if (error instanceof OscarKeyRejectedError) return `HTTP ${error.status}: it refused the key`;
  if (error instanceof OscarTransientError) {
    if (error.status === 429) return "HTTP 429: it is limiting requests right now";
    if (error.status !== undefined) return `HTTP ${error.status}: it is unavailable right now`;
    return "it did not answer in time";
  }
  if (error instanceof OscarError) return "its answer could not be read";
  return null;
}

/** The sentence under a typed-id field when the list is missing. */
export function notListedSentence(kind: OscarListKind, reason: string): string {
  return `Oscar didn't list your ${WORDS[kind].plural} (${reason}); ${WORDS[kind].instead}.`;
}

type Named = { id: string; name?: string | null; bot_id?: string | null };

function asChoices(items: Named[]): OscarChoice[] {
  return items.map((item) => ({ id: item.id, label: item.name ? `${item.name} (${item.id})` : item.id, botId: item.bot_id ?? null }));
}

/** Reads the lists asked for, side by side; each one that fails becomes a sentence, not an error. */
export async function loadOscarChoices<K extends OscarListKind>(deps: { oscarForShop: OscarClientFactory }, shop: string, kinds: readonly K[]): Promise<OscarChoices<K>> {
  const oscar = await deps.oscarForShop(shop);
  const read: Record<OscarListKind, () => Promise<Named[]>> = {
    widgets: () => oscar.listWidgets(),
    bots: () => oscar.listBots(),
    agents: () => oscar.listAgents(),
  };
  const lists = await Promise.all(
    kinds.map(async (kind): Promise<[K, OscarChoiceList]> => {
      try {
        const choices = asChoices(await read[kind]());
        // An empty list cannot be chosen from: let the merchant type the id Oscar's dashboard shows.
        if (choices.length === 0) return [kind, { listed: false, why: notListedSentence(kind, "it listed none for your account") }];
        return [kind, { listed: true, choices }];
      } catch (error) {
        const reason = reasonOf(error);
        if (!reason) throw error;
        return [kind, { listed: false, why: notListedSentence(kind, reason) }];
      }
    }),
  );
  return Object.fromEntries(lists) as OscarChoices<K>;
}

/**
 * When Oscar listed the choices, an id not among them is refused with a sentence; when it did not,
 * a well-formed typed id is accepted (the merchant copied it from Oscar). Null: the id is fine.
 */
export function unlistedIdProblem(kind: OscarListKind, list: OscarChoiceList | undefined, id: string): string | null {
  if (!list?.listed || list.choices.some((c) => c.id === id)) return null;
  const { one, plural } = WORDS[kind];
  return `Oscar doesn't list ${one} “${id.slice(0, 40)}” for your account; choose one of your ${plural} from the list.`;
}

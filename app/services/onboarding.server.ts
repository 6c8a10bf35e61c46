import type { ConversationRecord, OscarConnection, PrismaClient, ThemeEmbedCheck } from "@prisma/client";
import { recentConversations } from "../models/conversation-activity.server";
import { findConnection } from "../models/oscar-connection.server";
import { findThemeEmbedCheck } from "../models/theme-embed-check.server";
import type { FailedJobs } from "./failed-jobs.server";
import type { OnboardingStepId } from "./onboarding-steps";

/**
 * The home page's checklist and status, read from what is actually stored, so it survives reloads
 * and tells the truth: connected (key verified), widget on the storefront, embed on in the live
 * theme, Oscar's webhook registered, and a first event received.
 */

export type OnboardingState = {
  connection: OscarConnection | null;
  embed: ThemeEmbedCheck | null;
};

/** Which steps are done. Connecting counts once a workspace is chosen (a key may see several). */
export function completedSteps({ connection, embed }: OnboardingState): Record<OnboardingStepId, boolean> {
  return {
    connect: Boolean(connection?.workspaceId),
    widget: Boolean(connection?.widgetId),
    theme: Boolean(embed?.active),
    webhooks: Boolean(connection?.webhookId && connection.webhookRegisteredAt),
    firstConversation: Boolean(connection?.firstEventAt),
  };
}

export type QueueHealth = { reachable: true; failedJobs: number } | { reachable: false };

export type HomeState = OnboardingState & {
  steps: Record<OnboardingStepId, boolean>;
  queue: QueueHealth;
  recent: ConversationRecord[];
};

export async function loadHomeState(deps: { db: PrismaClient; failedJobs: Pick<FailedJobs, "list"> }, shop: string): Promise<HomeState> {
  const [connection, embed, recent, queue] = await Promise.all([
    findConnection(deps.db, shop),
    findThemeEmbedCheck(deps.db, shop),
    recentConversations(deps.db, shop, 5),
    deps.failedJobs.list(shop, 1_000).then(
      (jobs): QueueHealth => ({ reachable: true, failedJobs: jobs.length }),
      (): QueueHealth => ({ reachable: false }),
    ),
  ]);
  return { connection, embed, steps: completedSteps({ connection, embed }), queue, recent };
}

import type { KnowledgeSyncState, PrismaClient } from "@prisma/client";

/** A shop's knowledge sync as the merchant sees it: queued or running (with counts), then the last outcome. */

export type { KnowledgeSyncState };

export function findSyncState(db: PrismaClient, shop: string): Promise<KnowledgeSyncState | null> {
  return db.knowledgeSyncState.findUnique({ where: { shop } });
}

/** Notes that a full read of the store is due (the button, a settings change, a new bot). */
export async function requestFullSync(db: PrismaClient, shop: string, at: Date): Promise<void> {
  await db.knowledgeSyncState.upsert({
    where: { shop },
    create: { shop, status: "queued", fullRequestedAt: at },
    update: { fullRequestedAt: at, status: "queued" },
  });
}

/** Marks the shop queued unless a run is under way (its progress stays visible). */
export async function markQueued(db: PrismaClient, shop: string): Promise<void> {
  await db.knowledgeSyncState.upsert({ where: { shop }, create: { shop, status: "queued" }, update: {} });
  await db.knowledgeSyncState.updateMany({ where: { shop, status: "idle" }, data: { status: "queued" } });
}

export async function markRunStarted(db: PrismaClient, shop: string, at: Date): Promise<KnowledgeSyncState> {
  const reset = { status: "running", phase: "reading", startedAt: at, itemsRead: 0, sourcesToSend: 0, sourcesSent: 0 };
  return db.knowledgeSyncState.upsert({ where: { shop }, create: { shop, ...reset }, update: reset });
}

export async function saveProgress(
  db: PrismaClient,
  shop: string,
  progress: Partial<Pick<KnowledgeSyncState, "phase" | "itemsRead" | "sourcesToSend" | "sourcesSent">>,
): Promise<void> {
  await db.knowledgeSyncState.updateMany({ where: { shop }, data: progress });
}

/** A full request made before `startedAt` is served by this run; a later one stays due. */
export async function clearFullRequest(db: PrismaClient, shop: string, startedAt: Date): Promise<void> {
  await db.knowledgeSyncState.updateMany({ where: { shop, fullRequestedAt: { lte: startedAt } }, data: { fullRequestedAt: null } });
}

export type RunOutcome =
  | { outcome: "succeeded"; created: number; removed: number; unchanged: number; syncCalled: boolean }
  | { outcome: "failed"; error: string };

export async function markRunFinished(db: PrismaClient, shop: string, at: Date, result: RunOutcome, { again }: { again: boolean }): Promise<void> {
  const summary =
    result.outcome === "succeeded"
      ? { lastError: null, lastCreated: result.created, lastRemoved: result.removed, lastUnchanged: result.unchanged, lastSyncCalled: result.syncCalled }
      : { lastError: result.error };
  await db.knowledgeSyncState.updateMany({
    where: { shop },
    data: { status: again ? "queued" : "idle", phase: null, finishedAt: at, lastOutcome: result.outcome, ...summary },
  });
}

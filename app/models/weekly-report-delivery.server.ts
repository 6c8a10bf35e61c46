import type { PrismaClient } from "@prisma/client";
import { isUniqueConstraintViolation } from "../db/client.server";

/** Which weekly reports were sent: the unique key (shop, week) lets one process claim each report. */

/** True when this call claimed the week's report; false when another run already did. */
export async function claimWeeklyReport(db: PrismaClient, shop: string, weekStart: Date): Promise<boolean> {
  try {
    await db.weeklyReportDelivery.create({ data: { shop, weekStart } });
    return true;
  } catch (error) {
    if (isUniqueConstraintViolation(error)) return false;
    throw error;
  }
}

/** Gives the claim back when Slack could not take the report, so the job's retry sends it. */
export async function releaseWeeklyReport(db: PrismaClient, shop: string, weekStart: Date): Promise<void> {
  await db.weeklyReportDelivery.deleteMany({ where: { shop, weekStart } });
}

export function deleteWeeklyReportsBefore(db: PrismaClient, shop: string, cutoff: Date) {
  return db.weeklyReportDelivery.deleteMany({ where: { shop, weekStart: { lt: cutoff } } });
}

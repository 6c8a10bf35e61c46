import type { OscarSimulator } from "../../sim/oscar/server";
import type { AppStack } from "./app-stack";
import { waitForQueuesIdle } from "./stored-data";

/**
 * Waits until the app has done everything Oscar asked of it: every webhook delivered and answered,
 * then every job it queued finished, again until a pass brings no new delivery (the worker's own
 * writes to Oscar can make Oscar send more). The positive signal a test waits for before it asserts
 * that something did NOT happen, instead of sleeping and hoping the work was over.
 */
export async function waitForOscarWorkSettled(stack: AppStack, oscar: OscarSimulator): Promise<void> {
  for (;;) {
    await oscar.webhooksIdle();
    const deliveries = oscar.inspect.webhookDeliveries().length;
    await waitForQueuesIdle(stack);
    if (oscar.inspect.webhookDeliveries().length === deliveries) return;
  }
}

import type { ActionFunctionArgs } from "@remix-run/node";
import { config } from "../config.server";
import prisma from "../db.server";
import { logger } from "../logger.instance.server";
import { findConnectionByIngestKey } from "../models/oscar-connection.server";
import { producer } from "../queues/index.server";
import { ingestOscarWebhook } from "../services/oscar-ingest.server";

// Oscar's deliveries for one shop: verified, queued, answered. The work happens in the worker.
export const action = async ({ request, params }: ActionFunctionArgs) => {
  if (request.method !== "POST") return new Response("Method Not Allowed", { status: 405, headers: { Allow: "POST" } });
  return ingestOscarWebhook(
    {
      findConnectionByIngestKey: (key) => findConnectionByIngestKey(prisma, key),
      producer,
      keyring: config().encryption,
      logger,
    },
    params.ingestKey ?? "",
    request,
  );
};

export const loader = () => new Response("Method Not Allowed", { status: 405, headers: { Allow: "POST" } });

// Must run before the adapter import: it points the adapter at the sandbox App Bridge stand-in.
import "./sandbox/app-bridge-url.server";
import "@shopify/shopify-app-remix/adapters/node";
import {
  ApiVersion,
  AppDistribution,
  shopifyApp,
} from "@shopify/shopify-app-remix/server";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import { config } from "./config.server";
import { EncryptedSessionStorage } from "./security/encrypted-session-storage.server";
import prisma from "./db.server";
import { logger } from "./logger.instance.server";
import { routeAdminApiTo } from "./shopify/admin-api-origin.server";
import { producer } from "./queues/index.server";
import { recordInstall } from "./services/install.server";

export const apiVersion = ApiVersion.October26;

const settings = config();

// Sandbox and tests only (refused in production by the config): send Admin API calls to a local fake.
if (settings.shopify.adminApiOrigin) routeAdminApiTo(settings.shopify.adminApiOrigin);

const shopify = shopifyApp({
  apiKey: settings.shopify.apiKey,
  apiSecretKey: settings.shopify.apiSecret,
  apiVersion,
  scopes: settings.shopify.scopes,
  appUrl: settings.shopify.appUrl,
  authPathPrefix: "/auth",
  // Access and refresh tokens are sealed with ENCRYPTION_KEYS before Prisma writes them.
  sessionStorage: new EncryptedSessionStorage(new PrismaSessionStorage(prisma), settings.encryption, (shop) =>
    logger.info({ shop }, "sealed a session stored in plain text before tokens were encrypted"),
  ),
  distribution: AppDistribution.AppStore,
  future: {
    unstable_newEmbeddedAuthStrategy: true,
    expiringOfflineAccessTokens: true,
  },
  logger: { level: settings.logLevel === "debug" || settings.logLevel === "trace" ? 3 : 1 },
  hooks: {
    afterAuth: async ({ session }) => {
      try {
        await recordInstall({ db: prisma, producer, logger }, { shop: session.shop, scopes: session.scope ?? null });
      } catch (error) {
        logger.error({ err: error, shop: session.shop }, "recording the install failed");
        throw error;
      }
    },
  },
});

export default shopify;
export const addDocumentResponseHeaders = shopify.addDocumentResponseHeaders;
export const authenticate = shopify.authenticate;
export const unauthenticated = shopify.unauthenticated;
export const login = shopify.login;
export const sessionStorage = shopify.sessionStorage;

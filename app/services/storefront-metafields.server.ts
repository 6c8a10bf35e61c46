import { z } from "zod";
import { CURRENT_APP_INSTALLATION_QUERY } from "../graphql/current-app-installation";
import { STOREFRONT_METAFIELDS_SET_MUTATION } from "../graphql/storefront-metafields-set";
import { runAdminQuery, type AdminGraphql } from "../shopify/admin-graphql.server";

/**
 * The chat's storefront settings live in app-data metafields on the app's installation, which the
 * theme app extension reads (`app.metafields.oscar_chat.widget_id`, `…enabled`): the merchant never
 * copies an id into the theme, and only this app can write them.
 */
export const STOREFRONT_METAFIELD_NAMESPACE = "oscar_chat";

export class StorefrontSyncError extends Error {
  override name = "StorefrontSyncError";
}

const InstallationSchema = z.object({ currentAppInstallation: z.object({ id: z.string() }) });
const MetafieldsSetSchema = z.object({
  metafieldsSet: z.object({
    userErrors: z.array(z.object({ message: z.string(), code: z.string().nullish() })),
  }),
});

type StorefrontChat = { widgetId: string; enabled: true } | { enabled: false };

/** Writes what the storefront needs to show (or stop showing) the chat. Throws StorefrontSyncError with a sentence. */
export async function publishStorefrontChat(graphql: AdminGraphql, chat: StorefrontChat): Promise<void> {
  try {
    const { currentAppInstallation } = await runAdminQuery(graphql, CURRENT_APP_INSTALLATION_QUERY, InstallationSchema);
    const field = (key: string, type: string, value: string) => ({ ownerId: currentAppInstallation.id, namespace: STOREFRONT_METAFIELD_NAMESPACE, key, type, value });
    const metafields = [field("enabled", "boolean", String(chat.enabled))];
    if (chat.enabled) metafields.unshift(field("widget_id", "single_line_text_field", chat.widgetId));
    const { metafieldsSet } = await runAdminQuery(graphql, STOREFRONT_METAFIELDS_SET_MUTATION, MetafieldsSetSchema, { metafields });
    if (metafieldsSet.userErrors.length > 0) {
      throw new StorefrontSyncError(`Shopify did not save the chat settings for your store: ${metafieldsSet.userErrors[0].message}`);
    }
  } catch (error) {
    if (error instanceof StorefrontSyncError) throw error;
    throw new StorefrontSyncError("Shopify did not answer while saving the chat settings for your store. Nothing was changed; try again.", { cause: error });
  }
}

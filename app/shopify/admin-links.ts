/** Links into the merchant's Shopify admin, built from a shop domain and Admin API GIDs. */

export function numericId(gid: string): string {
  return gid.slice(gid.lastIndexOf("/") + 1);
}

export function adminBaseUrl(shop: string): string {
  return `https://admin.shopify.com/store/${shop.replace(/\.myshopify\.com$/, "")}`;
}

export const customerAdminUrl = (shop: string, customerGid: string) => `${adminBaseUrl(shop)}/customers/${numericId(customerGid)}`;
export const orderAdminUrl = (shop: string, orderGid: string) => `${adminBaseUrl(shop)}/orders/${numericId(orderGid)}`;

// The merchant-facing words for Shopify withholding protected customer data (shared by the loader and the page).

export type ProtectedDataNotice = { lastWithheldAt: string; conversations: number };

export const PROTECTED_DATA_NOTICE_TITLE = "Shopify is withholding customer details from Oscar Chat";

/** What the merchant reads and what to do about it. */
export function protectedDataNoticeText(notice: ProtectedDataNotice): string {
  const count = notice.conversations === 1 ? "1 recent conversation" : `${notice.conversations} recent conversations`;
  return (
    `In ${count}, Shopify did not let the app read customers' names, emails, phone numbers or addresses, because the app is not approved for protected customer data. ` +
    "Agents see a note saying so instead of the customer's orders. To fix it, the app's developer requests access to protected customer data " +
    "(level 2: name, email, phone and address) under App setup → Protected customer data access in the Shopify Partner Dashboard."
  );
}

// A believable Shopify store (shop, policies, customers and their order histories, catalogue, pages)
// generated from a seed: the same options give the same store on every machine and every run.
// Field names are the Admin GraphQL field names, so the fake server can serve them as they are.
import { generateCatalogue, slugify, type CollectionFixture, type ProductFixture } from "./catalogue";
import { gid } from "./gid";
import { sumAmounts, type MoneyBag } from "./money";
import { buildOrder, statusesForAge, type OrderDraft } from "./orders";
import { createRandom, type Random } from "./random";
import { pages, policies } from "./shop-content";
import { DAY_MS, HOUR_MS, isoDaysBefore } from "./time";
import { liveTheme, type ThemeFixture } from "./themes";

export type { CollectionFixture, ProductFixture, ProductVariantFixture } from "./catalogue";
export { generateCatalogue } from "./catalogue";

export type ShopPolicyType = "REFUND_POLICY" | "SHIPPING_POLICY" | "PRIVACY_POLICY" | "TERMS_OF_SERVICE";

export type ShopPolicyFixture = {
  __typename: "ShopPolicy";
  id: string;
  type: ShopPolicyType;
  title: string;
  body: string;
  url: string;
  createdAt: string;
  updatedAt: string;
};

export type ShopPlanFixture = { displayName: string; publicDisplayName: string; partnerDevelopment: boolean; shopifyPlus: boolean };

export type ShopFixture = {
  __typename: "Shop";
  id: string;
  name: string;
  email: string;
  contactEmail: string;
  shopOwnerName: string;
  description: string;
  currencyCode: string;
  enabledPresentmentCurrencies: string[];
  ianaTimezone: string;
  timezoneAbbreviation: string;
  timezoneOffset: string;
  timezoneOffsetMinutes: number;
  myshopifyDomain: string;
  url: string;
  primaryDomain: { __typename: "Domain"; id: string; host: string; url: string; sslEnabled: boolean };
  plan: ShopPlanFixture;
  shopPolicies: ShopPolicyFixture[];
  weightUnit: "POUNDS" | "KILOGRAMS";
  unitSystem: "IMPERIAL_SYSTEM" | "METRIC_SYSTEM";
  taxesIncluded: boolean;
  createdAt: string;
  updatedAt: string;
};

export type MailingAddressFixture = {
  __typename: "MailingAddress";
  id: string;
  firstName: string;
  lastName: string;
  name: string;
  address1: string;
  city: string;
  province: string;
  provinceCode: string;
  country: string;
  countryCodeV2: string;
  zip: string;
  phone: string | null;
};

export type CustomerFixture = {
  __typename: "Customer";
  id: string;
  firstName: string;
  lastName: string;
  displayName: string;
  /** Deprecated in the API in favour of defaultEmailAddress, but still served. */
  email: string;
  defaultEmailAddress: { emailAddress: string; marketingState: "SUBSCRIBED" | "NOT_SUBSCRIBED" | "UNSUBSCRIBED" };
  phone: string | null;
  tags: string[];
  note: string | null;
  state: "ENABLED" | "DISABLED" | "INVITED" | "DECLINED";
  locale: string;
  verifiedEmail: boolean;
  taxExempt: boolean;
  defaultAddress: MailingAddressFixture;
  createdAt: string;
  updatedAt: string;
};

export type FulfillmentDisplayStatus = "DELIVERED" | "IN_TRANSIT" | "OUT_FOR_DELIVERY" | "LABEL_PRINTED" | "ATTEMPTED_DELIVERY";

export type TrackingInfoFixture = { company: string; number: string; url: string };

export type FulfillmentFixture = {
  __typename: "Fulfillment";
  id: string;
  orderId: string;
  name: string;
  status: "SUCCESS" | "CANCELLED" | "OPEN" | "PENDING";
  displayStatus: FulfillmentDisplayStatus;
  totalQuantity: number;
  requiresShipping: boolean;
  trackingInfo: TrackingInfoFixture[];
  createdAt: string;
  updatedAt: string;
  inTransitAt: string | null;
  deliveredAt: string | null;
  estimatedDeliveryAt: string | null;
};

export type LineItemFixture = {
  __typename: "LineItem";
  id: string;
  productId: string;
  variantId: string;
  title: string;
  name: string;
  variantTitle: string | null;
  sku: string;
  vendor: string;
  quantity: number;
  currentQuantity: number;
  requiresShipping: boolean;
  originalUnitPriceSet: MoneyBag;
  discountedUnitPriceSet: MoneyBag;
  originalTotalSet: MoneyBag;
  discountedTotalSet: MoneyBag;
};

export type OrderDisplayFinancialStatus = "PAID" | "PENDING" | "AUTHORIZED" | "PARTIALLY_REFUNDED" | "REFUNDED" | "VOIDED";
export type OrderDisplayFulfillmentStatus = "FULFILLED" | "UNFULFILLED" | "PARTIALLY_FULFILLED" | "IN_PROGRESS" | "ON_HOLD";

export type OrderFixture = {
  __typename: "Order";
  id: string;
  /** The buyer's Customer GID; null for a guest checkout. */
  customerId: string | null;
  name: string;
  number: number;
  confirmationNumber: string;
  email: string | null;
  phone: string | null;
  createdAt: string;
  processedAt: string;
  updatedAt: string;
  cancelledAt: string | null;
  closed: boolean;
  test: boolean;
  displayFinancialStatus: OrderDisplayFinancialStatus;
  displayFulfillmentStatus: OrderDisplayFulfillmentStatus;
  currencyCode: string;
  subtotalPriceSet: MoneyBag;
  totalShippingPriceSet: MoneyBag;
  totalTaxSet: MoneyBag;
  totalPriceSet: MoneyBag;
  currentTotalPriceSet: MoneyBag;
  totalRefundedSet: MoneyBag;
  lineItems: LineItemFixture[];
  fulfillments: FulfillmentFixture[];
  shippingAddress: MailingAddressFixture | null;
  tags: string[];
  note: string | null;
  statusPageUrl: string;
};

export type PageFixture = {
  __typename: "Page";
  id: string;
  title: string;
  handle: string;
  body: string;
  bodySummary: string;
  isPublished: boolean;
  publishedAt: string | null;
  createdAt: string;
  updatedAt: string;
};

export type MetafieldFixture = {
  __typename: "Metafield";
  id: string;
  ownerId: string;
  ownerType: string;
  namespace: string;
  key: string;
  type: string;
  value: string;
  compareDigest: string;
  createdAt: string;
  updatedAt: string;
};

export type AppInstallationFixture = {
  __typename: "AppInstallation";
  id: string;
  launchUrl: string;
  app: { __typename: "App"; id: string; title: string; handle: string };
};

export type StoreFixture = {
  shop: ShopFixture;
  customers: CustomerFixture[];
  orders: OrderFixture[];
  products: ProductFixture[];
  collections: CollectionFixture[];
  pages: PageFixture[];
  themes: ThemeFixture[];
  /** Written by `metafieldsSet`; each belongs to the resource whose GID is its ownerId. */
  metafields: MetafieldFixture[];
  appInstallation: AppInstallationFixture;
  /** How this store's bulk operations end (tests set it); by default each runs for DEFAULT_RUNNING_POLLS status queries, then completes. */
  bulkOperations?: BulkOperationBehaviour;
};

export type BulkOperationBehaviour = {
  /** Status queries that still see it RUNNING (Infinity: it never finishes). */
  runningPolls?: number;
  /** How it ends after that. */
  outcome?: "COMPLETED" | "FAILED";
  /** Shopify's reason for a failure, e.g. INTERNAL_SERVER_ERROR, TIMEOUT, ACCESS_DENIED. */
  errorCode?: string;
};

export type StoreFixtureOptions = {
  shopDomain: string;
  seed?: number;
  /** How many customers; the first three are the personas described on `createStoreFixture`. */
  customers?: number;
  products?: number;
  /** The store's "today": order ages and statuses are relative to it. */
  now?: Date;
  currencyCode?: string;
  ianaTimezone?: string;
  plan?: Partial<ShopPlanFixture>;
};

const FIRST_NAMES = ["Ava", "Noah", "Olivia", "Ethan", "Amara", "Lucas", "Hana", "Mateo", "Zoe", "Omar", "Priya", "Jonas", "Chloe", "Diego", "Ingrid", "Kwame", "Leila", "Theo", "Yuki", "Nadia"];
const LAST_NAMES = ["Johnson", "Nguyen", "Garcia", "Patel", "Kowalski", "Haddad", "Müller", "Silva", "Kim", "O'Brien", "Mensah", "Larsen", "Dubois", "Costa", "Ito", "Rahman"];
const CITIES = [
  { city: "Portland", province: "Oregon", provinceCode: "OR", zip: "97205", street: "Alder St" },
  { city: "Austin", province: "Texas", provinceCode: "TX", zip: "78701", street: "Congress Ave" },
  { city: "Brooklyn", province: "New York", provinceCode: "NY", zip: "11211", street: "Bedford Ave" },
  { city: "Denver", province: "Colorado", provinceCode: "CO", zip: "80202", street: "Larimer St" },
  { city: "Chicago", province: "Illinois", provinceCode: "IL", zip: "60614", street: "Clark St" },
  { city: "Asheville", province: "North Carolina", provinceCode: "NC", zip: "28801", street: "Haywood St" },
] as const;

type Persona = {
  firstName: string;
  lastName: string;
  tags: string[];
  note: string | null;
  orderAges: number[];
  subscribed: boolean;
  /** A VIP buys the pricier half of the range, is never refunded and has spent more than this. */
  vipSpendingOver?: number;
  /** How the newest order stands: the situation support conversations are about. */
  latestOrder?: Pick<OrderDraft, "financial" | "shipment">;
};

/**
 * Personas every store has (given at least three customers), so tests can name who they talk about:
 * a VIP with a long history (over 1,000 spent, tag "VIP", latest order in transit), a regular whose
 * newest order has not shipped yet, and a newsletter subscriber who has never ordered.
 */
const PERSONAS: readonly Persona[] = [
  {
    firstName: "Maya", lastName: "Okafor", tags: ["VIP", "newsletter"], note: "Prefers email. Gift wrap every order.",
    orderAges: [420, 330, 240, 150, 95, 40, 3], subscribed: true, vipSpendingOver: 1_000, latestOrder: { financial: "PAID", shipment: "IN_TRANSIT" },
  },
  { firstName: "Liam", lastName: "Chen", tags: [], note: null, orderAges: [60, 1], subscribed: false, latestOrder: { financial: "PAID", shipment: null } },
  { firstName: "Sofia", lastName: "Rossi", tags: ["newsletter"], note: null, orderAges: [], subscribed: true },
];

function hashDomain(domain: string): number {
  let hash = 2166136261;
  for (const char of domain) hash = Math.imul(hash ^ char.charCodeAt(0), 16777619) >>> 0;
  return hash;
}

function titleCase(slug: string): string {
  return slug.split("-").map((word) => word.charAt(0).toUpperCase() + word.slice(1)).join(" ");
}

function timezoneDetails(ianaTimezone: string, now: Date) {
  const part = (timeZoneName: "short" | "longOffset") =>
    new Intl.DateTimeFormat("en-US", { timeZone: ianaTimezone, timeZoneName }).formatToParts(now).find((p) => p.type === "timeZoneName")?.value ?? "GMT";
  const offset = /GMT([+-])(\d{2}):(\d{2})/.exec(part("longOffset"));
  const minutes = offset ? (offset[1] === "-" ? -1 : 1) * (Number(offset[2]) * 60 + Number(offset[3])) : 0;
  return {
    timezoneAbbreviation: part("short"),
    timezoneOffset: offset ? `${offset[1]}${offset[2]}${offset[3]}` : "+0000",
    timezoneOffsetMinutes: minutes,
  };
}

function address(random: Random, firstName: string, lastName: string, phone: string | null, id: string): MailingAddressFixture {
  const place = random.pick(CITIES);
  return {
    __typename: "MailingAddress",
    id,
    firstName,
    lastName,
    name: `${firstName} ${lastName}`,
    address1: `${random.int(10, 2400)} ${place.street}`,
    city: place.city,
    province: place.province,
    provinceCode: place.provinceCode,
    country: "United States",
    countryCodeV2: "US",
    zip: place.zip,
    phone,
  };
}

/**
 * A whole store for one shop domain. With the defaults: 12 customers (three personas, then a mix,
 * a quarter of whom never ordered), about 30 orders numbered from #1001 by date, 24 products.
 */
export function createStoreFixture(options: StoreFixtureOptions): StoreFixture {
  const { shopDomain, seed = 1, customers: customerCount = 12, products: productCount = 24 } = options;
  const now = options.now ?? new Date("2026-10-15T15:00:00.000Z");
  const currencyCode = options.currencyCode ?? "USD";
  const ianaTimezone = options.ianaTimezone ?? "America/New_York";
  const random = createRandom(seed ^ hashDomain(shopDomain));
  const idOffset = hashDomain(shopDomain) % 9_000;
  const handle = shopDomain.replace(/\.myshopify\.com$/, "");
  const storefrontHost = `www.${handle}.com`;
  const storefrontUrl = `https://${storefrontHost}`;
  const shopName = titleCase(handle);
  const contactEmail = `support@${handle}.com`;
  const openedAt = isoDaysBefore(now, 900);

  const shop: ShopFixture = {
    __typename: "Shop",
    id: gid("Shop", 60_000_000 + idOffset),
    name: shopName,
    email: `owner@${handle}.com`,
    contactEmail,
    shopOwnerName: "Alex Morgan",
    description: `${shopName} makes knitwear, tees and everyday goods from natural fibres.`,
    currencyCode,
    enabledPresentmentCurrencies: [currencyCode],
    ianaTimezone,
    ...timezoneDetails(ianaTimezone, now),
    myshopifyDomain: shopDomain,
    url: storefrontUrl,
    primaryDomain: { __typename: "Domain", id: gid("Domain", 90_000_000 + idOffset), host: storefrontHost, url: storefrontUrl, sslEnabled: true },
    plan: { displayName: "Grow", publicDisplayName: "Grow", partnerDevelopment: false, shopifyPlus: false, ...options.plan },
    shopPolicies: policies(storefrontUrl, shopName, contactEmail, currencyCode, openedAt, idOffset),
    weightUnit: "POUNDS",
    unitSystem: "IMPERIAL_SYSTEM",
    taxesIncluded: false,
    createdAt: openedAt,
    updatedAt: isoDaysBefore(now, 2),
  };

  const catalogue = generateCatalogue({ productCount, random, currencyCode, storefrontUrl, now, idOffset });
  const sellable = catalogue.products.filter((product) => product.status === "ACTIVE");
  const premium = [...sellable].sort((a, b) => Number(b.priceRangeV2.maxVariantPrice.amount) - Number(a.priceRangeV2.maxVariantPrice.amount)).slice(0, Math.max(1, Math.ceil(sellable.length / 2)));

  const customers: CustomerFixture[] = [];
  const drafts: OrderDraft[] = [];
  for (let index = 0; index < customerCount; index++) {
    const persona: Persona = PERSONAS[index] ?? {
      firstName: random.pick(FIRST_NAMES),
      lastName: random.pick(LAST_NAMES),
      tags: random.chance(0.3) ? ["newsletter"] : [],
      note: null,
      orderAges: random.chance(0.25) ? [] : Array.from({ length: random.int(1, 4) }, () => random.int(0, 500)).sort((a, b) => b - a),
      subscribed: random.chance(0.4),
    };
    const id = gid("Customer", 7_400_000_000_000 + idOffset * 10_000 + index + 1);
    const email = `${slugify(persona.firstName)}.${slugify(persona.lastName)}${index >= PERSONAS.length ? index + 1 : ""}@example.com`;
    // 555-0100 to 555-0199 are reserved for fiction: no real shopper's number.
    const phone = random.chance(0.6) ? `+1503555${String(100 + (index % 100)).padStart(4, "0")}` : null;
    const firstOrderAge = persona.orderAges[0] ?? random.int(5, 300);
    const customer: CustomerFixture = {
      __typename: "Customer",
      id,
      firstName: persona.firstName,
      lastName: persona.lastName,
      displayName: `${persona.firstName} ${persona.lastName}`,
      email,
      defaultEmailAddress: { emailAddress: email, marketingState: persona.subscribed ? "SUBSCRIBED" : "NOT_SUBSCRIBED" },
      phone,
      tags: persona.tags,
      note: persona.note,
      state: "ENABLED",
      locale: "en",
      verifiedEmail: true,
      taxExempt: false,
      defaultAddress: address(random, persona.firstName, persona.lastName, phone, gid("MailingAddress", 9_900_000_000_000 + idOffset * 10_000 + index + 1)),
      createdAt: isoDaysBefore(now, firstOrderAge + 1),
      updatedAt: isoDaysBefore(now, Math.min(firstOrderAge, 30)),
    };
    customers.push(customer);
    if (sellable.length === 0) continue;

    const vipSpendingOver = persona.vipSpendingOver;
    const isVip = vipSpendingOver !== undefined;
    let spent = 0;
    persona.orderAges.forEach((ageDays, orderIndex) => {
      const isLatest = orderIndex === persona.orderAges.length - 1;
      const pool = isVip ? premium : sellable;
      const items = Array.from({ length: random.int(1, 3) }, () => {
        const product = random.pick(pool);
        return { product, variant: random.pick(product.variants), quantity: isVip ? random.int(1, 3) : random.int(1, 2) };
      });
      spent += sumAmounts(items.map((item) => Number(item.variant.price) * item.quantity));
      // The VIP's history must add up whatever the catalogue: top up the last order.
      if (isVip && isLatest && spent <= vipSpendingOver) {
        const top = premium[0].variants[0];
        items.push({ product: premium[0], variant: top, quantity: Math.ceil((vipSpendingOver - spent + 1) / Number(top.price)) });
      }
      const statuses = { ...((isLatest && persona.latestOrder) || statusesForAge(ageDays, random)) };
      if (isVip) statuses.financial = "PAID";
      drafts.push({ customer, processedAtMs: now.getTime() - ageDays * DAY_MS - random.int(1, 20) * HOUR_MS, items, ...statuses });
    });
  }

  const orders = drafts
    .sort((a, b) => a.processedAtMs - b.processedAtMs)
    .map((draft, index) => buildOrder(draft, index, { random, currencyCode, storefrontUrl, idOffset, now }));

  return {
    shop,
    customers,
    orders,
    products: catalogue.products,
    collections: catalogue.collections,
    pages: pages(storefrontUrl, shopName, contactEmail, idOffset, now),
    themes: [liveTheme(idOffset)],
    metafields: [],
    appInstallation: {
      __typename: "AppInstallation",
      id: gid("AppInstallation", 500_000_000 + idOffset),
      launchUrl: `https://admin.shopify.com/store/${handle}/apps/oscar-chat`,
      app: { __typename: "App", id: gid("App", 1_000_001), title: "Oscar Chat", handle: "oscar-chat" },
    },
  };
}

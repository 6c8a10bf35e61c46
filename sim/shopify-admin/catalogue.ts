// A believable product catalogue (products, variants, collections) of any size, generated fast enough
// that a 10,000-product store for knowledge-sync tests costs well under a second.
import { gid } from "./gid";
import { moneyV2, type MoneyV2 } from "./money";
import type { Random } from "./random";
import { isoDaysBefore } from "./time";

export type ProductStatus = "ACTIVE" | "ARCHIVED" | "DRAFT" | "UNLISTED";

export type ProductVariantFixture = {
  __typename: "ProductVariant";
  id: string;
  productId: string;
  title: string;
  displayName: string;
  sku: string;
  barcode: string | null;
  /** Shopify's `Money` scalar: a decimal string in the shop's currency. */
  price: string;
  compareAtPrice: string | null;
  availableForSale: boolean;
  inventoryQuantity: number;
  inventoryPolicy: "CONTINUE" | "DENY";
  position: number;
  selectedOptions: { name: string; value: string }[];
  taxable: boolean;
  createdAt: string;
  updatedAt: string;
};

export type ProductFixture = {
  __typename: "Product";
  id: string;
  title: string;
  handle: string;
  description: string;
  descriptionHtml: string;
  vendor: string;
  productType: string;
  status: ProductStatus;
  tags: string[];
  createdAt: string;
  updatedAt: string;
  publishedAt: string | null;
  onlineStoreUrl: string | null;
  totalInventory: number;
  tracksInventory: boolean;
  hasOnlyDefaultVariant: boolean;
  hasOutOfStockVariants: boolean;
  isGiftCard: boolean;
  options: { id: string; name: string; position: number; values: string[] }[];
  priceRangeV2: { minVariantPrice: MoneyV2; maxVariantPrice: MoneyV2 };
  variants: ProductVariantFixture[];
};

export type CollectionFixture = {
  __typename: "Collection";
  id: string;
  title: string;
  handle: string;
  description: string;
  descriptionHtml: string;
  sortOrder: "ALPHA_ASC" | "ALPHA_DESC" | "BEST_SELLING" | "CREATED" | "CREATED_DESC" | "MANUAL" | "PRICE_ASC" | "PRICE_DESC";
  updatedAt: string;
  /** Members in collection order; the fake serves them as `Collection.products`. */
  productIds: string[];
};

type ProductLine = {
  productType: string;
  items: readonly string[];
  materials: readonly string[];
  priceRange: readonly [number, number];
  option: "Size" | "Color" | "Title";
  care: string;
};

const PRODUCT_LINES: readonly ProductLine[] = [
  { productType: "Sweaters", items: ["Crew Sweater", "Cardigan", "Roll-Neck Sweater"], materials: ["Merino", "Cashmere", "Lambswool", "Organic Cotton"], priceRange: [79, 189], option: "Size", care: "Hand wash cold and dry flat." },
  { productType: "T-Shirts", items: ["Tee", "Pocket Tee", "Long-Sleeve Tee"], materials: ["Organic Cotton", "Linen", "Slub Cotton"], priceRange: [24, 48], option: "Size", care: "Machine wash cold, tumble dry low." },
  { productType: "Socks", items: ["Hiking Socks", "Everyday Socks", "Ankle Socks"], materials: ["Merino", "Bamboo", "Cotton"], priceRange: [12, 26], option: "Size", care: "Machine wash warm, inside out." },
  { productType: "Hats", items: ["Beanie", "Cap", "Bucket Hat"], materials: ["Wool", "Waxed Cotton", "Recycled Nylon"], priceRange: [22, 45], option: "Color", care: "Spot clean only." },
  { productType: "Bags", items: ["Tote", "Backpack", "Weekender"], materials: ["Canvas", "Leather", "Recycled Nylon"], priceRange: [45, 240], option: "Color", care: "Wipe clean with a damp cloth." },
  { productType: "Mugs", items: ["Mug", "Travel Mug"], materials: ["Stoneware", "Enamel", "Steel"], priceRange: [18, 36], option: "Title", care: "Dishwasher safe." },
];

const SIZES = ["XS", "S", "M", "L", "XL"] as const;
const COLORS = ["Oat", "Charcoal", "Forest", "Navy", "Rust", "Sand"] as const;
const VENDORS = ["Northwind Knits", "Harbor & Pine", "Field Supply Co.", "Lakeside Goods"] as const;

export type CatalogueOptions = {
  productCount: number;
  random: Random;
  currencyCode: string;
  /** Where the online store lives, e.g. "https://www.oscar-sandbox.com", for `onlineStoreUrl`. */
  storefrontUrl: string;
  now: Date;
  /** Keeps ids of different fixture stores apart, as they are in real Shopify. */
  idOffset: number;
};

export function slugify(text: string): string {
  return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/&/g, "and").replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
}

function optionValuesFor(line: ProductLine, random: Random): string[] {
  if (line.option === "Title") return ["Default Title"];
  if (line.option === "Size") {
    const start = random.int(0, 1);
    return SIZES.slice(start, start + random.int(3, 4));
  }
  const start = random.int(0, COLORS.length - 3);
  return COLORS.slice(start, start + random.int(2, 3));
}

/** Products with variants, plus one collection per product type, "Best sellers" and "New arrivals". */
export function generateCatalogue(options: CatalogueOptions): { products: ProductFixture[]; collections: CollectionFixture[] } {
  const { productCount, random, currencyCode, storefrontUrl, now, idOffset } = options;
  const products: ProductFixture[] = [];
  const usedHandles = new Set<string>();
  let variantSeq = 0;

  for (let index = 0; index < productCount; index++) {
    const line = random.pick(PRODUCT_LINES);
    const material = random.pick(line.materials);
    const item = random.pick(line.items);
    const title = `${material} ${item}`;
    let handle = slugify(title);
    if (usedHandles.has(handle)) handle = `${handle}-${index + 1}`;
    usedHandles.add(handle);

    const id = gid("Product", 8_100_000_000_000 + idOffset * 1_000_000 + index + 1);
    const createdDaysAgo = random.int(30, 1_000);
    const createdAt = isoDaysBefore(now, createdDaysAgo);
    const updatedAt = isoDaysBefore(now, random.int(1, createdDaysAgo));
    const statusRoll = random.next();
    const status: ProductStatus = statusRoll < 0.9 ? "ACTIVE" : statusRoll < 0.97 ? "DRAFT" : "ARCHIVED";
    // Shop prices end in .00 or .99.
    const basePrice = random.int(line.priceRange[0], line.priceRange[1]) - (random.chance(0.5) ? 0.01 : 0);
    const onSale = random.chance(0.15);
    const values = optionValuesFor(line, random);

    const variants = values.map((value, position): ProductVariantFixture => {
      variantSeq += 1;
      const price = line.option === "Size" && value === "XL" ? basePrice + 5 : basePrice;
      const inventoryQuantity = random.chance(0.12) ? 0 : random.int(1, 60);
      const inventoryPolicy = random.chance(0.05) ? "CONTINUE" : "DENY";
      return {
        __typename: "ProductVariant",
        id: gid("ProductVariant", 45_000_000_000_000 + idOffset * 10_000_000 + variantSeq),
        productId: id,
        title: value,
        displayName: value === "Default Title" ? title : `${title} - ${value}`,
        sku: `${line.productType.replace(/[^A-Za-z]/g, "").slice(0, 3).toUpperCase()}-${String(index + 1).padStart(5, "0")}-${slugify(value).toUpperCase()}`,
        barcode: null,
        price: price.toFixed(2),
        compareAtPrice: onSale ? (price * 1.25).toFixed(2) : null,
        availableForSale: status === "ACTIVE" && (inventoryQuantity > 0 || inventoryPolicy === "CONTINUE"),
        inventoryQuantity,
        inventoryPolicy,
        position: position + 1,
        selectedOptions: [{ name: line.option, value }],
        taxable: true,
        createdAt,
        updatedAt,
      };
    });

    const prices = variants.map((variant) => Number(variant.price));
    const tags = [slugify(line.productType), slugify(material)];
    if (random.chance(0.2)) tags.push("bestseller");
    if (createdDaysAgo < 60) tags.push("new");
    const description = `Our ${material.toLowerCase()} ${item.toLowerCase()}, made to last and to be worn often. ${line.care}`;

    products.push({
      __typename: "Product",
      id,
      title,
      handle,
      description,
      descriptionHtml: `<p>${description}</p>`,
      vendor: random.pick(VENDORS),
      productType: line.productType,
      status,
      tags,
      createdAt,
      updatedAt,
      publishedAt: status === "ACTIVE" ? createdAt : null,
      onlineStoreUrl: status === "ACTIVE" ? `${storefrontUrl}/products/${handle}` : null,
      totalInventory: variants.reduce((sum, variant) => sum + variant.inventoryQuantity, 0),
      tracksInventory: true,
      hasOnlyDefaultVariant: line.option === "Title",
      hasOutOfStockVariants: variants.some((variant) => variant.inventoryQuantity === 0),
      isGiftCard: false,
      options: [{ id: gid("ProductOption", 10_000_000_000 + idOffset * 1_000_000 + index + 1), name: line.option, position: 1, values }],
      priceRangeV2: {
        minVariantPrice: moneyV2(Math.min(...prices), currencyCode),
        maxVariantPrice: moneyV2(Math.max(...prices), currencyCode),
      },
      variants,
    });
  }

  return { products, collections: collectionsFor(products, idOffset, now) };
}

function collectionsFor(products: ProductFixture[], idOffset: number, now: Date): CollectionFixture[] {
  const live = products.filter((product) => product.status === "ACTIVE");
  const byType = PRODUCT_LINES.map((line) => ({
    title: line.productType,
    description: `Every ${line.productType.toLowerCase()} we make.`,
    sortOrder: "ALPHA_ASC" as const,
    members: live.filter((product) => product.productType === line.productType),
  }));
  const curated = [
    { title: "Best sellers", description: "What our customers come back for.", sortOrder: "BEST_SELLING" as const, members: live.filter((product) => product.tags.includes("bestseller")) },
    {
      title: "New arrivals",
      description: "Just landed in the shop.",
      sortOrder: "CREATED_DESC" as const,
      members: [...live].sort((a, b) => b.createdAt.localeCompare(a.createdAt)).slice(0, 12),
    },
  ];
  return [...byType, ...curated]
    .filter((collection) => collection.members.length > 0)
    .map((collection, index) => ({
      __typename: "Collection",
      id: gid("Collection", 450_000_000_000 + idOffset * 1_000 + index + 1),
      title: collection.title,
      handle: slugify(collection.title),
      description: collection.description,
      descriptionHtml: `<p>${collection.description}</p>`,
      sortOrder: collection.sortOrder,
      updatedAt: isoDaysBefore(now, 7 + index),
      productIds: collection.members.map((product) => product.id),
    }));
}

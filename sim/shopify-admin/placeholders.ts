// Values for fields the fixtures do not model. Shopify never returns null for a non-null field, so
// neither does the fake: it answers with the type's empty value (0, "", [], an empty object, the
// shop's currency) and nullable fields come back null. Unknown parts of the schema stay answerable.
import {
  getNullableType,
  isAbstractType,
  isEnumType,
  isListType,
  isNonNullType,
  isScalarType,
  type GraphQLOutputType,
  type GraphQLResolveInfo,
} from "graphql";
import type { StoreFixture } from "./fixtures";
import { gid } from "./gid";

function scalarPlaceholder(name: string, store: StoreFixture, info: GraphQLResolveInfo): unknown {
  switch (name) {
    case "Int":
    case "Float":
      return 0;
    case "Boolean":
      return false;
    case "ID":
      return gid(info.parentType.name, 0);
    case "DateTime":
      return store.shop.createdAt;
    case "Date":
      return store.shop.createdAt.slice(0, 10);
    case "Decimal":
    case "Money":
      return "0.0";
    case "UnsignedInt64":
    case "BigInt":
      return "0";
    case "URL":
      return store.shop.url;
    case "JSON":
      return {};
    case "Color":
      return "#000000";
    case "UtcOffset":
      return "+00:00";
    default:
      return "";
  }
}

export function placeholderFor(type: GraphQLOutputType, store: StoreFixture, info: GraphQLResolveInfo): unknown {
  if (!isNonNullType(type)) return null;
  const inner = getNullableType(type);
  if (isListType(inner)) return [];
  if (isScalarType(inner)) return scalarPlaceholder(inner.name, store, info);
  // An amount without its currency would read as the first enum value (AED): use the shop's.
  if (isEnumType(inner)) return inner.name === "CurrencyCode" ? store.shop.currencyCode : inner.getValues()[0]?.value;
  if (isAbstractType(inner)) return { __typename: info.schema.getPossibleTypes(inner)[0]?.name };
  return {};
}

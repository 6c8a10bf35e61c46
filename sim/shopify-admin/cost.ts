// Shopify's calculated query cost, simplified: scalars are free, each object costs 1, a connection
// costs 2 plus its page size times what one node costs, a mutation costs 10. Requested cost is
// estimated before running (from `first`/`last`); actual cost counts what was really returned.
import {
  getNamedType,
  getNullableType,
  getOperationAST,
  isListType,
  isCompositeType,
  isObjectType,
  isInterfaceType,
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLNamedType,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  type SelectionSetNode,
} from "graphql";

export const MUTATION_COST = 10;
/** Shopify refuses any single query whose requested cost is above this, whatever the bucket holds. */
export const SINGLE_QUERY_MAX_COST = 1000;

export function isConnectionType(type: GraphQLNamedType): boolean {
  return isObjectType(type) && type.name.endsWith("Connection") && "pageInfo" in type.getFields();
}

function isEdgeType(type: GraphQLNamedType): boolean {
  return isObjectType(type) && type.name.endsWith("Edge") && "node" in type.getFields();
}

type Walk = { schema: GraphQLSchema; fragments: Map<string, FragmentDefinitionNode>; variables: Record<string, unknown> };

function pageSize(field: FieldNode, variables: Record<string, unknown>): number {
  for (const argument of field.arguments ?? []) {
    if (argument.name.value !== "first" && argument.name.value !== "last") continue;
    const value = argument.value;
    if (value.kind === Kind.INT) return Number(value.value);
    if (value.kind === Kind.VARIABLE && typeof variables[value.name.value] === "number") return variables[value.name.value] as number;
  }
  // No page size: execution will refuse the connection anyway; count it as one node.
  return 1;
}

function idCount(field: FieldNode, variables: Record<string, unknown>): number {
  const value = field.arguments?.find((a) => a.name.value === "ids")?.value;
  if (value?.kind === Kind.LIST) return value.values.length;
  if (value?.kind === Kind.VARIABLE) {
    const ids = variables[value.name.value];
    return Array.isArray(ids) ? ids.length : 1;
  }
  return 1;
}

function selectionCost(selectionSet: SelectionSetNode, parentType: GraphQLCompositeType, walk: Walk): number {
  let total = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.INLINE_FRAGMENT || selection.kind === Kind.FRAGMENT_SPREAD) {
      const fragment = selection.kind === Kind.FRAGMENT_SPREAD ? walk.fragments.get(selection.name.value) : selection;
      if (!fragment) continue;
      const condition = fragment.typeCondition ? walk.schema.getType(fragment.typeCondition.name.value) : parentType;
      if (condition && isCompositeType(condition)) total += selectionCost(fragment.selectionSet, condition, walk);
      continue;
    }
    if (!(isObjectType(parentType) || isInterfaceType(parentType))) continue;
    const definition = parentType.getFields()[selection.name.value];
    if (!definition) continue;
    const fieldType = getNamedType(definition.type);
    if (!isCompositeType(fieldType)) continue;
    const childCost = selection.selectionSet ? selectionCost(selection.selectionSet, fieldType, walk) : 0;
    const name = selection.name.value;
    if (isConnectionType(fieldType)) total += 2 + pageSize(selection, walk.variables) * childCost;
    else if (isListType(getNullableType(definition.type)) && selection.arguments?.some((a) => a.name.value === "ids")) {
      // nodes(ids:) and the like: every id asks for one object. Assumption from Shopify's rule that
      // each requested object costs a point (https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits, "Cost calculation").
      total += idCount(selection, walk.variables) * (1 + childCost);
    }
    else if (isConnectionType(parentType) && (name === "edges" || name === "pageInfo")) total += name === "edges" ? childCost : 0;
    else total += 1 + childCost;
  }
  return total;
}

/** The cost Shopify would ask for before running the operation. */
export function estimateQueryCost(schema: GraphQLSchema, document: DocumentNode, operationName: string | undefined, variables: Record<string, unknown>): number {
  const operation = getOperationAST(document, operationName);
  if (!operation) return 0;
  const rootType = operation.operation === "mutation" ? schema.getMutationType() : schema.getQueryType();
  if (!rootType) return 0;
  const fragments = new Map(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
  );
  const walk: Walk = { schema, fragments, variables };
  const fieldsCost = selectionCost(operation.selectionSet, rootType, walk);
  const mutationCost = operation.operation === "mutation" ? MUTATION_COST * operation.selectionSet.selections.length : 0;
  return fieldsCost + mutationCost;
}

/** What one resolved field adds to the actual cost, by the same rules as the estimate. */
export function actualCostOfField(info: GraphQLResolveInfo, value: unknown): number {
  const fieldType = getNamedType(info.returnType);
  const isRootMutation = info.parentType === info.schema.getMutationType();
  const base = isRootMutation ? MUTATION_COST : 0;
  if (!isCompositeType(fieldType) || value === null || value === undefined) return base;
  if (isConnectionType(fieldType)) return base + 2;
  if (isConnectionType(info.parentType) && (info.fieldName === "edges" || info.fieldName === "pageInfo")) return base;
  if (isEdgeType(info.parentType)) return base + 1;
  if (Array.isArray(value)) return base + value.filter((item) => item !== null && item !== undefined).length;
  return base + 1;
}

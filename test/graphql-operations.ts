// Finds every Admin GraphQL operation in the app's source, as Shopify's codegen would: string and
// template literals that start with the `#graphql` marker (or are tagged gql/graphql), and any
// GraphQL document in app/graphql/. Then checks them against the published Admin schema.
import { readdirSync, readFileSync } from "node:fs";
import { extname, join, relative, resolve, sep } from "node:path";
import { GraphQLError, Kind, parse, print, validate, visit, type DocumentNode, type GraphQLSchema } from "graphql";
import ts from "typescript";

export type GraphqlOperationSource = {
  /** Path relative to the repository root, with forward slashes. */
  file: string;
  line: number;
  /** The first operation's name, when the document parses and names it. */
  name: string | null;
  document: string;
  /** Why the literal cannot be checked as it stands (e.g. it interpolates values). */
  problem?: string;
};

const MARKER = "#graphql";
const GRAPHQL_TAGS = new Set(["gql", "graphql"]);
const SOURCE_EXTENSIONS = new Set([".ts", ".tsx"]);
const DOCUMENT_EXTENSIONS = new Set([".graphql", ".gql"]);
const LOOKS_LIKE_DOCUMENT = /^\s*(#graphql\b|query\b|mutation\b|subscription\b|fragment\b)/;

function filesUnder(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "node_modules" ? [] : filesUnder(path);
    return [path];
  });
}

function operationName(document: string): string | null {
  try {
    const parsed = parse(document);
    const operation = parsed.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
    return operation && operation.kind === Kind.OPERATION_DEFINITION ? (operation.name?.value ?? null) : null;
  } catch {
    return null;
  }
}

function isGraphqlTagged(node: ts.Node): boolean {
  const parent = node.parent;
  return ts.isTaggedTemplateExpression(parent) && ts.isIdentifier(parent.tag) && GRAPHQL_TAGS.has(parent.tag.text);
}

function literalsIn(file: string, text: string, inGraphqlFolder: boolean): Omit<GraphqlOperationSource, "file">[] {
  const kind = file.endsWith(".tsx") ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, kind);
  const found: Omit<GraphqlOperationSource, "file">[] = [];
  const isOperation = (node: ts.Node, literalText: string) =>
    literalText.trimStart().startsWith(MARKER) || isGraphqlTagged(node) || (inGraphqlFolder && LOOKS_LIKE_DOCUMENT.test(literalText));
  const lineOf = (node: ts.Node) => source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;

  const visitNode = (node: ts.Node): void => {
    if ((ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) && isOperation(node, node.text)) {
      found.push({ line: lineOf(node), name: operationName(node.text), document: node.text });
    } else if (ts.isTemplateExpression(node) && isOperation(node, node.head.text)) {
      const document = [node.head.text, ...node.templateSpans.map((span) => `\${…}${span.literal.text}`)].join("");
      found.push({
        line: lineOf(node),
        name: null,
        document,
        problem: "it interpolates ${…}; write Admin operations as static strings so they can be validated and code-generated",
      });
      return;
    }
    ts.forEachChild(node, visitNode);
  };
  visitNode(source);
  return found;
}

/** Every Admin GraphQL operation under `appDir` (the repository's app/ by default). */
export function findAdminGraphqlOperations(appDir = resolve("app"), repoRoot = resolve(".")): GraphqlOperationSource[] {
  const graphqlFolder = join(appDir, "graphql") + sep;
  return filesUnder(appDir)
    .sort()
    .flatMap((path) => {
      const file = relative(repoRoot, path).split(sep).join("/");
      const extension = extname(path);
      const text = readFileSync(path, "utf8");
      if (DOCUMENT_EXTENSIONS.has(extension)) return [{ file, line: 1, name: operationName(text), document: text }];
      if (!SOURCE_EXTENSIONS.has(extension)) return [];
      return literalsIn(path, text, path.startsWith(graphqlFolder)).map((operation) => ({ file, ...operation }));
    });
}

function describeError(error: GraphQLError, operation: GraphqlOperationSource): string {
  const where = error.locations?.[0];
  return where ? `${error.message} (line ${operation.line + where.line - 1}, column ${where.column})` : error.message;
}

/** What is wrong with an operation against the schema; empty when it is valid. */
export function problemsWith(schema: GraphQLSchema, operation: GraphqlOperationSource): string[] {
  if (operation.problem) return [operation.problem];
  let document: DocumentNode;
  try {
    document = parse(operation.document);
  } catch (error) {
    return [describeError(error as GraphQLError, operation)];
  }
  return validate(schema, document).map((error) => describeError(error, operation));
}

/** The operation with its first leaf field misspelled: last two letters swapped ("currencyCode" → "currencyCoed"), or one dropped. */
export function withMisspelledField(document: string): { document: string; misspelled: string } {
  let misspelled = "";
  const edited = visit(parse(document), {
    Field(node) {
      if (misspelled || node.selectionSet || node.name.value.startsWith("__")) return undefined;
      const name = node.name.value;
      const swapped = `${name.slice(0, -2)}${name.at(-1)}${name.at(-2)}`;
      misspelled = swapped === name ? name.slice(0, -1) : swapped;
      return { ...node, name: { ...node.name, value: misspelled } };
    },
  });
  return { document: print(edited), misspelled };
}

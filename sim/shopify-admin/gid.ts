// Shopify's global ids: "gid://shopify/<Type>/<number>", the number being the REST-era id.

export function gid(type: string, id: number | string): string {
  return `gid://shopify/${type}/${id}`;
}

export function parseGid(value: string): { type: string; legacyId: string } | undefined {
  const match = /^gid:\/\/shopify\/([A-Za-z]+)\/([^/?]+)/.exec(value);
  return match ? { type: match[1], legacyId: match[2] } : undefined;
}

/** The number at the end of a GID, as Shopify's `legacyResourceId` and search `id:` filters use it. */
export function legacyIdOf(value: string): string {
  return parseGid(value)?.legacyId ?? value;
}

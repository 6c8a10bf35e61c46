import { useEffect, useState } from "preact/hooks";

/** What a block shows while it asks the app: loading, the data, "not found", or an error. */
export type AppData<T> = { state: "loading" } | { state: "ready"; data: T } | { state: "not-found" } | { state: "withheld" } | { state: "error" };

/**
 * GET from the app's backend. The admin resolves a relative URL against the app's `application_url`
 * and adds `Authorization: Bearer <session token>` itself (shopify.dev/docs/api/admin-extensions,
 * "App authentication"), so the extension never handles the token.
 */
export function useAppData<T>(path: string): AppData<T> {
  const [data, setData] = useState<AppData<T>>({ state: "loading" });
  useEffect(() => {
    let current = true;
    setData({ state: "loading" });
    fetch(path)
      .then(async (response) => {
        if (!current) return;
        if (response.status === 404) return setData({ state: "not-found" });
        // Shopify withholds customers and orders from an app not approved for protected customer data.
        if (response.status === 403) return setData({ state: "withheld" });
        if (!response.ok) return setData({ state: "error" });
        setData({ state: "ready", data: (await response.json()) as T });
      })
      .catch(() => current && setData({ state: "error" }));
    return () => {
      current = false;
    };
  }, [path]);
  return data;
}

/** The numeric id at the end of the page's resource GID ("gid://shopify/Customer/123" → "123"). */
export function resourceId(selected: { id: string }[]): string {
  return selected[0]?.id.split("/").pop() ?? "";
}

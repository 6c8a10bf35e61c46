import { useFetcher } from "@remix-run/react";
import { useAppBridge } from "@shopify/app-bridge-react";
import { Badge, Banner, BlockStack, Button, InlineStack, Text } from "@shopify/polaris";
import { useCallback, useEffect, useRef } from "react";
import type { HomeAction, HomeData } from "./types";

/**
 * Whether the app embed is on in the live theme, with the deep link that opens the theme editor with
 * it switched on. Checks again by itself when the merchant comes back to this tab from the editor.
 */
export function ThemeEmbedStatus({ embed, themeEditorUrl, checkOnReturn }: { embed: HomeData["embed"]; themeEditorUrl: string; checkOnReturn: boolean }) {
  const fetcher = useFetcher<HomeAction>();
  const shopify = useAppBridge();
  const announce = useRef(false);
  const { submit } = fetcher;
  const check = useCallback(() => submit({ intent: "check-embed" }, { method: "post" }), [submit]);

  const checkedOnArrival = useRef(false);
  useEffect(() => {
    if (!checkOnReturn) return;
    if (!embed && !checkedOnArrival.current) {
      checkedOnArrival.current = true;
      check();
    }
    window.addEventListener("focus", check);
    return () => window.removeEventListener("focus", check);
  }, [checkOnReturn, check, embed]);

  const result = fetcher.state === "idle" ? fetcher.data : undefined;
  useEffect(() => {
    if (result && announce.current) {
      announce.current = false;
      shopify.toast.show(result.message, { isError: !result.ok || ("problem" in result && result.problem === true) });
    }
  }, [result, shopify]);

  const checking = fetcher.state !== "idle";
  return (
    <BlockStack gap="300">
      {embed?.problem ? (
        <Banner tone="warning" title="Oscar Chat could not tell whether the chat is on">
          <p>{embed.problem}</p>
        </Banner>
      ) : (
        <InlineStack gap="200" blockAlign="center">
          {embed?.active ? <Badge tone="success">On</Badge> : <Badge tone="attention">Off</Badge>}
          <Text as="span" tone="subdued">
            {embed
              ? `${embed.active ? "On" : "Not on"} in your live theme “${embed.themeName}” (checked ${embed.checkedAt}).`
              : checking
                ? "Checking your live theme…"
                : "Not checked yet."}
          </Text>
        </InlineStack>
      )}
      <InlineStack gap="200">
        <Button variant={embed?.active ? "secondary" : "primary"} url={themeEditorUrl} target="_blank">
          Open theme editor
        </Button>
        <Button
          loading={checking}
          onClick={() => {
            announce.current = true;
            check();
          }}
        >
          Check again
        </Button>
      </InlineStack>
    </BlockStack>
  );
}

/** @jsxImportSource preact */
import "@shopify/ui-extensions/preact";
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { APP_URL } from "./app-url";

/**
 * "Get help with this order" on the order status page. A signed-in customer asks the app for a signed
 * hand-off (the app checks the order is theirs), then opens the store's chat with it. A buyer who is
 * not signed in (the page reached by a link from an email) sees a sign-in prompt: the block sends
 * nothing, and nothing about the order leaves the page, until Shopify has authenticated them.
 */
export default async () => {
  render(<OrderHelpBlock />, document.body);
};

type Step = { kind: "idle" } | { kind: "asking" } | { kind: "ready"; url: string } | { kind: "failed" };

/** The current value of one of the target's signals, kept current. */
function useSignal<T>(signal: { value: T; subscribe: (fn: (value: T) => void) => () => void }): T {
  const [value, setValue] = useState(signal.value);
  useEffect(() => signal.subscribe(setValue), [signal]);
  return value;
}

function OrderHelpBlock() {
  const authentication = useSignal(shopify.authenticationState);
  const order = useSignal(shopify.order);
  const [step, setStep] = useState<Step>({ kind: "idle" });
  const t = shopify.i18n.translate;

  if (authentication !== "fully_authenticated") {
    return (
      <s-section heading={t("heading")}>
        <s-stack gap="base">
          <s-paragraph>{t("signInPrompt")}</s-paragraph>
          <s-button onClick={() => void shopify.requireLogin()}>{t("signIn")}</s-button>
        </s-stack>
      </s-section>
    );
  }
  if (!order) return null;

  async function askForHandOff(orderId: string) {
    setStep({ kind: "asking" });
    try {
      if (!APP_URL || !shopify.shop.storefrontUrl) throw new Error("not configured");
      const response = await fetch(`${APP_URL}/customer-account/order-help`, {
        method: "POST",
        headers: { Authorization: `Bearer ${await shopify.sessionToken.get()}`, "Content-Type": "application/json" },
        body: JSON.stringify({ order_id: orderId }),
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const { token } = (await response.json()) as { token: string };
      // In the fragment: never sent to the storefront's server, never in a Referer.
      setStep({ kind: "ready", url: `${shopify.shop.storefrontUrl.replace(/\/$/, "")}/#oscar-order-help=${encodeURIComponent(token)}` });
    } catch {
      setStep({ kind: "failed" });
    }
  }

  return (
    <s-section heading={t("heading")}>
      <s-stack gap="base">
        {step.kind === "ready" ? (
          <>
            <s-paragraph>{t("ready", { orderName: order.name })}</s-paragraph>
            <s-button variant="primary" href={step.url} target="_blank">
              {t("openChat")}
            </s-button>
          </>
        ) : (
          <>
            <s-paragraph>{t("intro", { orderName: order.name })}</s-paragraph>
            {step.kind === "failed" ? <s-banner tone="critical">{t("unavailable")}</s-banner> : null}
            <s-button loading={step.kind === "asking"} onClick={() => void askForHandOff(order.id)}>
              {t("getHelp")}
            </s-button>
          </>
        )}
      </s-stack>
    </s-section>
  );
}

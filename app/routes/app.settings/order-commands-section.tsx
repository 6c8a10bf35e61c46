import { useFetcher } from "@remix-run/react";
import { useAppBridge } from "@shopify/app-bridge-react";
import { Badge, Banner, BlockStack, Button, Card, Checkbox, ChoiceList, FormLayout, InlineStack, List, Text, TextField } from "@shopify/polaris";
import { useEffect, useState } from "react";
import { ORDER_COMMANDS } from "../../components/order-command-labels";
import { useResultToast } from "../../components/use-result-toast";
import type { OrderCommandKind } from "../../models/order-commands.server";
import { SCOPE_PURPOSE, SCOPES_FOR_COMMAND } from "../../services/order-command-access";
import type { OscarChoiceList } from "../../services/oscar-choices.server";
import type { SettingsData } from "./types";

type OrderCommandsData = SettingsData["orderCommands"];
type Answer = { ok: boolean; message: string; errors: Record<string, string>; waitingForAccess?: OrderCommandKind[]; scopesToRequest?: string[] };

type FormState = { enabled: OrderCommandKind[]; agents: string; maxRefund: string; maxDiscountPercent: string; notifyCustomer: boolean };

const initialState = ({ settings }: OrderCommandsData): FormState => ({
  enabled: [...settings.enabledCommands],
  agents: settings.allowedAgentIds.join("\n"),
  maxRefund: settings.maxRefundAmount ?? "",
  maxDiscountPercent: settings.maxDiscountPercent === null ? "" : String(settings.maxDiscountPercent),
  notifyCustomer: settings.notifyCustomer,
});

function toFormData(state: FormState): FormData {
  const form = new FormData();
  form.set("intent", "save-order-commands");
  for (const kind of state.enabled) form.append("orderCommands.enabled", kind);
  form.set("orderCommands.agents", state.agents);
  form.set("orderCommands.maxRefund", state.maxRefund);
  form.set("orderCommands.maxDiscountPercent", state.maxDiscountPercent);
  form.set("orderCommands.notifyCustomer", String(state.notifyCustomer));
  return form;
}

export type OrderCommandFetchers = { save: ReturnType<typeof useFetcher<Answer>>; turnOn: ReturnType<typeof useFetcher<Answer>> };

/**
 * The section's form submissions. Held by a component the settings form's remount (after every
 * reload of the page's data) leaves alone, so a save's answer (the scopes to ask for) survives it.
 */
export function useOrderCommandFetchers(): OrderCommandFetchers {
  const save = useFetcher<Answer>({ key: "order-commands-save" });
  const turnOn = useFetcher<Answer>({ key: "order-commands-turn-on" });
  useResultToast(save.data);
  useResultToast(turnOn.data);
  return { save, turnOn };
}

/**
 * Order actions agents may take from a private note in Oscar's inbox. Saved on its own (not with the
 * page's save bar) because turning a command on may need Shopify's permission dialog first.
 */
export function OrderCommandsSection({ data, agents, currencyCode, fetchers }: { data: OrderCommandsData; agents: OscarChoiceList; currencyCode: string | null; fetchers: OrderCommandFetchers }) {
  const { save, turnOn } = fetchers;
  const [state, setState] = useState(() => initialState(data));
  // Start again from what was saved (a command waiting for access comes back off).
  useEffect(() => setState(initialState(data)), [data]);
  const set = <K extends keyof FormState>(key: K) => (value: FormState[K]) => setState((s) => ({ ...s, [key]: value }));
  const errors = save.data?.ok === false ? save.data.errors : {};
  const saving = save.state !== "idle";
  const granted = data.access.granted;
  const waiting = save.state === "idle" && save.data?.ok && save.data.scopesToRequest?.length ? save.data : null;

  return (
    <Card>
      <BlockStack gap="500">
        <Text as="p">
          Agents write a command in a private note, such as <code>/refund #1025 24.90</code>. Oscar Chat answers with a private preview and a code; nothing happens in
          your store until the agent confirms with <code>/confirm</code> and the code. Every command is listed on the Order actions page.
        </Text>
        {data.access.problem ? (
          <Banner tone="warning">
            <p>{data.access.problem}</p>
          </Banner>
        ) : null}
        <BlockStack gap="200">
          <Text as="h3" variant="headingSm" id="order-commands-title">
            What agents may do
          </Text>
          {ORDER_COMMANDS.map((command) => {
            const needs = granted ? SCOPES_FOR_COMMAND[command.kind].filter((scope) => !granted.includes(scope)) : [];
            return (
              <InlineStack key={command.kind} gap="200" blockAlign="start" wrap={false}>
                <Checkbox
                  label={command.label}
                  helpText={`Agents write: ${command.example}`}
                  checked={state.enabled.includes(command.kind)}
                  onChange={(checked) => set("enabled")(ORDER_COMMANDS.map((c) => c.kind).filter((k) => (k === command.kind ? checked : state.enabled.includes(k))))}
                />
                {needs.length ? <Badge tone="attention">{`Needs access: ${needs.join(", ")}`}</Badge> : null}
              </InlineStack>
            );
          })}
          {errors["orderCommands.enabled"] ? <Text as="p" tone="critical">{errors["orderCommands.enabled"]}</Text> : null}
        </BlockStack>
        {waiting ? <AccessRequest waiting={waiting} turnOn={turnOn} /> : null}
        <AllowedAgents agents={agents} value={state.agents} onChange={set("agents")} error={errors["orderCommands.agents"]} />
        <FormLayout>
          <FormLayout.Group>
            <TextField
              label="Largest refund"
              value={state.maxRefund}
              onChange={set("maxRefund")}
              inputMode="decimal"
              suffix={currencyCode ?? undefined}
              autoComplete="off"
              error={errors["orderCommands.maxRefund"]}
              helpText="In your store's currency. A refund above this is refused with a note to the agent."
            />
            <TextField
              label="Largest discount"
              value={state.maxDiscountPercent}
              onChange={set("maxDiscountPercent")}
              inputMode="numeric"
              suffix="%"
              autoComplete="off"
              error={errors["orderCommands.maxDiscountPercent"]}
              helpText="Discount codes are single-use and only for the customer in the conversation."
            />
          </FormLayout.Group>
          <Checkbox
            label="Let Shopify email the customer when an agent cancels or refunds an order"
            checked={state.notifyCustomer}
            onChange={set("notifyCustomer")}
            helpText="The preview tells the agent whether the customer will be told."
          />
        </FormLayout>
        <InlineStack gap="200">
          <Button variant="primary" loading={saving} disabled={saving} onClick={() => save.submit(toFormData(state), { method: "post" })}>
            Save order actions
          </Button>
          <Button disabled={saving} onClick={() => setState(initialState(data))}>
            Discard
          </Button>
        </InlineStack>
      </BlockStack>
    </Card>
  );
}

/**
 * Shopify's permission dialog for the optional scopes the chosen commands need (App Bridge's scopes
 * API); once the merchant allows, the waiting commands are turned on. Declining leaves them off.
 */
function AccessRequest({ waiting, turnOn }: { waiting: Answer; turnOn: ReturnType<typeof useFetcher<Answer>> }) {
  const shopify = useAppBridge();
  const [declined, setDeclined] = useState(false);
  const [asking, setAsking] = useState(false);
  const scopes = waiting.scopesToRequest ?? [];
  const commands = waiting.waitingForAccess ?? [];
  const ask = async () => {
    setAsking(true);
    try {
      // Without App Bridge's scopes API (an older admin), the library's redirect to Shopify's grant screen.
      if (!shopify.scopes?.request) {
        const form = new FormData();
        form.set("intent", "request-order-command-access");
        for (const scope of scopes) form.append("scopes", scope);
        return turnOn.submit(form, { method: "post" });
      }
      const answer = await shopify.scopes.request(scopes);
      if (answer.result !== "granted-all") return setDeclined(true);
      const form = new FormData();
      form.set("intent", "turn-on-granted-commands");
      for (const kind of commands) form.append("commands", kind);
      turnOn.submit(form, { method: "post" });
    } finally {
      setAsking(false);
    }
  };
  if (turnOn.state === "idle" && turnOn.data?.ok) return null;
  return (
    <Banner tone="warning" title="Shopify needs your permission first">
      <BlockStack gap="200">
        <p>These actions stay off until you allow Oscar Chat to:</p>
        <List>
          {scopes.map((scope) => (
            <List.Item key={scope}>
              {SCOPE_PURPOSE[scope] ?? scope} (<code>{scope}</code>)
            </List.Item>
          ))}
        </List>
        {declined ? <p>Access was not granted, so these actions are still off. You can ask again at any time.</p> : null}
        <InlineStack>
          <Button onClick={ask} loading={asking || turnOn.state !== "idle"}>
            Allow access in Shopify
          </Button>
        </InlineStack>
      </BlockStack>
    </Banner>
  );
}

/** The agents who may use commands: ticked from the account's agents, or typed one per line. */
function AllowedAgents({ agents, value, onChange, error }: { agents: OscarChoiceList; value: string; onChange: (value: string) => void; error?: string }) {
  const help = "Commands from anyone else are refused with a private note.";
  if (!agents.listed) {
    return <TextField label="Agents who may use order actions" value={value} onChange={onChange} multiline={3} autoComplete="off" error={error} helpText={`${agents.why} One agent id per line. ${help}`} />;
  }
  const selected = value.split(/[\n,]/).map((id) => id.trim()).filter(Boolean);
  const unknown = selected.filter((id) => !agents.choices.some((c) => c.id === id));
  const choices = [...agents.choices.map((c) => ({ label: c.label, value: c.id })), ...unknown.map((id) => ({ label: `${id} (not in your Oscar account)`, value: id }))];
  return (
    <BlockStack gap="200">
      <ChoiceList allowMultiple title="Agents who may use order actions" choices={choices} selected={selected} onChange={(next) => onChange(next.join("\n"))} error={error} />
      <Text as="p" tone="subdued">
        {help}
      </Text>
    </BlockStack>
  );
}

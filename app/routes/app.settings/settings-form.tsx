import type { FetcherWithComponents } from "@remix-run/react";
import { SaveBar } from "@shopify/app-bridge-react";
import { BlockStack, Card, Checkbox, ChoiceList, FormLayout, Layout, Text, TextField } from "@shopify/polaris";
import { useEffect, useMemo, useState, type ReactNode } from "react";
import { OscarIdPicker } from "../../components/oscar-id-picker";
import type { OscarChoiceList } from "../../services/oscar-choices.server";
import { initialFormState, sameFormState, toFormData, type SettingsFormState } from "./form-state";
import { ORDER_DATA_CHOICES, SLACK_ALERTS } from "./labels";
import { OrderCommandsSection, useOrderCommandFetchers, type OrderCommandFetchers } from "./order-commands-section";
import { OscarConnectionSection } from "./oscar-connection-section";
import { SlackAlertField } from "./slack-alert-field";
import type { SettingsData } from "./types";

type SaveFetcher = FetcherWithComponents<{ ok: boolean } | undefined>;
type Errors = Record<string, string>;
type TextSetting = "urgentKeywords" | "urgentAgentId" | "urgentLabel" | "vipTotalSpent" | "vipCustomerTags" | "vipAgentId" | "vipLabel" | "botEscalationAgents";
type BoundField = { value: string; onChange: (value: string) => void; error?: string; autoComplete: "off" };

/**
 * The editable settings, saved together through App Bridge's save bar. After each successful save the
 * form starts again from the saved values (typed Slack URLs, which the page never gets back, included).
 */
export function SettingsForm({ data, saveFetcher, errors }: { data: SettingsData; saveFetcher: SaveFetcher; errors: Errors }) {
  const initial = useMemo(() => initialFormState(data), [data]);
  const [saves, setSaves] = useState(0);
  const answer = saveFetcher.state === "idle" ? saveFetcher.data : undefined;
  const orderCommandFetchers = useOrderCommandFetchers();
  useEffect(() => {
    if (answer?.ok) setSaves((n) => n + 1);
  }, [answer]);
  return <SettingsFormBody key={`${saves}:${JSON.stringify(data)}`} data={data} initial={initial} saveFetcher={saveFetcher} errors={errors} orderCommandFetchers={orderCommandFetchers} />;
}

type BodyProps = { data: SettingsData; initial: SettingsFormState; saveFetcher: SaveFetcher; errors: Errors; orderCommandFetchers: OrderCommandFetchers };

function SettingsFormBody({ data, initial, saveFetcher, errors, orderCommandFetchers }: BodyProps) {
  const [state, setState] = useState(initial);
  const set = <K extends keyof SettingsFormState>(key: K) => (value: SettingsFormState[K]) => setState((s) => ({ ...s, [key]: value }));
  /** A text field's value, change handler and error, by its form name. */
  const bind = (key: TextSetting): BoundField => ({ value: state[key], onChange: set(key), error: errors[key], autoComplete: "off" });
  const dirty = !sameFormState(state, initial);
  // Without a connection there is no account to list agents from: ids are typed.
  const agents: OscarChoiceList = data.choices?.agents ?? { listed: false, why: "Connect Oscar to choose from your agents; until then, paste agent ids from Oscar." };
  const saving = saveFetcher.state !== "idle";

  return (
    <>
      <SaveBar id="settings-save-bar" open={dirty || saving}>
        <button variant="primary" loading={saving ? "" : undefined} disabled={saving} onClick={() => saveFetcher.submit(toFormData(state, initial), { method: "post" })}>
          Save
        </button>
        <button disabled={saving} onClick={() => setState(initial)}>
          Discard
        </button>
      </SaveBar>
      <Layout>
        <Layout.AnnotatedSection
          id="oscar-connection"
          title="Oscar connection"
          description="The key Oscar Chat uses to reach your Oscar account, and the chat widget your store shows. The key is stored encrypted and never shown again."
        >
          <OscarConnectionSection
            connection={data.connection}
            widgets={data.choices?.widgets ?? null}
            widgetId={state.widgetId}
            onWidgetIdChange={set("widgetId")}
            widgetError={errors.widgetId}
          />
        </Layout.AnnotatedSection>

        <Layout.AnnotatedSection
          id="escalation-rules"
          title="Escalation rules"
          description="Which conversations need a person fast. Oscar Chat labels them and assigns them to the agent you choose."
        >
          <BlockStack gap="400">
            <RuleCard title="Urgent conversations">
              <TextField
                label="Urgent keywords"
                {...bind("urgentKeywords")}
                multiline={4}
                helpText="One per line. A message with any of these words or phrases (whole words, any case) is urgent."
              />
              <AgentAndLabel agents={agents} agent={bind("urgentAgentId")} label={bind("urgentLabel")} />
            </RuleCard>
            <RuleCard title="VIP customers">
              <FormLayout.Group>
                <TextField
                  label="Total spent above"
                  {...bind("vipTotalSpent")}
                  inputMode="decimal"
                  suffix={data.currencyCode ?? undefined}
                  helpText="Signed-in customers who spent more than this in your store are VIPs."
                />
                <TextField
                  label="VIP customer tags"
                  {...bind("vipCustomerTags")}
                  helpText="Comma-separated. Signed-in customers with any of these tags in Shopify are VIPs."
                />
              </FormLayout.Group>
              <AgentAndLabel agents={agents} agent={bind("vipAgentId")} label={bind("vipLabel")} />
            </RuleCard>
            <RuleCard title="Bot hand-offs">
              <AgentPool agents={agents} pool={bind("botEscalationAgents")} />
            </RuleCard>
          </BlockStack>
        </Layout.AnnotatedSection>

        <Layout.AnnotatedSection
          id="slack-alerts"
          title="Slack alerts"
          description="Post alerts to a Slack channel through an incoming webhook. Saved URLs are kept encrypted and never shown again."
        >
          <Card>
            <BlockStack gap="500">
              {SLACK_ALERTS.map((alert) => (
                <SlackAlertField
                  key={alert.kind}
                  alert={alert}
                  configured={data.slack[alert.kind]}
                  value={state.slack[alert.kind]}
                  onChange={(value) => setState((s) => ({ ...s, slack: { ...s.slack, [alert.kind]: value } }))}
                  error={errors[`slack.${alert.kind}`]}
                />
              ))}
            </BlockStack>
          </Card>
        </Layout.AnnotatedSection>

        <Layout.AnnotatedSection
          id="order-status"
          title="Order-status self-service"
          description="Let the chat answer “where is my order?” by itself, sharing only what you allow."
        >
          <Card>
            <FormLayout>
              <Checkbox
                label="Let the chat answer questions about a shopper's own order"
                checked={state.orderStatusEnabled}
                onChange={set("orderStatusEnabled")}
              />
              <ChoiceList
                allowMultiple
                title="What the chat may share"
                choices={ORDER_DATA_CHOICES}
                selected={state.orderStatusFields}
                onChange={(selected) => set("orderStatusFields")(ORDER_DATA_CHOICES.map((c) => c.value).filter((v) => selected.includes(v)))}
                disabled={!state.orderStatusEnabled}
                error={errors["orderStatus.sharedFields"]}
              />
            </FormLayout>
          </Card>
        </Layout.AnnotatedSection>

        <Layout.AnnotatedSection
          id="order-commands"
          title="Order actions from the inbox"
          description="Let the agents you choose cancel, refund or change an order from a private note in Oscar, after a preview they confirm. Everything is off until you turn it on."
        >
          <OrderCommandsSection data={data.orderCommands} agents={agents} currencyCode={data.currencyCode} fetchers={orderCommandFetchers} />
        </Layout.AnnotatedSection>
      </Layout>
    </>
  );
}

function RuleCard({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Card>
      <FormLayout>
        <Text as="h3" variant="headingSm">
          {title}
        </Text>
        {children}
      </FormLayout>
    </Card>
  );
}

/** Who gets the conversation and which label it gets, for one rule. */
function AgentAndLabel({ agents, agent, label }: { agents: OscarChoiceList; agent: BoundField; label: BoundField }) {
  return (
    <FormLayout.Group>
      <OscarIdPicker
        label="Assign to agent"
        typedLabel="Assign to agent"
        list={agents}
        value={agent.value}
        onChange={agent.onChange}
        error={agent.error}
        noneLabel="No one: only add the label"
        placeholder="Oscar agent id; leave empty to only add the label"
      />
      <TextField label="Label to add" {...label} />
    </FormLayout.Group>
  );
}

/** The agents who take over from the bot in turn: ticked from the account's agents, or typed one per line. */
function AgentPool({ agents, pool }: { agents: OscarChoiceList; pool: BoundField }) {
  const help = "Conversations the bot hands to your team go to these agents in turn.";
  if (!agents.listed) {
    return <TextField label="Agents who take over from the bot" {...pool} multiline={3} helpText={`${agents.why} One agent id per line. ${help}`} />;
  }
  const selected = pool.value.split(/[\n,]/).map((id) => id.trim()).filter(Boolean);
  const unknown = selected.filter((id) => !agents.choices.some((c) => c.id === id));
  const choices = [
    ...agents.choices.map((c) => ({ label: c.label, value: c.id })),
    ...unknown.map((id) => ({ label: `${id} (not in your Oscar account)`, value: id })),
  ];
  return (
    <BlockStack gap="200">
      <ChoiceList
      allowMultiple
      title="Agents who take over from the bot"
      choices={choices}
      selected={selected}
      // Kept in the order the agents are listed, which is the order they take turns in.
      onChange={(next) => pool.onChange(choices.map((c) => c.value).filter((id) => next.includes(id)).join("\n"))}
      error={pool.error}
    />
      <Text as="p" tone="subdued">
        {help}
      </Text>
    </BlockStack>
  );
}

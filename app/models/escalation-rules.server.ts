import type { PrismaClient } from "@prisma/client";
import { z } from "zod";

/** A shop's routing rules, with the product's defaults for a shop that never changed them. */
export type EscalationRules = {
  urgentKeywords: string[];
  urgentAgentId: string | null;
  urgentLabel: string;
  vipPlans: string[];
  vipTotalSpent: number;
  vipAgentId: string | null;
  vipLabel: string;
  botEscalationAgents: string[];
};

export const DEFAULT_ESCALATION_RULES: EscalationRules = {
  urgentKeywords: ["refund", "fraud", "hack", "lawsuit", "cancel subscription", "charge"],
  urgentAgentId: null,
  urgentLabel: "urgent",
  vipPlans: ["enterprise"],
  vipTotalSpent: 1000,
  vipAgentId: null,
  vipLabel: "vip",
  botEscalationAgents: [],
};

const stringList = z.array(z.string());
const parseList = (json: string, fallback: string[]) => {
  try {
    return stringList.parse(JSON.parse(json));
  } catch {
    return fallback;
  }
};

export async function loadEscalationRules(db: PrismaClient, shop: string): Promise<EscalationRules> {
  const row = await db.escalationRules.findUnique({ where: { shop } });
  if (!row) return DEFAULT_ESCALATION_RULES;
  return {
    urgentKeywords: parseList(row.urgentKeywords, DEFAULT_ESCALATION_RULES.urgentKeywords),
    urgentAgentId: row.urgentAgentId,
    urgentLabel: row.urgentLabel,
    vipPlans: parseList(row.vipPlans, DEFAULT_ESCALATION_RULES.vipPlans),
    vipTotalSpent: row.vipTotalSpent,
    vipAgentId: row.vipAgentId,
    vipLabel: row.vipLabel,
    botEscalationAgents: parseList(row.botEscalationAgents, []),
  };
}

export async function saveEscalationRules(db: PrismaClient, shop: string, rules: EscalationRules): Promise<void> {
  const data = {
    urgentKeywords: JSON.stringify(rules.urgentKeywords),
    urgentAgentId: rules.urgentAgentId,
    urgentLabel: rules.urgentLabel,
    vipPlans: JSON.stringify(rules.vipPlans),
    vipTotalSpent: rules.vipTotalSpent,
    vipAgentId: rules.vipAgentId,
    vipLabel: rules.vipLabel,
    botEscalationAgents: JSON.stringify(rules.botEscalationAgents),
  };
  await db.escalationRules.upsert({ where: { shop }, create: { shop, ...data }, update: data });
}

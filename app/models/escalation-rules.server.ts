import type { PrismaClient } from "@prisma/client";
import { z } from "zod";

/** A shop's routing rules, with the product's defaults for a shop that never changed them. */
export type EscalationRules = {
  urgentKeywords: string[];
  urgentAgentId: string | null;
  urgentLabel: string;
  /** A signed-in shopper whose Shopify customer spent more than this (shop currency) is a VIP. */
  vipTotalSpent: number;
  /** So is one whose Shopify customer has any of these tags (any case), as merchants mark VIPs in Shopify. */
  vipCustomerTags: string[];
  vipAgentId: string | null;
  vipLabel: string;
  botEscalationAgents: string[];
};

export const DEFAULT_ESCALATION_RULES: EscalationRules = {
  urgentKeywords: ["refund", "fraud", "hack", "lawsuit", "cancel subscription", "charge"],
  urgentAgentId: null,
  urgentLabel: "urgent",
  vipTotalSpent: 1000,
  vipCustomerTags: ["VIP"],
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
    // The retired `vipPlans` column is left in place but never read: a plan is a contact attribute the shopper can set.
    vipTotalSpent: row.vipTotalSpent,
    vipCustomerTags: parseList(row.vipCustomerTags, DEFAULT_ESCALATION_RULES.vipCustomerTags),
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
    vipTotalSpent: rules.vipTotalSpent,
    vipCustomerTags: JSON.stringify(rules.vipCustomerTags),
    vipAgentId: rules.vipAgentId,
    vipLabel: rules.vipLabel,
    botEscalationAgents: JSON.stringify(rules.botEscalationAgents),
  };
  await db.escalationRules.upsert({ where: { shop }, create: { shop, ...data }, update: data });
}

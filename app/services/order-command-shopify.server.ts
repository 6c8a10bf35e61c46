import { z } from "zod";
import { DISCOUNT_CODE_FOR_CUSTOMER_CREATE_MUTATION } from "../graphql/discount-code-for-customer-create";
import { FULFILLMENT_TRACKING_RESEND_MUTATION } from "../graphql/fulfillment-tracking-resend";
import { ORDER_CANCEL_FOR_COMMAND_MUTATION } from "../graphql/order-cancel-for-command";
import { ORDER_FOR_COMMAND_QUERY } from "../graphql/order-for-command";
import { ORDER_SHIPPING_ADDRESS_UPDATE_MUTATION } from "../graphql/order-shipping-address-update";
import { REFUND_CREATE_FOR_COMMAND_MUTATION } from "../graphql/refund-create-for-command";
import { SUGGESTED_REFUND_FOR_COMMAND_QUERY } from "../graphql/suggested-refund-for-command";
import { runAdminQuery, type AdminGraphql } from "../shopify/admin-graphql.server";
import type { ShippingAddress } from "./order-command-parse";

/** What the order commands read from and do in Shopify, one Admin operation each (app/graphql/). */

const money = z.object({ amount: z.string(), currencyCode: z.string() });
const shopMoney = z.object({ shopMoney: money }).transform((bag) => bag.shopMoney);
export type Money = z.infer<typeof money>;

const orderSchema = z.object({
  id: z.string(),
  name: z.string(),
  customer: z.object({ id: z.string() }).nullable(),
  cancelledAt: z.string().nullable(),
  closed: z.boolean(),
  displayFinancialStatus: z.string().nullable(),
  displayFulfillmentStatus: z.string(),
  totalPriceSet: shopMoney,
  totalRefundedSet: shopMoney,
  shippingAddress: z
    .object({ city: z.string().nullable(), provinceCode: z.string().nullable(), zip: z.string().nullable(), countryCodeV2: z.string().nullable() })
    .passthrough()
    .nullable(),
  fulfillments: z.array(
    z.object({
      id: z.string(),
      status: z.string(),
      trackingInfo: z.array(z.object({ company: z.string().nullable(), number: z.string().nullable(), url: z.string().nullable() })),
    }),
  ),
});
export type OrderForCommand = z.infer<typeof orderSchema>;

/** The order with exactly this name, or null. Shopify's name search also matches partly, hence the exact check. */
export async function findOrderByName(graphql: AdminGraphql, orderName: string): Promise<OrderForCommand | null> {
  const data = await runAdminQuery(graphql, ORDER_FOR_COMMAND_QUERY, z.object({ orders: z.object({ nodes: z.array(orderSchema) }) }), {
    query: `name:${JSON.stringify(orderName)}`,
  });
  return data.orders.nodes.find((o) => o.name === orderName) ?? null;
}

const suggestionSchema = z.object({
  order: z
    .object({
      suggestedRefund: z.object({
        amountSet: shopMoney,
        maximumRefundableSet: shopMoney,
        shipping: z.object({ amountSet: shopMoney, maximumRefundableSet: shopMoney }),
        suggestedTransactions: z.array(z.object({ gateway: z.string().nullable(), kind: z.string(), parentTransaction: z.object({ id: z.string() }).nullable(), amountSet: shopMoney })),
      }),
    })
    .nullable(),
});

export type RefundSuggestion = {
  /** What Shopify suggests refunding for what was asked (all of it, or the shipping). */
  amount: Money;
  /** The most that can still be refunded on the order. */
  maximum: Money;
  /** The payment to refund against, as Shopify suggests it. */
  payment: { gateway: string; parentId: string } | null;
};

/** Shopify's own figures for a refund: of the shipping only, or of everything that remains. */
export async function suggestRefund(graphql: AdminGraphql, orderId: string, what: "shipping" | "everything"): Promise<RefundSuggestion | null> {
  const data = await runAdminQuery(graphql, SUGGESTED_REFUND_FOR_COMMAND_QUERY, suggestionSchema, {
    orderId,
    refundShipping: what === "shipping",
    suggestFullRefund: what === "everything",
  });
  const suggestion = data.order?.suggestedRefund;
  if (!suggestion) return null;
  const transaction = suggestion.suggestedTransactions.find((t) => t.parentTransaction && t.gateway);
  return {
    amount: suggestion.amountSet,
    maximum: suggestion.maximumRefundableSet,
    payment: transaction ? { gateway: transaction.gateway!, parentId: transaction.parentTransaction!.id } : null,
  };
}

/** Shopify's answer to an action: done (with what to tell the agent) or refused with Shopify's reasons. */
export type ActionResult = { ok: true; detail?: string } | { ok: false; reasons: string[] };

const userErrors = z.array(z.object({ message: z.string() }).passthrough());
const refusedBy = (errors: { message: string }[]): ActionResult => ({ ok: false, reasons: errors.map((e) => e.message) });

export async function cancelOrder(graphql: AdminGraphql, input: { orderId: string; restock: boolean; notifyCustomer: boolean; staffNote: string }): Promise<ActionResult> {
  const data = await runAdminQuery(
    graphql,
    ORDER_CANCEL_FOR_COMMAND_MUTATION,
    z.object({
      orderCancel: z.object({
        jobResult: z.object({ done: z.boolean(), status: z.string(), errors: userErrors }).nullable(),
        orderCancelUserErrors: userErrors,
      }),
    }),
    input,
  );
  const { jobResult, orderCancelUserErrors } = data.orderCancel;
  if (orderCancelUserErrors.length) return refusedBy(orderCancelUserErrors);
  if (jobResult?.errors.length) return refusedBy(jobResult.errors);
  if (jobResult?.status === "FAILED") return { ok: false, reasons: ["Shopify could not cancel the order."] };
  // orderCancel runs as a job: one not done yet has been accepted, and Shopify finishes it shortly.
  return { ok: true, detail: jobResult?.done ? undefined : "Shopify accepted the cancellation and is finishing it; the order page shows it within a minute." };
}

export async function refundOrder(
  graphql: AdminGraphql,
  input: { orderId: string; amount: Money; shipping: Money | null; payment: { gateway: string; parentId: string }; notify: boolean; note: string; idempotencyKey: string },
): Promise<ActionResult> {
  const data = await runAdminQuery(graphql, REFUND_CREATE_FOR_COMMAND_MUTATION, z.object({ refundCreate: z.object({ refund: z.object({ id: z.string() }).nullable(), userErrors }) }), {
    idempotencyKey: input.idempotencyKey,
    input: {
      orderId: input.orderId,
      currency: input.amount.currencyCode,
      notify: input.notify,
      note: input.note,
      ...(input.shipping ? { shipping: { amount: input.shipping.amount } } : {}),
      transactions: [{ orderId: input.orderId, amount: input.amount.amount, gateway: input.payment.gateway, kind: "REFUND", parentId: input.payment.parentId }],
    },
  });
  return data.refundCreate.userErrors.length || !data.refundCreate.refund ? refusedBy(data.refundCreate.userErrors) : { ok: true };
}

export async function updateShippingAddress(graphql: AdminGraphql, orderId: string, address: ShippingAddress): Promise<ActionResult> {
  const data = await runAdminQuery(graphql, ORDER_SHIPPING_ADDRESS_UPDATE_MUTATION, z.object({ orderUpdate: z.object({ order: z.object({ id: z.string() }).nullable(), userErrors }) }), {
    input: {
      id: orderId,
      shippingAddress: {
        firstName: address.firstName,
        lastName: address.lastName,
        address1: address.address1,
        address2: address.address2,
        city: address.city,
        provinceCode: address.provinceCode,
        zip: address.zip,
        countryCode: address.countryCode,
      },
    },
  });
  return data.orderUpdate.userErrors.length ? refusedBy(data.orderUpdate.userErrors) : { ok: true };
}

export async function createCustomerDiscountCode(
  graphql: AdminGraphql,
  input: { code: string; title: string; customerId: string; percent: number; startsAt: string; endsAt: string },
): Promise<ActionResult> {
  const data = await runAdminQuery(graphql, DISCOUNT_CODE_FOR_CUSTOMER_CREATE_MUTATION, z.object({ discountCodeBasicCreate: z.object({ codeDiscountNode: z.object({ id: z.string() }).nullable(), userErrors }) }), {
    discount: {
      title: input.title,
      code: input.code,
      startsAt: input.startsAt,
      endsAt: input.endsAt,
      context: { customers: { add: [input.customerId] } },
      customerGets: { value: { percentage: input.percent / 100 }, items: { all: true } },
      usageLimit: 1,
      appliesOncePerCustomer: true,
    },
  });
  return data.discountCodeBasicCreate.userErrors.length ? refusedBy(data.discountCodeBasicCreate.userErrors) : { ok: true };
}

export async function resendTracking(graphql: AdminGraphql, fulfillmentId: string, tracking: { company: string | null; number: string; url: string | null }): Promise<ActionResult> {
  const data = await runAdminQuery(graphql, FULFILLMENT_TRACKING_RESEND_MUTATION, z.object({ fulfillmentTrackingInfoUpdate: z.object({ fulfillment: z.object({ id: z.string() }).nullable(), userErrors }) }), {
    fulfillmentId,
    trackingInfoInput: { number: tracking.number, ...(tracking.company ? { company: tracking.company } : {}), ...(tracking.url ? { url: tracking.url } : {}) },
  });
  return data.fulfillmentTrackingInfoUpdate.userErrors.length ? refusedBy(data.fulfillmentTrackingInfoUpdate.userErrors) : { ok: true };
}

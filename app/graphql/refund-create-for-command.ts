/**
 * Refunds money on an order. Since 2026-04 Shopify requires an idempotency key on refundCreate: the
 * app passes the audit row's id, so a retried job can never refund twice.
 */
export const REFUND_CREATE_FOR_COMMAND_MUTATION = `#graphql
  mutation RefundCreateForCommand($input: RefundInput!, $idempotencyKey: String!) {
    refundCreate(input: $input) @idempotent(key: $idempotencyKey) {
      refund {
        id
        totalRefundedSet {
          shopMoney {
            amount
            currencyCode
          }
        }
      }
      userErrors {
        field
        message
      }
    }
  }
`;

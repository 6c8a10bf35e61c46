/**
 * Cancels an order for a shopper who asked to (reason CUSTOMER), refunding what they paid to the
 * original payment method. Shopify cancels asynchronously: the job result says whether it is done.
 */
export const ORDER_CANCEL_FOR_COMMAND_MUTATION = `#graphql
  mutation OrderCancelForCommand($orderId: ID!, $restock: Boolean!, $notifyCustomer: Boolean, $staffNote: String) {
    orderCancel(
      orderId: $orderId
      reason: CUSTOMER
      refundMethod: { originalPaymentMethodsRefund: true }
      restock: $restock
      notifyCustomer: $notifyCustomer
      staffNote: $staffNote
    ) {
      jobResult {
        id
        done
        status
        errors {
          code
          field
          message
        }
      }
      orderCancelUserErrors {
        code
        field
        message
      }
    }
  }
`;

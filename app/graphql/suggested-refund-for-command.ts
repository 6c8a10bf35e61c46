/**
 * What Shopify would refund: the shipping alone, or the whole order (whose suggested transactions
 * name the payment to refund against). The preview shows these amounts, never the app's own sums.
 */
export const SUGGESTED_REFUND_FOR_COMMAND_QUERY = `#graphql
  query SuggestedRefundForCommand($orderId: ID!, $refundShipping: Boolean, $suggestFullRefund: Boolean) {
    order(id: $orderId) {
      suggestedRefund(refundShipping: $refundShipping, suggestFullRefund: $suggestFullRefund) {
        amountSet {
          ...ShopMoneyOfCommand
        }
        maximumRefundableSet {
          ...ShopMoneyOfCommand
        }
        shipping {
          amountSet {
            ...ShopMoneyOfCommand
          }
          maximumRefundableSet {
            ...ShopMoneyOfCommand
          }
        }
        suggestedTransactions {
          gateway
          kind
          parentTransaction {
            id
          }
          amountSet {
            ...ShopMoneyOfCommand
          }
        }
      }
    }
  }

  fragment ShopMoneyOfCommand on MoneyBag {
    shopMoney {
      amount
      currencyCode
    }
  }
`;

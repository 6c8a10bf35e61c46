/**
 * What Shopify would refund: the shipping alone, or the whole order (whose suggested transactions
 * name the payment to refund against). The preview shows these amounts, never the app's own sums.
 */
export const SUGGESTED_REFUND_FOR_COMMAND_QUERY = `#graphql
  query SuggestedRefundForCommand($orderId: ID!, $refundShipping: Boolean, $suggestFullRefund: Boolean) {
    order(id: $orderId) {
      suggestedRefund(refundShipping: $refundShipping, suggestFullRefund: $suggestFullRefund) {
        amountSet {
          shopMoney {
            amount
            currencyCode
          }
        }
        maximumRefundableSet {
          shopMoney {
            amount
            currencyCode
          }
        }
        shipping {
          amountSet {
            shopMoney {
              amount
              currencyCode
            }
          }
          maximumRefundableSet {
            shopMoney {
              amount
              currencyCode
            }
          }
        }
        suggestedTransactions {
          gateway
          kind
          parentTransaction {
            id
          }
          amountSet {
            shopMoney {
              amount
              currencyCode
            }
          }
        }
      }
    }
  }
`;

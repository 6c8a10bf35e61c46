/**
 * The order an agent's command names, found by its name ("#1025"), with who placed it and what a
 * command needs to know: whether it can still be cancelled, what was paid and refunded, where it
 * ships and its fulfillments' tracking. The service checks the customer before anything else.
 */
export const ORDER_FOR_COMMAND_QUERY = `#graphql
  query OrderForCommand($query: String!) {
    orders(first: 5, query: $query) {
      nodes {
        id
        name
        customer {
          id
        }
        cancelledAt
        closed
        displayFinancialStatus
        displayFulfillmentStatus
        totalPriceSet {
          shopMoney {
            amount
            currencyCode
          }
        }
        totalRefundedSet {
          shopMoney {
            amount
            currencyCode
          }
        }
        shippingAddress {
          firstName
          lastName
          address1
          address2
          city
          provinceCode
          zip
          countryCodeV2
        }
        fulfillments(first: 10) {
          id
          status
          trackingInfo(first: 5) {
            company
            number
            url
          }
        }
      }
    }
  }
`;

/** The logged-in shopper as the chat should know them: who they are and what they have bought so far. */
export const STOREFRONT_CUSTOMER_QUERY = `#graphql
  query StorefrontCustomer($id: ID!) {
    customer(id: $id) {
      id
      firstName
      lastName
      defaultEmailAddress {
        emailAddress
      }
      numberOfOrders
      amountSpent {
        amount
        currencyCode
      }
      tags
      createdAt
    }
  }
`;

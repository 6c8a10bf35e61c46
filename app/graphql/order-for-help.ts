/**
 * The order a customer asks about from the order status page: whose it is (to check it is the signed-in
 * customer's) and its name for the agent's note. The email binds the hand-off identity to the customer
 * as the storefront identity does (identity.server.ts), and never leaves the app.
 */
export const ORDER_FOR_HELP_QUERY = `#graphql
  query OrderForHelp($id: ID!) {
    order(id: $id) {
      id
      name
      customer {
        id
        defaultEmailAddress {
          emailAddress
        }
      }
    }
  }
`;

/**
 * Whether the customer an admin block is shown on exists in the shop the session token names. Only
 * the id: the block shows the app's own records, and Shopify answers null for another shop's customer.
 */
export const CUSTOMER_FOR_ADMIN_BLOCK_QUERY = `#graphql
  query CustomerForAdminBlock($id: ID!) {
    customer(id: $id) {
      id
    }
  }
`;

/**
 * The order an admin block is shown on: when it was placed and whose it is, so the block can list that
 * customer's conversations before and after. Null for an unknown order or another shop's.
 */
export const ORDER_FOR_ADMIN_BLOCK_QUERY = `#graphql
  query OrderForAdminBlock($id: ID!) {
    order(id: $id) {
      id
      createdAt
      customer {
        id
      }
    }
  }
`;

/** The logged-in shopper as the chat should know them: who they are, nothing the browser should not see. */
export const STOREFRONT_CUSTOMER_QUERY = `#graphql
  query StorefrontCustomer($id: ID!) {
    customer(id: $id) {
      id
      firstName
      lastName
      defaultEmailAddress {
        emailAddress
      }
    }
  }
`;

/**
 * The customers whose email may be the contact's: Shopify's search is tokenised, so a hit is only a
 * candidate until its email equals the contact's (https://shopify.dev/docs/api/usage/search-syntax).
 * Ids and emails only, five at most: cheap to ask, and the one that matches is then read in full by id
 * (customer-by-id.ts), so the note's orders are asked for one customer, not five.
 */
export const CUSTOMER_FOR_CONVERSATION_QUERY = `#graphql
  query CustomerForConversation($query: String!) {
    customers(first: 5, query: $query) {
      nodes {
        id
        defaultEmailAddress {
          emailAddress
        }
      }
    }
  }
`;

/**
 * Products a webhook said changed, read fresh (webhooks can arrive out of order; the API cannot).
 * A deleted product answers null. Cost: about 1 + 2 + 100 + 2 + 10 points per product.
 */
export const KNOWLEDGE_PRODUCTS_BY_ID_QUERY = `#graphql
  query KnowledgeProductsById($ids: [ID!]!) {
    nodes(ids: $ids) {
      ... on Product {
        id
        title
        handle
        status
        description
        productType
        vendor
        tags
        onlineStoreUrl
        variants(first: 100) {
          nodes {
            id
            title
            price
            availableForSale
          }
        }
        collections(first: 10) {
          nodes {
            id
            title
          }
        }
      }
    }
  }
`;

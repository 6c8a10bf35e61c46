/**
 * Products a webhook said changed, read fresh (webhooks can arrive out of order; the API cannot).
 * A deleted product answers null.
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

/**
 * What each id in `ids` adds to the query's requested cost, by Shopify's rules (objects 1, connections
 * 2 plus their page size times a node; https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits):
 * the product 1, variants(first: 100) 2 + 100, collections(first: 10) 2 + 10. Change it with the query.
 */
export const KNOWLEDGE_PRODUCT_BY_ID_COST = 1 + (2 + 100) + (2 + 10);

/**
 * Every product with its variants and collections, for knowledge sync, run as a bulk operation
 * (no page sizes: Shopify writes the whole catalogue to a JSONL file, outside the cost throttle).
 */
export const KNOWLEDGE_PRODUCTS_BULK_QUERY = `#graphql
  query KnowledgeProductsBulk {
    products {
      edges {
        node {
          id
          title
          handle
          status
          description
          productType
          vendor
          tags
          onlineStoreUrl
          variants {
            edges {
              node {
                id
                title
                price
                availableForSale
              }
            }
          }
          collections {
            edges {
              node {
                id
                title
              }
            }
          }
        }
      }
    }
  }
`;

/** One page of the shop's collections, for knowledge sync. */
export const KNOWLEDGE_COLLECTIONS_QUERY = `#graphql
  query KnowledgeCollections($after: String) {
    collections(first: 250, after: $after) {
      nodes {
        id
        title
        handle
        description
        productsCount {
          count
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

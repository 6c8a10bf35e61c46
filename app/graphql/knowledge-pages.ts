/** One page of the online store's pages, for knowledge sync. */
export const KNOWLEDGE_PAGES_QUERY = `#graphql
  query KnowledgePages($after: String) {
    pages(first: 100, after: $after) {
      nodes {
        id
        title
        handle
        body
        isPublished
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

/** The app's latest bulk query for this shop: which query it runs, so a sync can wait for its own earlier read. */
export const CURRENT_BULK_OPERATION_QUERY = `#graphql
  query CurrentBulkOperation {
    currentBulkOperation(type: QUERY) {
      id
      status
      query
    }
  }
`;

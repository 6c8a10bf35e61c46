/** The shop's legal policies and the storefront address that page and collection links start from. */
export const KNOWLEDGE_SHOP_POLICIES_QUERY = `#graphql
  query KnowledgeShopPolicies {
    shop {
      name
      currencyCode
      primaryDomain {
        url
      }
      shopPolicies {
        id
        type
        title
        body
        url
      }
    }
  }
`;

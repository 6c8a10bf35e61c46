/**
 * Writes the chat's storefront settings as app-data metafields on the app installation; the theme
 * app extension reads them as `app.metafields.oscar_chat.<key>`.
 */
export const STOREFRONT_METAFIELDS_SET_MUTATION = `#graphql
  mutation StorefrontMetafieldsSet($metafields: [MetafieldsSetInput!]!) {
    metafieldsSet(metafields: $metafields) {
      metafields {
        namespace
        key
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;

/** The live theme's settings file, where Shopify records which app embeds are switched on. Needs read_themes. */
export const MAIN_THEME_SETTINGS_QUERY = `#graphql
  query MainThemeSettings {
    themes(first: 1, roles: [MAIN]) {
      nodes {
        id
        name
        files(first: 1, filenames: ["config/settings_data.json"]) {
          nodes {
            filename
            body {
              ... on OnlineStoreThemeFileBodyText {
                content
              }
            }
          }
        }
      }
    }
  }
`;

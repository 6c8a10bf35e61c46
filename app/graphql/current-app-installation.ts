/** The app's own installation on the shop: the owner of the app-data metafields the theme reads. */
export const CURRENT_APP_INSTALLATION_QUERY = `#graphql
  query CurrentAppInstallation {
    currentAppInstallation {
      id
    }
  }
`;

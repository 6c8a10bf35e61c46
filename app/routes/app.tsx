import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Link, Outlet, useLoaderData, useRouteError } from "@remix-run/react";
import { boundary } from "@shopify/shopify-app-remix/server";
import { AppProvider } from "@shopify/shopify-app-remix/react";
import { NavMenu } from "@shopify/app-bridge-react";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import { config } from "../config.server";
import { authenticate } from "../shopify.server";
import { pageTitle } from "../components/page-title";

export const links = () => [{ rel: "stylesheet", href: polarisStyles }];

export const meta = pageTitle();

export const loader = async ({ request }: LoaderFunctionArgs) => {
  await authenticate.admin(request);
  const settings = config();
  return {
    apiKey: settings.shopify.apiKey,
    // Outside the Shopify admin (sandbox only) the page loads the app's own App Bridge stand-in.
    appBridgeUrl: process.env.APP_BRIDGE_URL && settings.sandbox ? process.env.APP_BRIDGE_URL : undefined,
  };
};

export default function App() {
  const { apiKey, appBridgeUrl } = useLoaderData<typeof loader>();
  return (
    <AppProvider isEmbeddedApp apiKey={apiKey} {...(appBridgeUrl ? { __APP_BRIDGE_URL: appBridgeUrl } : {})}>
      <NavMenu>
        <Link to="/app" rel="home">
          Home
        </Link>
        <Link to="/app/analytics">Analytics</Link>
        <Link to="/app/knowledge">Knowledge</Link>
        <Link to="/app/order-actions">Order actions</Link>
        <Link to="/app/settings">Settings</Link>
        <Link to="/app/failed-jobs">Failed jobs</Link>
      </NavMenu>
      <Outlet />
    </AppProvider>
  );
}

// Shopify needs Remix to catch some thrown responses so that their headers reach the browser.
export function ErrorBoundary() {
  return boundary.error(useRouteError());
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);

/**
 * Starts the merchant's Shopify Flow workflows that begin with one of the app's triggers
 * (extensions/<handle>/shopify.extension.toml). `payload` holds the trigger's declared fields by key.
 */
export const FLOW_TRIGGER_RECEIVE_MUTATION = `#graphql
  mutation FlowTriggerReceive($handle: String!, $payload: JSON!) {
    flowTriggerReceive(handle: $handle, payload: $payload) {
      userErrors {
        field
        message
      }
    }
  }
`;

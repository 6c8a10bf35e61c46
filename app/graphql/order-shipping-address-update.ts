/** Replaces an order's shipping address (orderUpdate overwrites the whole address). */
export const ORDER_SHIPPING_ADDRESS_UPDATE_MUTATION = `#graphql
  mutation OrderShippingAddressUpdate($input: OrderInput!) {
    orderUpdate(input: $input) {
      order {
        id
        shippingAddress {
          address1
          city
          zip
          countryCodeV2
        }
      }
      userErrors {
        field
        message
      }
    }
  }
`;

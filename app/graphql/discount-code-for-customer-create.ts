/** A discount code only one customer can use, once (context.customers + usageLimit 1 + appliesOncePerCustomer). */
export const DISCOUNT_CODE_FOR_CUSTOMER_CREATE_MUTATION = `#graphql
  mutation DiscountCodeForCustomerCreate($discount: DiscountCodeBasicInput!) {
    discountCodeBasicCreate(basicCodeDiscount: $discount) {
      codeDiscountNode {
        id
      }
      userErrors {
        code
        field
        message
      }
    }
  }
`;

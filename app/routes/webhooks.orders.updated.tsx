// orders/updated: refunds, cancellations and edits arrive as the same order payload as orders/create,
// and are stored the same way (the newest state wins), so assisted revenue counts what an order is worth now.
export { action } from "./webhooks.orders.create";

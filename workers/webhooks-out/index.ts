/** Merchant webhooks (Standard Webhooks): what the rest of Kindly calls. */
export { handleWebhookBatch, attemptDelivery } from "./deliver";
export { merchantEventFor, messageIdFor, MERCHANT_EVENT_TYPES, type InternalEvent, type MerchantEventType, type MerchantPayload } from "./events";
export { enqueuePending, fanOutStatements, requeueStuckDeliveries } from "./queue";

export { createResponder, type CreateResponderOptions, type Responder } from "./app.js";
export { loadConfig, configSchema, type ResponderConfig, type LoadConfigOptions, type Role } from "./config/config.js";
export { signDelivery, signatureHeader, timestampHeader } from "./http/delivery-auth.js";
export { openStore } from "./store/open-store.js";
export type * from "./store/store-types.js";
export { ResponderError, ResponderErrorCode } from "./errors/responder-error.js";

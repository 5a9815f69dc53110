import { DefenderAlertsError, defenderAlertsErrorCodes } from "./defender-alerts-error.js";

/** Where a multi-subscription alert listing resumes: the subscription's position and Azure's token within it. */
export interface ListPosition {
  subscription: number;
  link: string | undefined;
}

/** An opaque continuation token for `listAlerts` (base64url JSON, so a nextLink survives any transport). */
export function encodeListToken(subscription: number, link: string | undefined): string {
  return Buffer.from(JSON.stringify(link === undefined ? { s: subscription } : { s: subscription, n: link })).toString("base64url");
}

/** Reads a token made by {@link encodeListToken}; a token from elsewhere is refused, never guessed at. */
export function decodeListToken(token: string, subscriptionCount: number): ListPosition {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
  } catch (error) {
    throw invalidToken(error);
  }
  const { s, n } = (typeof value === "object" && value !== null ? value : {}) as { s?: unknown; n?: unknown };
  if (typeof s !== "number" || !Number.isInteger(s) || s < 0 || s >= subscriptionCount || (n !== undefined && typeof n !== "string")) {
    throw invalidToken();
  }
  return { subscription: s, link: n };
}

function invalidToken(cause?: unknown): DefenderAlertsError {
  return new DefenderAlertsError(
    defenderAlertsErrorCodes.invalidArgument,
    "The continuation token is not one listAlerts returned for these subscriptions; start the listing again without one.",
    { cause },
  );
}

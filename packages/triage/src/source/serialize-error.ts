import type { SerializedError } from "../source-report.js";

const MAX_MESSAGE = 500;

/** Reduces any thrown value to JSON-safe fields (Azure `RestError` keeps its `code` and `statusCode`). */
export function serializeError(error: unknown): SerializedError {
  if (error instanceof Error) {
    const record = error as Error & { code?: unknown; statusCode?: unknown; status?: unknown };
    const serialized: SerializedError = { name: error.name, message: truncate(error.message) };
    if (typeof record.code === "string") serialized.code = record.code;
    const status = typeof record.statusCode === "number" ? record.statusCode : record.status;
    if (typeof status === "number") serialized.status = status;
    return serialized;
  }
  return { name: "Error", message: truncate(String(error)) };
}

function truncate(message: string): string {
  return message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE)}…` : message;
}

export function isAbortError(error: unknown): boolean {
  return error instanceof Error && error.name === "AbortError";
}

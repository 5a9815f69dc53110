import { HttpResponse } from "msw";

/** ARM `CloudError` response: `{ error: { code, message } }`. */
export function armError(status: number, code: string, message: string, headers?: Record<string, string>): Response {
  return HttpResponse.json({ error: { code, message } }, { status, headers: { "x-ms-failure-cause": "gateway", ...headers } });
}

/** Microsoft Graph error response: `{ error: { code, message, innerError } }`. */
export function graphError(status: number, code: string, message: string): Response {
  return HttpResponse.json(
    {
      error: {
        code,
        message,
        innerError: { date: new Date().toISOString().slice(0, 19), "request-id": "00000000-0000-0000-0000-000000000000" },
      },
    },
    { status }
  );
}

/** A 400 that says what the fake did not understand, so an unsupported request never passes silently. */
export function notUnderstood(request: Request, reason: string): Response {
  const url = new URL(request.url);
  return armError(
    400,
    "FakeAzureUnsupportedRequest",
    `The fake Azure tenant does not support ${request.method} ${url.pathname}: ${reason}`
  );
}

import { delay, http, HttpResponse, type HttpHandler } from "msw";
import type { FakeAzureContext } from "../context.js";
import { ARM_AUDIENCE } from "../hosts.js";
import type { CallLog } from "./call-log.js";
import type { FaultInjector, FaultSpec } from "./faults.js";
import { classifyArmRequest, classifyVaultRequest, type ThrottleDecision, type Throttler } from "./throttling.js";
import { decodeFakeToken } from "../auth/fake-token.js";
import { parseArmId } from "../arm/arm-id.js";
import { canonicalUrl } from "../http/canonical-url.js";
import { AZURE_URL } from "../dispatch/azure-hosts.js";

/** The subscription of a vault's resource id, parsed once per id (the gate asks on every vault request). */
const subscriptionByVaultId = new Map<string, string | undefined>();
function subscriptionOf(vaultId: string): string | undefined {
  if (!subscriptionByVaultId.has(vaultId)) {
    if (subscriptionByVaultId.size >= 1_000) subscriptionByVaultId.clear();
    subscriptionByVaultId.set(vaultId, parseArmId(vaultId)?.subscriptionId);
  }
  return subscriptionByVaultId.get(vaultId);
}

export interface GateOptions {
  calls: CallLog;
  faults: FaultInjector;
  throttler: Throttler;
  /** Advance the tenant clock by this many ms on every request (0: never). */
  autoAdvanceInMs: () => number;
}

function faultResponse(spec: FaultSpec): Response {
  if (spec.reset) return HttpResponse.error();
  const status = spec.status ?? 200;
  if (spec.malformed) {
    return new HttpResponse('{"value":[{"id":"/subscriptions/', {
      status,
      headers: { "content-type": "application/json; charset=utf-8", ...spec.headers },
    });
  }
  if (status === 204 || status === 304) return new HttpResponse(null, { status, headers: spec.headers });
  const body = spec.body ?? {
    error: {
      code: status === 429 ? "TooManyRequests" : "InjectedFault",
      message: `Fault injected by the fake Azure tenant (HTTP ${status}).`,
    },
  };
  return HttpResponse.json(body, { status, headers: spec.headers });
}

function throttledResponse(decision: ThrottleDecision, throttler: Throttler, code: string, message: string): Response {
  const headers: Record<string, string> = { "retry-after": String(Math.ceil(decision.retryAfterInMs / 1000)) };
  if (throttler.options.retryAfter === "milliseconds") headers["retry-after-ms"] = String(Math.ceil(decision.retryAfterInMs));
  return HttpResponse.json({ error: { code, message } }, { status: 429, headers });
}

/**
 * The first handler of the tenant: logs every request, applies injected faults and throttling, advances the
 * clock, then returns nothing so the request falls through to the service handlers.
 */
export function createGateHandler(ctx: FakeAzureContext, options: GateOptions): HttpHandler {
  const gate = createGate(ctx, options);
  return http.all(AZURE_URL, ({ request, requestId }) => gate(request, requestId));
}

/** The gate as a plain function (the tenant's dispatcher calls it directly, without msw's per-handler overhead). */
export function createGate(ctx: FakeAzureContext, options: GateOptions): (request: Request, requestId: string) => Promise<Response | undefined> {
  // Every Azure host (the tenant answers them all, with a 501 for what it does not model); a catch-all would count
  // as a match for msw and send requests to other hosts to the network instead of failing them as unhandled.
  return async (request, requestId) => {
    const url = canonicalUrl(new URL(request.url));
    const call = options.calls.record(requestId, request, ctx.clock.now(), url);
    const advance = options.autoAdvanceInMs();
    if (advance > 0) ctx.clock.advance(advance);

    const fault = options.faults.take(request);
    if (fault) {
      if (fault.delayInMs !== undefined) await delay(fault.delayInMs);
      if (fault.reset || fault.status !== undefined || fault.malformed) {
        call.intercepted = "fault";
        if (fault.reset) call.status = 0;
        return faultResponse(fault);
      }
    }

    const vault = ctx.findVaultByHost(url.hostname);
    // The challenge leg (no Authorization) is answered before Key Vault counts anything.
    if (vault && request.headers.has("authorization")) {
      const decision = options.throttler.vaultTransaction(
        vault.resource.name,
        subscriptionOf(vault.resource.id),
        classifyVaultRequest(request.method, url.pathname)
      );
      if (decision) {
        call.intercepted = "throttled";
        return throttledResponse(
          decision,
          options.throttler,
          "Throttled",
          `Request was not processed because too many requests were received. Reason: ${decision.reason}`
        );
      }
    } else if (url.origin === ARM_AUDIENCE) {
      const subscriptionId = /^\/subscriptions\/([^/]+)/iu.exec(url.pathname)?.[1];
      if (subscriptionId) {
        const token = /^Bearer\s+(\S+)$/iu.exec(request.headers.get("authorization") ?? "")?.[1];
        const caller = (token ? decodeFakeToken(token)?.oid : undefined) ?? "anonymous";
        const kind = classifyArmRequest(request.method);
        const decision = options.throttler.armRequest(subscriptionId, caller, kind);
        if (decision) {
          call.intercepted = "throttled";
          return throttledResponse(
            decision,
            options.throttler,
            "SubscriptionRequestsThrottled",
            `Number of '${
              kind === "reads" ? "read" : kind === "writes" ? "write" : "delete"
            }' requests for subscription '${subscriptionId}' actor '${caller}' exceeded. Please try again after '${Math.ceil(
              decision.retryAfterInMs / 1000
            )}' seconds after the first request.`
          );
        }
      }
    }
    return undefined;
  };
}

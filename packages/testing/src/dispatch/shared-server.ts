import { http, type HttpHandler } from "msw";
import { setupServer, type SetupServer } from "msw/node";
import { AZURE_URL } from "./azure-hosts.js";

/**
 * `error-except-loopback`: a request to this machine (`127.0.0.0/8`, `::1`, `localhost`) goes to it as sent (a local
 * webhook receiver, a test's HTTPS endpoint); every other request to a non-Azure host fails like `error`.
 */
export type UnhandledRequestStrategy = "error" | "warn" | "bypass" | "error-except-loopback";

/** Whether `hostname` (as `URL.hostname` spells it) names this machine. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/gu, "").toLowerCase();
  return host === "localhost" || host === "::1" || /^127(?:\.\d{1,3}){3}$/u.test(host);
}

type MswStrategy = "error" | "warn" | "bypass" | ((request: Request, print: { error(): void; warning(): void }) => void);

function mswStrategy(strategy: UnhandledRequestStrategy): MswStrategy {
  if (strategy !== "error-except-loopback") return strategy;
  return (request, print) => {
    // Not calling print.error() lets msw perform the request as it was sent.
    if (!isLoopbackHost(new URL(request.url).hostname)) print.error();
  };
}

/** What the shared server needs of a listening tenant. */
export interface AttachedTenant {
  dispatch(request: Request, requestId: string): Promise<Response>;
  onUnhandled(request: Request, requestId: string): void;
  readonly unhandledStrategy: UnhandledRequestStrategy;
}

/**
 * One msw server for every standalone tenant of the process. msw intercepts through process-wide patches of
 * `http`/`fetch`, so two listening servers do not stack: the newer one takes every request (and with `bypass` sends
 * the older one's to the network), and closing either can leave the other deaf. Standalone tenants therefore share
 * this server: the newest listening tenant answers, a tenant's `close()` only detaches it, and the server closes when
 * the last tenant has detached.
 */
interface SharedServer {
  server: SetupServer;
  listening: boolean;
  tenants: AttachedTenant[];
}

let shared: SharedServer | undefined;

function top(): AttachedTenant | undefined {
  return shared?.tenants.at(-1);
}

function createShared(): SharedServer {
  const entry = http.all(AZURE_URL, ({ request, requestId }) => top()?.dispatch(request, requestId));
  const server = setupServer(entry);
  server.events.on("request:unhandled", ({ request, requestId }) => top()?.onUnhandled(request, requestId));
  return { server, listening: false, tenants: [] };
}

/** The shared server (created, not listening, on first use). */
export function sharedServer(): SetupServer {
  shared ??= createShared();
  return shared.server;
}

export function attachToSharedServer(tenant: AttachedTenant): void {
  shared ??= createShared();
  const current = shared;
  if (!current.tenants.includes(tenant)) current.tenants.push(tenant);
  if (!current.listening) {
    // msw reads `onUnhandledRequest` on every unhandled request: the newest tenant's choice applies. Requests to
    // Azure hosts never get here (the tenant answers them, see `createEntryHandler`).
    current.server.listen({
      get onUnhandledRequest(): MswStrategy {
        return mswStrategy(current.tenants.at(-1)?.unhandledStrategy ?? "error");
      },
    });
    current.listening = true;
  }
}

export function detachFromSharedServer(tenant: AttachedTenant): void {
  const current = shared;
  if (current === undefined) return;
  current.tenants = current.tenants.filter((candidate) => candidate !== tenant);
  if (current.tenants.length === 0 && current.listening) {
    current.server.close();
    shared = undefined;
  }
}

/** An msw handler that hands every Azure request to `dispatch` while `active()` holds, else lets it pass. */
export function createEntryHandler(
  active: () => boolean,
  dispatch: (request: Request, requestId: string) => Promise<Response>,
): HttpHandler {
  return http.all(AZURE_URL, ({ request, requestId }) => (active() ? dispatch(request, requestId) : undefined));
}

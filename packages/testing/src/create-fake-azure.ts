import { createHash } from "node:crypto";
import type { TokenCredential } from "@azure/core-auth";
import type { HttpHandler } from "msw";
import type { SetupServer } from "msw/node";
import { createArmHandlers } from "./arm/index.js";
import { DEFAULT_IDENTITY, type FakeIdentity } from "./auth/fake-identity.js";
import { createFakeTokenService } from "./auth/fake-token.js";
import { createFakeAzureContext, type FakeAzureContext } from "./context.js";
import { createDataPlaneHandlers } from "./data-plane/index.js";
import { emitKeyVaultDiagnosticLog } from "./diagnostics/diagnostic-log-emitter.js";
import { isAzureHost } from "./dispatch/azure-hosts.js";
import {
  attachToSharedServer,
  createEntryHandler,
  detachFromSharedServer,
  sharedServer,
  type AttachedTenant,
  type UnhandledRequestStrategy,
} from "./dispatch/shared-server.js";
import { createFallbackHandlers, notServedResponse } from "./fallback-handlers.js";
import { CallLog } from "./gate/call-log.js";
import { FaultInjector } from "./gate/faults.js";
import { createGateHandler } from "./gate/gate-handler.js";
import { resolveThrottling, Throttler, type ThrottlingInput } from "./gate/throttling.js";
import { createGraphHandlers } from "./graph/index.js";
import { createLogAnalyticsHandlers } from "./log-analytics/index.js";
import { loadSeed } from "./seed/load-seed.js";
import { seedFromState } from "./seed/seed-from-state.js";
import type { FakeAzureSeed } from "./seed/seed-types.js";
import { stateFromSeed } from "./seed/state-from-seed.js";
import { createFakeClock, DEFAULT_CLOCK_START, type FakeClock, type FakeClockOptions } from "./state/fake-clock.js";
import { createIdGenerator } from "./state/id-generator.js";
import type { TenantState } from "./state/tenant-state.js";

export type { UnhandledRequestStrategy } from "./dispatch/shared-server.js";

export interface FakeAzureOptions {
  /** The tenant to start from: a seed object (validated like `loadSeed`). Default: an empty tenant. */
  seed?: FakeAzureSeed | string;
  /**
   * An msw server of your own. The tenant's handler is added to it with `server.use(...)` on the first `listen()`;
   * you keep control of `server.listen()`/`close()`, and the tenant's `close()` only stops it answering (it never
   * closes or resets your server). Without it the tenant uses the package's process-wide msw server, shared by every
   * standalone tenant (msw cannot run two servers side by side).
   */
  server?: SetupServer;
  /** A clock, or options for a new one. Default: frozen at the seed's `time`, else `2026-01-15T12:00:00Z`. */
  clock?: FakeClock | FakeClockOptions;
  /** Advance the clock by this many ms on every request, so SDK pollers see time pass on a frozen clock. Default 0. */
  autoAdvanceMs?: number;
  /** Who the credential authenticates as. */
  identity?: Partial<FakeIdentity>;
  /** Throttling limits (Key Vault per-vault windows, ARM buckets), or `false` to turn it off. Default: Azure's limits. */
  throttling?: ThrottlingInput | false;
  /**
   * Seed of the deterministic id generator (GUIDs, object versions). Default: derived from the seed's content, so
   * the same seed gives the same ids, and a tenant restored from `exportSeed()` does not hand out versions it
   * already holds.
   */
  idSeed?: number;
  /**
   * Write Key Vault's diagnostic log: every answered data-plane request becomes an `AZKVAuditLogs` or
   * `AzureDiagnostics` row in the workspaces the vault's diagnostic settings send `AuditEvent` to, stamped with the
   * tenant clock. Off by default so seeded tables stay exactly as seeded.
   */
  diagnosticLogs?: boolean;
  /**
   * What the shared server does with requests to hosts that are not Azure's (requests to Azure hosts are always the
   * tenant's: a 501 naming the request when it models no such operation, never the network). Default `"error"`.
   */
  onUnhandledRequest?: UnhandledRequestStrategy;
}

/** A running (or ready to run) fake Azure tenant. */
export interface FakeAzure {
  /** Starts answering (shared server: attaches and listens; given server: `use(handler)` once, then answers). */
  listen(): void;
  /**
   * Stops answering. The shared server closes when its last tenant has closed; a server you gave is left as it is
   * (listening, with your handlers).
   */
  close(): void;
  /**
   * The tenant as msw handlers (one handler taking every request to an Azure host): pass them to your own
   * `setupServer(...)` if you prefer; they answer whether or not `listen()` was called.
   */
  readonly handlers: readonly HttpHandler[];
  /** A `TokenCredential` for the real Azure SDK clients. */
  readonly credential: TokenCredential;
  /** The tenant's state: read it in assertions, mutate it to arrange. */
  readonly state: TenantState;
  /** Every request seen, with its status. */
  readonly calls: CallLog;
  /** Inject failures: status, delay, connection reset, malformed body. */
  readonly faults: FaultInjector;
  /** The tenant's clock. */
  readonly clock: FakeClock;
  /** Throttling state and (mutable) limits. */
  readonly throttling: Throttler;
  /** The context handed to every handler factory (for extending the fake with your own handlers). */
  readonly context: FakeAzureContext;
  /** The msw server in use: the one you gave, else the process-wide shared one. */
  readonly server: SetupServer;
  /**
   * Answers one request as the tenant would, without msw: gate (call log, faults, throttling), then the service.
   * Requests to Azure hosts the fake does not model get a 501; requests to other hosts a 501 too (`dispatch` is only
   * ever asked about the fake's own traffic).
   */
  dispatch(request: Request): Promise<Response>;
  /** Who the credential authenticates as; changes apply to tokens issued afterwards. */
  setIdentity(identity: Partial<FakeIdentity>): void;
  /** Resolves once the diagnostic-log rows of every request answered so far are written (`diagnosticLogs`). */
  settled(): Promise<void>;
  /** Serialises the current state (including data-plane and deleted objects) to the seed format. */
  exportSeed(): FakeAzureSeed;
  /**
   * Back to the starting seed (or `seed`): state, clock, calls, faults and throttling counters. The vitest helper
   * calls it between tests.
   */
  reset(seed?: FakeAzureSeed | string): void;
}

/** 32 bits of the seed's SHA-256: stable for a seed, different for any change to it. */
function idSeedOf(seed: FakeAzureSeed): number {
  return createHash("sha256").update(JSON.stringify(seed)).digest().readUInt32BE(0);
}

function isClock(value: FakeClock | FakeClockOptions | undefined): value is FakeClock {
  return typeof (value as FakeClock | undefined)?.now === "function";
}

/**
 * Creates a fake Azure tenant: ARM (Microsoft.Security alerts and suppression rules, Microsoft.KeyVault vaults,
 * Microsoft.Authorization, Microsoft.Network service tags, Microsoft.Insights diagnostic settings), the Key Vault
 * data plane, Microsoft Graph and the Log Analytics query API, all served over msw to the real Azure SDK clients.
 */
export function createFakeAzure(options: FakeAzureOptions = {}): FakeAzure {
  let initialSeed: FakeAzureSeed = options.seed === undefined ? {} : loadSeed(options.seed);
  const clock = isClock(options.clock)
    ? options.clock
    : createFakeClock({ start: initialSeed.time ?? DEFAULT_CLOCK_START, ...options.clock });
  const clockStart = clock.now();
  let idSeed = options.idSeed ?? idSeedOf(initialSeed);
  const identity = { current: { ...DEFAULT_IDENTITY, ...options.identity } };
  const state = stateFromSeed(initialSeed, { clock, ids: createIdGenerator(idSeed) });
  const tokens = createFakeTokenService({ tenantId: () => context.state.tenantId, identity: () => identity.current });
  const context = createFakeAzureContext({ state, clock, ids: createIdGenerator(idSeed + 1), tokens, identity });
  const calls = new CallLog();
  const faults = new FaultInjector();
  const throttling = new Throttler(resolveThrottling(options.throttling));
  const autoAdvanceMs = options.autoAdvanceMs ?? 0;

  const serviceHandlers: HttpHandler[] = [
    createGateHandler(context, { calls, faults, throttler: throttling, autoAdvanceMs: () => autoAdvanceMs }),
    ...createArmHandlers(context),
    ...createGraphHandlers(context),
    ...createDataPlaneHandlers(context),
    ...createLogAnalyticsHandlers(context),
    ...createFallbackHandlers(context),
  ];

  const pendingLogs = new Set<Promise<void>>();
  const answered = (request: Request, response: Response, requestId: string): void => {
    calls.complete(requestId, { status: response.type === "error" ? 0 : response.status });
    if (options.diagnosticLogs && response.type !== "error") {
      const writing = emitKeyVaultDiagnosticLog(context, request, response).finally(() => pendingLogs.delete(writing));
      pendingLogs.add(writing);
    }
  };
  let requestCounter = 0;
  const dispatch = async (request: Request, requestId: string): Promise<Response> => {
    for (const handler of serviceHandlers) {
      const result = await handler.run({ request, requestId });
      if (result?.response) {
        answered(request, result.response, requestId);
        return result.response;
      }
    }
    // Only reached for hosts that are not Azure's (the fallback takes every Azure host).
    return notServedResponse(request);
  };

  const server = options.server;
  let listening = false;
  const entry = createEntryHandler(() => server === undefined || listening, dispatch);
  const handlers: HttpHandler[] = [entry];
  const unhandledStrategy = options.onUnhandledRequest ?? "error";
  const attached: AttachedTenant = {
    dispatch,
    unhandledStrategy,
    onUnhandled: (request, requestId) => {
      if (!isAzureHost(new URL(request.url).hostname)) calls.recordUnhandled(requestId, request, clock.now());
    },
  };
  const onUnhandled = ({ request, requestId }: { request: Request; requestId: string }): void => attached.onUnhandled(request, requestId);

  const tenant: FakeAzure = {
    handlers,
    credential: tokens.credential,
    get state() {
      return context.state;
    },
    calls,
    faults,
    clock,
    throttling,
    context,
    get server() {
      return server ?? sharedServer();
    },
    dispatch: (request) => dispatch(request, `direct-${(requestCounter += 1)}`),
    listen() {
      if (listening) return;
      if (server === undefined) {
        attachToSharedServer(attached);
      } else {
        // Once, and again only if the owner reset it away: never a second copy ahead of the owner's handlers.
        if (!server.listHandlers().includes(entry)) server.use(entry);
        server.events.on("request:unhandled", onUnhandled);
      }
      listening = true;
    },
    close() {
      if (!listening) return;
      if (server === undefined) detachFromSharedServer(attached);
      else server.events.removeListener("request:unhandled", onUnhandled);
      listening = false;
    },
    setIdentity(next) {
      context.setIdentity(next);
    },
    async settled() {
      await Promise.all([...pendingLogs]);
    },
    exportSeed() {
      return seedFromState(context.state, clock);
    },
    reset(seed) {
      if (seed !== undefined) initialSeed = loadSeed(seed);
      clock.set(initialSeed.time ?? clockStart);
      idSeed = options.idSeed ?? idSeedOf(initialSeed);
      context.state = stateFromSeed(initialSeed, { clock, ids: createIdGenerator(idSeed) });
      context.ids = createIdGenerator(idSeed + 1);
      calls.clear();
      faults.clear();
      throttling.reset();
    },
  };
  return tenant;
}

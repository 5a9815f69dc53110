import { createHash } from "node:crypto";
import type { TokenCredential } from "@azure/core-auth";
import type { HttpClient } from "@azure/core-rest-pipeline";
import { createFakeHttpClient } from "./dispatch/fake-http-client.js";
import { toFetchResponse } from "./dispatch/plain-response.js";
import type { HttpHandler } from "msw";
import type { SetupServer } from "msw/node";
import { createArmHandlers } from "./arm/index.js";
import { DEFAULT_IDENTITY, type FakeIdentity } from "./auth/fake-identity.js";
import { createFakeTokenService } from "./auth/fake-token.js";
import { createFakeAzureContext, type FakeAzureContext } from "./context.js";
import { handleVaultRequest, isVaultUrl } from "./data-plane/index.js";
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
import { createGate } from "./gate/gate-handler.js";
import { resolveThrottling, Throttler, type ThrottlingInput } from "./gate/throttling.js";
import { createGraphHandlers } from "./graph/index.js";
import { createLogAnalyticsHandlers } from "./log-analytics/index.js";
import { loadSeed } from "./seed/load-seed.js";
import { seedFromState } from "./seed/seed-from-state.js";
import type { FakeAzureSeed } from "./seed/seed-types.js";
import { FakeAzureError } from "./errors/fake-azure-error.js";
import type { VaultDataPlaneSettings } from "./state/data-plane-types.js";
import { stateFromSeed } from "./seed/state-from-seed.js";
import { createFakeClock, DEFAULT_CLOCK_START, type FakeClock, type FakeClockOptions } from "./state/fake-clock.js";
import { createIdGenerator } from "./state/id-generator.js";
import type { TenantState } from "./state/tenant-state.js";

export type { UnhandledRequestStrategy } from "./dispatch/shared-server.js";

/**
 * How strict the tenant is. `realistic` (default): Azure's eventual-consistency delays (see
 * `DEFAULT_VAULT_DATA_PLANE_SETTINGS`) and documented throttling. `strict`: that, plus every vault checks data-plane
 * access (access policies or RBAC, 403 like the service) and the documented throttling limits cannot be turned off.
 */
export type FakeAzureProfile = "realistic" | "strict";

/** The subscription and resource group of a tenant created without a seed (or with one that has no scope at all). */
export const DEFAULT_SUBSCRIPTION_ID = "00000000-0000-4000-8000-00000000a5b1";
export const DEFAULT_RESOURCE_GROUP = "rg-default";
export const DEFAULT_LOCATION = "westeurope";

export interface FakeAzureOptions {
  /**
   * The tenant to start from: a seed object (validated like `loadSeed`). Default: a tenant with one subscription
   * (`DEFAULT_SUBSCRIPTION_ID`) and one resource group (`rg-default`, westeurope), so a first ARM call works.
   */
  seed?: FakeAzureSeed | string;
  /** `realistic` (default) or `strict`: see `FakeAzureProfile`. */
  profile?: FakeAzureProfile;
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
  autoAdvanceInMs?: number;
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
  /**
   * The fast path: a core-rest-pipeline `HttpClient` that answers from the tenant directly, without msw. Give it to
   * any Azure SDK client (`new SecretClient(url, tenant.credential, { httpClient: tenant.httpClient })`); it works
   * whether or not `listen()` was called. msw stays for code that cannot be given an `httpClient`.
   */
  readonly httpClient: HttpClient;
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

/** A seed that names no scope at all (no subscription, resource group, vault or alert) gets the default ones. */
function withDefaultScope(seed: FakeAzureSeed): FakeAzureSeed {
  const scoped = [seed.subscriptions, seed.resourceGroups, seed.vaults, seed.deletedVaults, seed.alerts, seed.suppressionRules, seed.roleAssignments];
  if (scoped.some((list) => list !== undefined && list.length > 0)) return seed;
  return {
    ...seed,
    subscriptions: [{ subscriptionId: DEFAULT_SUBSCRIPTION_ID, displayName: "Default (fake)" }],
    resourceGroups: [{ id: `/subscriptions/${DEFAULT_SUBSCRIPTION_ID}/resourceGroups/${DEFAULT_RESOURCE_GROUP}`, location: DEFAULT_LOCATION }],
  };
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
  const profile = options.profile ?? "realistic";
  if (profile !== "realistic" && profile !== "strict") {
    throw new FakeAzureError("KW_TESTING_E0005", `Unknown profile ${JSON.stringify(profile)}: pass "realistic" or "strict".`);
  }
  if (profile === "strict" && (options.throttling === false || (options.throttling !== undefined && options.throttling.enabled === false))) {
    throw new FakeAzureError(
      "KW_TESTING_E0005",
      'The strict profile keeps Key Vault\'s and ARM\'s documented throttling: drop "throttling: false" (scale the limits instead) or use the realistic profile.'
    );
  }
  const vaultDefaults: Partial<VaultDataPlaneSettings> = profile === "strict" ? { enforceDataAccess: true } : {};
  const load = (seed: FakeAzureSeed | string | undefined): FakeAzureSeed => withDefaultScope(seed === undefined ? {} : loadSeed(seed));
  let initialSeed: FakeAzureSeed = load(options.seed);
  const clock = isClock(options.clock)
    ? options.clock
    : createFakeClock({ start: initialSeed.time ?? DEFAULT_CLOCK_START, ...options.clock });
  const clockStart = clock.now();
  let idSeed = options.idSeed ?? idSeedOf(initialSeed);
  const identity = { current: { ...DEFAULT_IDENTITY, ...options.identity } };
  const state = stateFromSeed(initialSeed, { clock, ids: createIdGenerator(idSeed), vaultDefaults });
  const tokens = createFakeTokenService({ tenantId: () => context.state.tenantId, identity: () => identity.current });
  const context = createFakeAzureContext({ state, clock, ids: createIdGenerator(idSeed + 1), tokens, identity });
  const calls = new CallLog();
  const faults = new FaultInjector();
  const throttling = new Throttler(resolveThrottling(options.throttling));
  const autoAdvanceInMs = options.autoAdvanceInMs ?? 0;

  const gate = createGate(context, { calls, faults, throttler: throttling, autoAdvanceInMs: () => autoAdvanceInMs });
  // Key Vault's data plane is called directly (the hot path); the other services through their msw handlers.
  const serviceHandlers: HttpHandler[] = [
    ...createArmHandlers(context),
    ...createGraphHandlers(context),
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
    const stopped = await gate(request, requestId);
    if (stopped !== undefined) {
      answered(request, stopped, requestId);
      return stopped;
    }
    if (isVaultUrl(context, request.url)) {
      const response = await handleVaultRequest(context, request);
      answered(request, response, requestId);
      return response;
    }
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

  // The fast path keeps the data plane's plain responses; anything handed out (msw, tenant.dispatch) is a real Response.
  const plainDispatch = (request: Request): Promise<Response> => dispatch(request, `direct-${(requestCounter += 1)}`);
  const directDispatch = async (request: Request): Promise<Response> => toFetchResponse(await plainDispatch(request));
  const fetchDispatch = async (request: Request, requestId: string): Promise<Response> => toFetchResponse(await dispatch(request, requestId));
  const server = options.server;
  let listening = false;
  const entry = createEntryHandler(() => server === undefined || listening, fetchDispatch);
  const handlers: HttpHandler[] = [entry];
  const unhandledStrategy = options.onUnhandledRequest ?? "error";
  const attached: AttachedTenant = {
    dispatch: fetchDispatch,
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
    dispatch: directDispatch,
    httpClient: createFakeHttpClient(plainDispatch),
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
      if (seed !== undefined) initialSeed = load(seed);
      clock.set(initialSeed.time ?? clockStart);
      idSeed = options.idSeed ?? idSeedOf(initialSeed);
      context.state = stateFromSeed(initialSeed, { clock, ids: createIdGenerator(idSeed), vaultDefaults });
      context.ids = createIdGenerator(idSeed + 1);
      calls.clear();
      faults.clear();
      throttling.reset();
    },
  };
  return tenant;
}

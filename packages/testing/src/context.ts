import type { FakeIdentity } from "./auth/fake-identity.js";
import type { FakeTokenService } from "./auth/fake-token.js";
import { VAULT_DNS_SUFFIX } from "./hosts.js";
import type { FakeClock } from "./state/fake-clock.js";
import type { IdGenerator } from "./state/id-generator.js";
import type { TenantState, VaultState } from "./state/tenant-state.js";

/**
 * What every handler factory receives. Handlers read `state` fresh on each request (tests mutate it between
 * requests) and take time only from `clock`.
 */
export interface FakeAzureContext {
  /** The tenant. Read `ctx.state` on every request and never keep a reference: `reset()` replaces it. */
  state: TenantState;
  clock: FakeClock;
  /** Deterministic GUIDs and Key Vault versions. */
  ids: IdGenerator;
  /** Issues the credential's tokens and checks bearer tokens (`tokens.verify(request, VAULT_AUDIENCE)`). */
  tokens: FakeTokenService;
  /** Who the credential authenticates as (mutable through `setIdentity`). */
  identity(): FakeIdentity;
  setIdentity(identity: Partial<FakeIdentity>): void;
  /** The DNS suffix of vault hosts (`vault.azure.net`). */
  vaultDnsSuffix: string;
  /** Items per page of ARM and Graph list responses (small values exercise `nextLink` paging). Default 100. */
  pageSize: number;
  /** The caller IP of a request: the `state.network.callerIpHeader` header when present, else the default. */
  callerIp(request: Request): string;
  /** The vault whose name (= first DNS label of its host) is `name`, case-insensitively. */
  findVaultByName(name: string): VaultState | undefined;
  /** The vault a data-plane request's host addresses (`https://{name}.vault.azure.net`). */
  findVaultByHost(host: string): VaultState | undefined;
}

export function createFakeAzureContext(parts: {
  state: TenantState;
  clock: FakeClock;
  ids: IdGenerator;
  tokens: FakeTokenService;
  identity: { current: FakeIdentity };
  vaultDnsSuffix?: string;
  pageSize?: number;
}): FakeAzureContext {
  const vaultDnsSuffix = parts.vaultDnsSuffix ?? VAULT_DNS_SUFFIX;
  const findVaultByName = (name: string): VaultState | undefined => {
    const wanted = name.toLowerCase();
    // Read through `ctx`, not `parts`: `reset()` swaps `ctx.state`.
    for (const vault of ctx.state.vaults.values()) {
      if (vault.resource.name.toLowerCase() === wanted) return vault;
    }
    return undefined;
  };
  const ctx: FakeAzureContext = {
    state: parts.state,
    clock: parts.clock,
    ids: parts.ids,
    tokens: parts.tokens,
    vaultDnsSuffix,
    pageSize: parts.pageSize ?? 100,
    identity: () => parts.identity.current,
    setIdentity(identity) {
      parts.identity.current = { ...parts.identity.current, ...identity };
    },
    callerIp(request) {
      const header = request.headers.get(ctx.state.network.callerIpHeader);
      const first = header?.split(",")[0]?.trim();
      return first && first.length > 0 ? first : ctx.state.network.defaultCallerIp;
    },
    findVaultByName,
    findVaultByHost(host) {
      const lower = host.toLowerCase().replace(/:\d+$/u, "");
      const suffix = `.${vaultDnsSuffix.toLowerCase()}`;
      if (!lower.endsWith(suffix)) return undefined;
      return findVaultByName(lower.slice(0, -suffix.length));
    },
  };
  return ctx;
}

import type { DirectoryProvider } from "./providers/directory-provider.js";
import type { NetworkIntelligence } from "./providers/network-intelligence.js";
import type { PublicIpReader } from "./providers/public-ip-reader.js";
import type { VaultInspector } from "./providers/vault-inspector.js";
import type { LookupCache } from "./lookup-cache.js";
import type { TriageRule } from "./triage-rule.js";

/** A range of the tenant's own address space (office egress, NAT gateways, the tenant's public IPs, VNets). */
export interface AddressRange {
  /** CIDR (`203.0.113.0/24`) or a single address. */
  range: string;
  label?: string;
}

/**
 * Everything triage may consult about the tenant. Every provider is optional: a missing provider is missing
 * evidence (named in the report), never a crash.
 */
export interface TriageContext {
  /** The Entra tenant being defended. Used to tell in-tenant applications from foreign ones. */
  tenantId?: string;
  /** The tenant's known address space. */
  tenantAddressSpace?: readonly (string | AddressRange)[];
  directory?: DirectoryProvider;
  vaults?: VaultInspector;
  network?: NetworkIntelligence;
  /**
   * Reads the tenant's public IPs from ARM (`ArmPublicIpReader`). With it an Azure address that is one of them is
   * inside evidence, like a configured range; any other Azure address stays outside evidence.
   */
  publicIps?: PublicIpReader;
  /** Subscriptions whose public IPs are the tenant's. Default: the alerted vault's subscription. */
  publicIpSubscriptions?: readonly string[];
  /** Rules to run; defaults to `builtInRules`. Add yours with `[...builtInRules, myRule]`. */
  rules?: readonly TriageRule[];
  /** Throw the first provider failure instead of recording it as missing evidence. */
  strict?: boolean;
  /** Shares lookups across alerts of one run (`createLookupCache()`); without it each alert gets its own cache. */
  cache?: LookupCache;
  /** The clock (triage reads no clock of its own). Defaults to the current time. */
  now?: () => Date;
  abortSignal?: AbortSignal;
}

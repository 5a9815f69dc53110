import { ipv4InCidr } from "./ipv4-cidr.js";

/** The parts of an ARM `Vault`'s properties that decide whether a data-plane caller gets through the network. */
export interface VaultNetworkSettings {
  readonly publicNetworkAccess?: string | undefined;
  readonly networkAcls?:
    | {
        readonly defaultAction?: string | undefined;
        readonly bypass?: string | undefined;
        readonly ipRules?: readonly { readonly value: string }[] | undefined;
        readonly virtualNetworkRules?: readonly { readonly id: string }[] | undefined;
      }
    | undefined;
}

export type FirewallDecision =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly innerCode: "ForbiddenByFirewall" | "ForbiddenByConnection"; readonly message: string };

export interface FirewallRequest {
  readonly clientIp: string;
  /** `appid=...;oid=...;iss=...`: how Key Vault names the caller in a refusal. */
  readonly caller: string;
  readonly vaultName: string;
  readonly location: string;
}

/**
 * Decides whether a plain (non-trusted-service, public-network) caller reaches the vault, the way Key Vault does:
 * `publicNetworkAccess: Disabled` refuses everyone reaching the public endpoint ("This will override the set
 * firewall rules"); otherwise `networkAcls.defaultAction: Deny` lets in only callers inside an `ipRules` range.
 * `bypass` concerns trusted Azure services and virtual-network rules concern traffic from subnets with service
 * endpoints, neither of which a client on the public internet is.
 */
export function evaluateFirewall(settings: VaultNetworkSettings, request: FirewallRequest): FirewallDecision {
  const vaultLine = `Vault: ${request.vaultName};location=${request.location}`;
  if (settings.publicNetworkAccess?.toLowerCase() === "disabled") {
    return {
      allowed: false,
      innerCode: "ForbiddenByConnection",
      message: `Public network access is disabled and request is not from a trusted service nor via an approved private link.\r\nCaller: ${request.caller}\r\n${vaultLine}`,
    };
  }
  const acls = settings.networkAcls;
  if (acls === undefined || acls.defaultAction?.toLowerCase() !== "deny") return { allowed: true };
  const rules = acls.ipRules ?? [];
  if (rules.some((rule) => ipv4InCidr(request.clientIp, rule.value))) return { allowed: true };
  return {
    allowed: false,
    innerCode: "ForbiddenByFirewall",
    message: `Client address is not authorized and caller is not a trusted service.\r\nClient address: ${request.clientIp}\r\nCaller: ${request.caller}\r\n${vaultLine}`,
  };
}

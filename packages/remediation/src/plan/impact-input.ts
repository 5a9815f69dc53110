/**
 * The part of `@keywarden/impact`'s `ImpactReport` the planner reads. An `ImpactReport` is assignable to it; the
 * package does not depend on `@keywarden/impact` at run time.
 */
export interface ImpactInput {
  vault: { name: string; resourceId?: string };
  /** Every caller seen in the window (the suspicious ones and everyone else): who a closed firewall would cut off. */
  callers: {
    ipAddress?: string;
    objectId?: string;
    userPrincipalName?: string;
    applicationId?: string;
    count: number;
    lastTime?: string;
    /** The caller is one the alert is about (not collateral): a firewall cutting it off is the point. */
    suspicious?: boolean;
    /** How the caller's requests reached the vault, when known (public, virtual network, private endpoint, trusted service). */
    via?: "public" | "virtual-network" | "private-endpoint" | "trusted-service";
  }[];
  /**
   * The objects the callers touched, with who read which versions and when: the evidence an owner is given when a
   * secret's rotation is left to them (no registered rotator matches it).
   */
  objects?: {
    type: "secret" | "key" | "certificate";
    name: string;
    versions: string[];
    firstTime?: string;
    lastTime?: string;
    callers: { ipAddress?: string; objectId?: string; userPrincipalName?: string; applicationId?: string; count: number; firstTime?: string; lastTime?: string }[];
    operations?: { operation: string; succeeded: number; lastTime?: string }[];
  }[];
  /** Objects to rotate, with the versions known to be exposed (empty: the ones current in the window). */
  toRotate: {
    type: "secret" | "key" | "certificate";
    name: string;
    versions: string[];
    reason: string;
  }[];
}

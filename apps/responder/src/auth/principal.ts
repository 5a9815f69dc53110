import { timingSafeEqual, createHash } from "node:crypto";

import type { LocalUser, Role } from "../config/config.js";

/** Who is calling: a signed-in person (session cookie) or automation (the admin bearer token). */
export interface Principal {
  /** Stable id: `local:<username>`, `oidc:<oid or sub>`, `token:admin`. */
  id: string;
  name: string;
  roles: ReadonlySet<Role>;
  /** Entra object id and UPN, when known: the self-approval rule compares them with a step's target. */
  objectId?: string;
  userPrincipalName?: string;
  via: "session" | "token";
}

/** Role checks: an admin may do what an approver may, an approver what a viewer may. */
export function hasRole(principal: Principal | undefined, role: Role): boolean {
  if (principal === undefined) return false;
  if (principal.roles.has("admin")) return true;
  if (role === "viewer") return principal.roles.has("viewer") || principal.roles.has("approver");
  return principal.roles.has(role);
}

/** Constant-time comparison of two secrets of any length (hashing first, so lengths leak nothing). */
export function secretEquals(given: string, expected: string): boolean {
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b) && given.length === expected.length;
}

/** The local user with these credentials, or undefined (every user is compared, so timing tells nothing). */
export function checkLocalLogin(users: readonly LocalUser[], username: string, password: string): LocalUser | undefined {
  let found: LocalUser | undefined;
  for (const user of users) {
    const nameMatches = secretEquals(username.toLowerCase(), user.username.toLowerCase());
    const passwordMatches = secretEquals(password, user.password);
    if (nameMatches && passwordMatches) found = user;
  }
  return found;
}

export function principalFromLocalUser(user: LocalUser): Principal {
  return {
    id: `local:${user.username}`,
    name: user.displayName ?? user.username,
    roles: new Set(user.roles),
    ...(user.objectId === undefined ? {} : { objectId: user.objectId }),
    ...(user.userPrincipalName === undefined ? {} : { userPrincipalName: user.userPrincipalName }),
    via: "session",
  };
}

/** A step's target as the self-approval rule sees it. */
export interface StepTargetPrincipal {
  objectId?: string;
  userPrincipalName?: string;
}

/** True when the principal is the step's target: the suspected user can never lift their own containment. */
export function isSelfTarget(principal: Principal, target: StepTargetPrincipal | undefined): boolean {
  if (target === undefined) return false;
  if (principal.objectId !== undefined && target.objectId !== undefined && principal.objectId.toLowerCase() === target.objectId.toLowerCase()) return true;
  return (
    principal.userPrincipalName !== undefined &&
    target.userPrincipalName !== undefined &&
    principal.userPrincipalName.toLowerCase() === target.userPrincipalName.toLowerCase()
  );
}

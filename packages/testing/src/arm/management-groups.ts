import type { TenantState } from "../state/tenant-state.js";
import { isScopeAtOrBelow } from "./arm-id.js";

/** A scope in a management group or the group itself (its name captured). */
const IN_GROUP = /^\/providers\/microsoft\.management\/managementgroups\/([^/]+)(?:\/|$)/iu;
/** Exactly a management group's scope. */
const GROUP = /^\/providers\/microsoft\.management\/managementgroups\/([^/]+)\/*$/iu;
const SUBSCRIPTION_SCOPE = /^\/subscriptions\/([^/]+)(?:\/|$)/iu;

/** `/providers/Microsoft.Management/managementGroups/{name}`. */
export function managementGroupScope(name: string): string {
  return `/providers/Microsoft.Management/managementGroups/${name}`;
}

/**
 * The management groups a group or subscription sits in, nearest first, ending with the tenant root group (named
 * after the tenant id, as in Azure: every subscription of the tenant is under it). A cycle in a hand-edited state
 * stops at the first repeat rather than looping.
 */
function groupsAbove(state: TenantState, start: string | undefined): string[] {
  const chain: string[] = [];
  for (let name = start; name !== undefined && !chain.some((seen) => seen.toLowerCase() === name?.toLowerCase()); ) {
    chain.push(name);
    name = state.managementGroups.get(name)?.parent ?? (name.toLowerCase() === state.tenantId.toLowerCase() ? undefined : state.tenantId);
  }
  if (!chain.some((name) => name.toLowerCase() === state.tenantId.toLowerCase())) chain.push(state.tenantId);
  return chain;
}

/** The group a subscription is directly in (the tenant root group when no group lists it). */
function groupOfSubscription(state: TenantState, subscriptionId: string): string {
  for (const group of state.managementGroups.values()) {
    if (group.subscriptions.some((id) => id.toLowerCase() === subscriptionId.toLowerCase())) return group.name;
  }
  return state.tenantId;
}

/** The management groups above a scope (a subscription, anything in one, or a group itself), nearest first. */
export function managementGroupsAbove(state: TenantState, scope: string): string[] {
  const subscription = SUBSCRIPTION_SCOPE.exec(scope)?.[1];
  if (subscription !== undefined) return groupsAbove(state, groupOfSubscription(state, subscription));
  const group = IN_GROUP.exec(scope)?.[1];
  if (group !== undefined) return groupsAbove(state, group);
  return [];
}

/**
 * Whether an assignment (or policy) at `ancestor` applies to `scope`: the same scope, one above it in the resource
 * hierarchy, or a management group the scope's subscription sits in (directly or through parent groups), as ARM
 * evaluates role assignments.
 */
export function scopeAppliesTo(state: TenantState, ancestor: string, scope: string): boolean {
  if (isScopeAtOrBelow(scope, ancestor)) return true;
  const name = GROUP.exec(ancestor)?.[1]?.toLowerCase();
  if (name === undefined) return false;
  return managementGroupsAbove(state, scope).some((above) => above.toLowerCase() === name);
}

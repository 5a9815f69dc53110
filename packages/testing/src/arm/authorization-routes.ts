import { HttpResponse } from "msw";
import type { RoleAssignment, RoleDefinition } from "../state/arm-types.js";
import { armFail, pageOf, readArmJson, type ArmCall } from "./arm-call.js";
import { scopeAppliesTo } from "./management-groups.js";
import { armPath, type ArmRoute } from "./arm-route.js";
import { parseRoleAssignmentFilter } from "./role-assignment-filter.js";

/** arm-authorization 9 sends 2022-04-01. */
const API_VERSIONS = [
  "2015-07-01",
  "2018-01-01-preview",
  "2020-04-01-preview",
  "2020-10-01-preview",
  "2022-01-01-preview",
  "2022-04-01",
] as const;
const ASSIGNMENTS = "{*scope}/providers/Microsoft.Authorization/roleAssignments";
const DEFINITIONS = "{*scope}/providers/Microsoft.Authorization/roleDefinitions";
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/iu;
const PRINCIPAL_TYPES = ["User", "Group", "ServicePrincipal", "ForeignGroup", "Device"];

function scopeOf(call: ArmCall): string {
  const scope = (call.params["scope"] ?? "").replace(/\/+$/u, "");
  return scope === "" ? "/" : scope;
}

function assignmentId(scope: string, name: string): string {
  return `${scope === "/" ? "" : scope}/providers/Microsoft.Authorization/roleAssignments/${name}`;
}

function assignmentScope(assignment: RoleAssignment): string {
  return assignment.properties.scope ?? assignment.id.replace(/\/providers\/Microsoft\.Authorization\/roleAssignments\/[^/]+$/iu, "");
}

function definitionGuid(roleDefinitionId: string): string | undefined {
  return /\/roleDefinitions\/([^/]+)$/iu.exec(roleDefinitionId)?.[1];
}

function listForScope(call: ArmCall): Response {
  const scope = scopeOf(call);
  const filter = parseRoleAssignmentFilter(call.url.searchParams.get("$filter"));
  if ("error" in filter) armFail(400, "UnsupportedQuery", filter.error);
  const assignments = [...call.ctx.state.roleAssignments.values()].filter((assignment) => {
    const at = assignmentScope(assignment);
    // "Above" includes the management groups the scope's subscription sits in, up to the tenant root group.
    const atOrAbove = scopeAppliesTo(call.ctx.state, at, scope);
    const below = scopeAppliesTo(call.ctx.state, scope, at);
    if (filter.principalId !== undefined && assignment.properties.principalId.toLowerCase() !== filter.principalId.toLowerCase())
      return false;
    // Inherited assignments (scope above) are always visible; atScope() hides the ones below.
    return filter.atScope ? atOrAbove : atOrAbove || below;
  });
  return HttpResponse.json(pageOf(call, assignments));
}

function getAssignment(call: ArmCall): Response {
  const assignment = call.ctx.state.roleAssignments.get(assignmentId(scopeOf(call), call.params["name"] ?? ""));
  if (!assignment) armFail(404, "RoleAssignmentNotFound", `The role assignment '${call.params["name"] ?? ""}' is not found.`);
  return HttpResponse.json(assignment);
}

function principalExists(call: ArmCall, principalId: string): boolean {
  const directory = call.ctx.state.directory;
  return directory.users.has(principalId) || directory.servicePrincipals.has(principalId) || directory.groups.has(principalId);
}

async function createAssignment(call: ArmCall): Promise<Response> {
  const scope = scopeOf(call);
  const name = call.params["name"] ?? "";
  if (!GUID.test(name))
    armFail(400, "InvalidRoleAssignmentId", `The role assignment ID '${name}' is not valid. The role assignment ID must be a GUID.`);
  const body = await readArmJson(call);
  const properties = body["properties"] as Record<string, unknown> | undefined;
  if (typeof properties !== "object" || properties === null)
    armFail(400, "InvalidRequestContent", "The 'properties' property is required.");
  const { roleDefinitionId, principalId, principalType, description, condition, conditionVersion } = properties;
  if (typeof roleDefinitionId !== "string") armFail(400, "InvalidRequestContent", "properties.roleDefinitionId is required.");
  if (typeof principalId !== "string" || !GUID.test(principalId))
    armFail(400, "InvalidPrincipalId", "properties.principalId is required and must be a GUID.");
  if (principalType !== undefined && (typeof principalType !== "string" || !PRINCIPAL_TYPES.includes(principalType))) {
    armFail(
      400,
      "InvalidRequestContent",
      `properties.principalType ${JSON.stringify(principalType)} is invalid; use one of ${PRINCIPAL_TYPES.join(", ")}.`
    );
  }
  const guid = definitionGuid(roleDefinitionId);
  if (guid === undefined || !call.ctx.state.roleDefinitions.has(guid)) {
    armFail(400, "RoleDefinitionDoesNotExist", `The specified role definition with ID '${guid ?? roleDefinitionId}' does not exist.`);
  }
  if (!principalExists(call, principalId)) {
    armFail(
      400,
      "PrincipalNotFound",
      `Principal ${principalId.replaceAll("-", "")} does not exist in the directory ${call.ctx.state.tenantId}.`
    );
  }
  const id = assignmentId(scope, name);
  const existing = call.ctx.state.roleAssignments.get(id);
  if (existing) {
    const same =
      definitionGuid(existing.properties.roleDefinitionId)?.toLowerCase() === guid.toLowerCase() &&
      existing.properties.principalId.toLowerCase() === principalId.toLowerCase();
    if (!same)
      armFail(409, "RoleAssignmentUpdateNotPermitted", "Tenant ID, application ID, principal ID, and scope are not allowed to be updated.");
    return HttpResponse.json(existing, { status: 201 });
  }
  for (const other of call.ctx.state.roleAssignments.values()) {
    if (
      assignmentScope(other).toLowerCase() === scope.toLowerCase() &&
      other.properties.principalId.toLowerCase() === principalId.toLowerCase() &&
      definitionGuid(other.properties.roleDefinitionId)?.toLowerCase() === guid.toLowerCase()
    ) {
      armFail(409, "RoleAssignmentExists", "The role assignment already exists.");
    }
  }
  const subscription = /^\/subscriptions\/[^/]+/iu.exec(scope)?.[0] ?? "";
  const now = call.ctx.clock.iso();
  const assignment: RoleAssignment = {
    id,
    name,
    type: "Microsoft.Authorization/roleAssignments",
    properties: {
      scope,
      roleDefinitionId: `${subscription}/providers/Microsoft.Authorization/roleDefinitions/${guid}`,
      principalId,
      principalType: typeof principalType === "string" ? principalType : "User",
      ...(typeof description === "string" ? { description } : {}),
      ...(typeof condition === "string" ? { condition } : {}),
      ...(typeof conditionVersion === "string" ? { conditionVersion } : {}),
      createdOn: now,
      updatedOn: now,
      createdBy: call.caller.oid,
      updatedBy: call.caller.oid,
    },
  };
  call.ctx.state.roleAssignments.set(id, assignment);
  return HttpResponse.json(assignment, { status: 201 });
}

function deleteAssignment(call: ArmCall): Response {
  const id = assignmentId(scopeOf(call), call.params["name"] ?? "");
  const assignment = call.ctx.state.roleAssignments.get(id);
  if (!assignment) return new HttpResponse(null, { status: 204 });
  call.ctx.state.roleAssignments.delete(id);
  return HttpResponse.json(assignment);
}

function definitionAt(scope: string, definition: RoleDefinition): RoleDefinition {
  const subscription = /^\/subscriptions\/[^/]+/iu.exec(scope)?.[0] ?? "";
  return { ...definition, id: `${subscription}/providers/Microsoft.Authorization/roleDefinitions/${definition.name}` };
}

function getDefinition(call: ArmCall): Response {
  const definition = call.ctx.state.roleDefinitions.get(call.params["name"] ?? "");
  if (!definition)
    armFail(404, "RoleDefinitionDoesNotExist", `The specified role definition with ID '${call.params["name"] ?? ""}' does not exist.`);
  return HttpResponse.json(definitionAt(scopeOf(call), definition));
}

function listDefinitions(call: ArmCall): Response {
  const filter = call.url.searchParams.get("$filter");
  let predicate: (definition: RoleDefinition) => boolean = () => true;
  if (filter !== null && filter.trim() !== "") {
    const byName = /^roleName\s+eq\s+'([^']+)'$/iu.exec(filter.trim());
    const byType = /^type\s+eq\s+'([^']+)'$/iu.exec(filter.trim());
    if (byName?.[1] !== undefined) {
      const wanted = byName[1].toLowerCase();
      predicate = (d) => d.properties.roleName.toLowerCase() === wanted;
    } else if (byType?.[1] !== undefined) {
      const wanted = byType[1].toLowerCase();
      predicate = (d) => (d.properties.type ?? "").toLowerCase() === wanted;
    } else {
      armFail(
        400,
        "UnsupportedQuery",
        `The filter '${filter}' is not supported: use roleName eq '{name}' or type eq '{BuiltInRole|CustomRole}'.`
      );
    }
  }
  const scope = scopeOf(call);
  const definitions = [...call.ctx.state.roleDefinitions.values()].filter(predicate).map((d) => definitionAt(scope, d));
  return HttpResponse.json(pageOf(call, definitions));
}

export function authorizationRoutes(): ArmRoute[] {
  return [
    {
      operation: "RoleAssignments_ListForScope",
      method: "GET",
      path: armPath(ASSIGNMENTS),
      apiVersions: API_VERSIONS,
      handle: listForScope,
    },
    {
      operation: "RoleAssignments_Get",
      method: "GET",
      path: armPath(`${ASSIGNMENTS}/{name}`),
      apiVersions: API_VERSIONS,
      handle: getAssignment,
    },
    {
      operation: "RoleAssignments_Create",
      method: "PUT",
      path: armPath(`${ASSIGNMENTS}/{name}`),
      apiVersions: API_VERSIONS,
      handle: createAssignment,
    },
    {
      operation: "RoleAssignments_Delete",
      method: "DELETE",
      path: armPath(`${ASSIGNMENTS}/{name}`),
      apiVersions: API_VERSIONS,
      handle: deleteAssignment,
    },
    { operation: "RoleDefinitions_List", method: "GET", path: armPath(DEFINITIONS), apiVersions: API_VERSIONS, handle: listDefinitions },
    {
      operation: "RoleDefinitions_Get",
      method: "GET",
      path: armPath(`${DEFINITIONS}/{name}`),
      apiVersions: API_VERSIONS,
      handle: getDefinition,
    },
  ];
}

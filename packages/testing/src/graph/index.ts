import { http, HttpResponse, type HttpHandler } from "msw";
import type { FakeAzureContext } from "../context.js";
import { GRAPH_AUDIENCE, GRAPH_ENDPOINT } from "../hosts.js";
import { graphError } from "../http/azure-errors.js";
import type { TenantState } from "../state/tenant-state.js";
import { GraphFailure, resourceNotFound } from "./graph-failure.js";
import { matchesGraphFilters, parseGraphFilter, selectProperties } from "./graph-query.js";
import { peopleRoute } from "./people-routes.js";

const V1 = `${GRAPH_ENDPOINT}/v1.0`;
const CONTEXT = `${V1}/$metadata`;



export type DirectoryObject = Record<string, unknown> & { id: string };

export function findDirectoryObject(state: TenantState, id: string): DirectoryObject | undefined {
  const user = state.directory.users.get(id);
  if (user) return { "@odata.type": "#microsoft.graph.user", ...user };
  const sp = state.directory.servicePrincipals.get(id);
  if (sp) return { "@odata.type": "#microsoft.graph.servicePrincipal", ...sp };
  const group = state.directory.groups.get(id);
  if (group) return { "@odata.type": "#microsoft.graph.group", ...group };
  return undefined;
}

export function findUser(state: TenantState, idOrUpn: string): DirectoryObject {
  const byId = state.directory.users.get(idOrUpn);
  if (byId) return byId;
  const wanted = idOrUpn.toLowerCase();
  const byUpn = [...state.directory.users.values()].find((u) => (u.userPrincipalName ?? "").toLowerCase() === wanted);
  if (!byUpn) resourceNotFound(idOrUpn);
  return byUpn;
}

function findServicePrincipal(state: TenantState, key: string): DirectoryObject {
  const appId = /^\(appId='([^']+)'\)$/iu.exec(key)?.[1];
  if (appId !== undefined) {
    const byAppId = [...state.directory.servicePrincipals.values()].find((sp) => sp.appId.toLowerCase() === appId.toLowerCase());
    if (!byAppId) resourceNotFound(appId);
    return byAppId;
  }
  const sp = state.directory.servicePrincipals.get(key);
  if (!sp) resourceNotFound(key);
  return sp;
}

/** A page of a Graph collection with `@odata.nextLink` (`$skiptoken`), honouring `$top`, `$filter` and `$select`. */
export function collection(url: URL, pageSize: number, contextName: string, items: readonly DirectoryObject[]): Response {
  const filters = parseGraphFilter(url.searchParams.get("$filter"));
  if ("error" in filters) throw new GraphFailure(400, "Request_UnsupportedQuery", filters.error);
  const matched = items.filter((item) => matchesGraphFilters(item, filters));
  const topParam = url.searchParams.get("$top");
  const top = topParam === null ? pageSize : Number.parseInt(topParam, 10);
  if (!Number.isInteger(top) || top < 1) throw new GraphFailure(400, "Request_BadRequest", `Invalid $top value '${topParam ?? ""}'.`);
  const skip = Number.parseInt(url.searchParams.get("$skiptoken") ?? "0", 10) || 0;
  const page = matched.slice(skip, skip + top).map((item) => selectProperties(item, url.searchParams.get("$select")));
  const body: Record<string, unknown> = { "@odata.context": `${CONTEXT}#${contextName}`, value: page };
  if (skip + top < matched.length) {
    const next = new URL(url.href);
    next.searchParams.set("$skiptoken", String(skip + top));
    body["@odata.nextLink"] = next.href;
  }
  return HttpResponse.json(body);
}

export function single(url: URL, contextName: string, object: DirectoryObject): Response {
  return HttpResponse.json({
    "@odata.context": `${CONTEXT}#${contextName}/$entity`,
    ...selectProperties(object, url.searchParams.get("$select")),
  });
}

export async function readBody(request: Request): Promise<Record<string, unknown>> {
  try {
    const parsed: unknown = await request.json();
    if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new GraphFailure(400, "BadRequest", "The request body must be a JSON object.");
}

const WRITABLE_ACCOUNT_FIELDS = new Set(["accountEnabled"]);

/** PATCH on a user or service principal: only `accountEnabled` (the containment switch) is writable here. */
async function patchAccount(account: DirectoryObject, request: Request, kind: string): Promise<Response> {
  const body = await readBody(request);
  for (const field of Object.keys(body)) {
    if (!WRITABLE_ACCOUNT_FIELDS.has(field)) {
      throw new GraphFailure(400, "Request_BadRequest", `The fake Azure tenant only updates accountEnabled on ${kind}, not '${field}'.`);
    }
  }
  if (typeof body["accountEnabled"] !== "boolean") throw new GraphFailure(400, "Request_BadRequest", "accountEnabled must be a boolean.");
  account["accountEnabled"] = body["accountEnabled"];
  return new HttpResponse(null, { status: 204 });
}

/**
 * Microsoft Graph v1.0: the directory reads an incident responder needs (users, service principals with
 * `appOwnerOrganizationId`, groups, owners, directory role assignments and PIM eligibility) plus the two
 * containment writes (`revokeSignInSessions`, `accountEnabled: false`); managers, application owners and `sendMail`
 * come from `people-routes.ts`.
 */
export function createGraphHandlers(ctx: FakeAzureContext): HttpHandler[] {
  const route = async (request: Request): Promise<Response | undefined> => {
    const url = new URL(request.url);
    const path = url.pathname.replace(/^\/v1\.0/iu, "").replace(/\/+$/u, "");
    const method = request.method.toUpperCase();
    const state = ctx.state;
    const segments = path
      .split("/")
      .filter((s) => s.length > 0)
      .map(decodeURIComponent);
    const [root, key, sub, subKey] = segments;
    const rootLower = root?.toLowerCase();

    if (rootLower === "users") {
      if (key === undefined && method === "GET") return collection(url, ctx.pageSize, "users", [...state.directory.users.values()]);
      if (key !== undefined && sub === undefined && method === "GET") return single(url, "users", findUser(state, key));
      if (key !== undefined && sub === undefined && method === "PATCH") return patchAccount(findUser(state, key), request, "users");
      if (key !== undefined && sub?.toLowerCase() === "revokesigninsessions" && method === "POST") {
        const user = findUser(state, key);
        user["signInSessionsValidFromDateTime"] = ctx.clock
          .date()
          .toISOString()
          .replace(/\.\d{3}Z$/u, "Z");
        return HttpResponse.json({ "@odata.context": `${CONTEXT}#Edm.Boolean`, value: true });
      }
    }

    if (rootLower === "serviceprincipals" || rootLower?.startsWith("serviceprincipals(")) {
      const spKey = rootLower.startsWith("serviceprincipals(") ? root?.slice("servicePrincipals".length) : key;
      const rest = rootLower.startsWith("serviceprincipals(") ? [key, sub] : [sub, subKey];
      if (spKey === undefined && method === "GET")
        return collection(url, ctx.pageSize, "servicePrincipals", [...state.directory.servicePrincipals.values()]);
      if (spKey !== undefined && rest[0] === undefined && method === "GET")
        return single(url, "servicePrincipals", findServicePrincipal(state, spKey));
      if (spKey !== undefined && rest[0] === undefined && method === "PATCH") {
        return patchAccount(findServicePrincipal(state, spKey), request, "service principals");
      }
      if (spKey !== undefined && rest[0]?.toLowerCase() === "owners" && method === "GET") {
        const sp = findServicePrincipal(state, spKey);
        const owners = (state.directory.owners.get(sp.id) ?? [])
          .map((id) => findDirectoryObject(state, id))
          .filter((o): o is DirectoryObject => o !== undefined);
        return collection(url, ctx.pageSize, "directoryObjects", owners);
      }
    }

    if (rootLower === "directoryobjects") {
      if (key?.toLowerCase() === "getbyids" && method === "POST") {
        const body = await readBody(request);
        const ids = body["ids"];
        if (!Array.isArray(ids) || !ids.every((id) => typeof id === "string"))
          throw new GraphFailure(400, "Request_BadRequest", "ids must be an array of strings.");
        const types = Array.isArray(body["types"]) ? (body["types"] as unknown[]).map((t) => String(t).toLowerCase()) : undefined;
        const found = ids
          .map((id) => findDirectoryObject(state, id))
          .filter((o): o is DirectoryObject => o !== undefined)
          .filter((o) => types === undefined || types.includes(String(o["@odata.type"]).replace("#microsoft.graph.", "").toLowerCase()));
        return HttpResponse.json({ "@odata.context": `${CONTEXT}#directoryObjects`, value: found });
      }
      if (key !== undefined && sub === undefined && method === "GET") {
        const object = findDirectoryObject(state, key);
        if (!object) resourceNotFound(key);
        return single(url, "directoryObjects", object);
      }
    }

    if (rootLower === "rolemanagement" && key?.toLowerCase() === "directory" && method === "GET") {
      const collectionName = sub?.toLowerCase();
      if (collectionName === "roleassignments" && subKey === undefined) {
        const expand = url.searchParams.get("$expand");
        const items = [...state.directory.roleAssignments.values()].map((a) => {
          if (expand?.toLowerCase() !== "roledefinition") return a;
          const definition = state.directory.roleDefinitions.get(a.roleDefinitionId);
          return { ...a, roleDefinition: definition ?? null };
        });
        if (expand !== null && expand.toLowerCase() !== "roledefinition") {
          throw new GraphFailure(400, "Request_UnsupportedQuery", `The fake Azure tenant expands only roleDefinition, not '${expand}'.`);
        }
        return collection(url, ctx.pageSize, "roleManagement/directory/roleAssignments", items);
      }
      if (collectionName === "roleeligibilityscheduleinstances" && subKey === undefined) {
        return collection(url, ctx.pageSize, "roleManagement/directory/roleEligibilityScheduleInstances", [
          ...state.directory.roleEligibilityScheduleInstances.values(),
        ]);
      }
      if (collectionName === "roledefinitions") {
        if (subKey === undefined)
          return collection(url, ctx.pageSize, "roleManagement/directory/roleDefinitions", [...state.directory.roleDefinitions.values()]);
        const definition = state.directory.roleDefinitions.get(subKey);
        if (!definition) resourceNotFound(subKey);
        return single(url, "roleManagement/directory/roleDefinitions", definition);
      }
    }
    return peopleRoute(ctx, request, url, segments, method);
  };

  return [
    http.all(`${V1}/*`, async ({ request }) => {
      const check = ctx.tokens.verify(request, GRAPH_AUDIENCE);
      if (!check.ok) {
        // Graph answers every token problem with the same code; the message tells them apart.
        return graphError(401, "InvalidAuthenticationToken", check.reason === "missing" ? "Access token is empty." : check.message);
      }
      try {
        return await route(request);
      } catch (error) {
        if (error instanceof GraphFailure) return graphError(error.status, error.code, error.message);
        throw error;
      }
    }),
  ];
}

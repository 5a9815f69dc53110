import { http, HttpResponse, type HttpHandler } from "msw";
import type { FakeAzureContext } from "../context.js";
import type { FaultInjector } from "../gate/faults.js";
import { GRAPH_AUDIENCE, GRAPH_ENDPOINT } from "../hosts.js";
import { graphError } from "../http/azure-errors.js";
import { notModelledMessage } from "../fallback-handlers.js";
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
export function createGraphHandlers(ctx: FakeAzureContext, options: { faults?: FaultInjector } = {}): HttpHandler[] {
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

  /**
   * One request inside a batch: an injected status fault matching its URL (Graph fails and throttles the requests
   * of a batch one by one), else the route's answer, Graph's error for a failure, 501 (as the fallback says) when
   * not served.
   */
  const answer = async (request: Request): Promise<Response> => {
    const fault = options.faults?.take(request);
    if (fault?.status !== undefined) {
      const body = fault.body ?? { error: { code: fault.status === 429 ? "TooManyRequests" : "InjectedFault", message: `Fault injected by the fake Azure tenant (HTTP ${fault.status}).` } };
      return HttpResponse.json(body, { status: fault.status, headers: fault.headers });
    }
    try {
      return (await route(request)) ?? graphError(501, "FakeAzureUnsupportedRequest", notModelledMessage(request));
    } catch (error) {
      if (error instanceof GraphFailure) return graphError(error.status, error.code, error.message);
      throw error;
    }
  };

  return [
    http.all(`${V1}/*`, async ({ request }) => {
      const check = ctx.tokens.verify(request, GRAPH_AUDIENCE);
      if (!check.ok) {
        // Graph answers every token problem with the same code; the message tells them apart.
        return graphError(401, "InvalidAuthenticationToken", check.reason === "missing" ? "Access token is empty." : check.message);
      }
      try {
        if (isBatchPath(request.url)) {
          if (request.method.toUpperCase() !== "POST") throw new GraphFailure(405, "Request_BadRequest", "JSON batching takes a POST to /$batch.");
          return await batch(request, answer);
        }
        return await route(request);
      } catch (error) {
        if (error instanceof GraphFailure) return graphError(error.status, error.code, error.message);
        throw error;
      }
    }),
  ];
}

/** Microsoft Graph's limit of requests per JSON batch. */
export const GRAPH_BATCH_LIMIT = 20;

function isBatchPath(href: string): boolean {
  return /^\/v1\.0\/\$batch\/?$/iu.test(new URL(href).pathname);
}

interface BatchStep {
  id: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
  dependsOn: string[];
}

/** Validates a `$batch` body the way Graph does: the whole batch fails 400 when its envelope is malformed. */
function batchSteps(body: Record<string, unknown>): BatchStep[] {
  const requests = body["requests"];
  if (!Array.isArray(requests) || requests.length === 0) {
    throw new GraphFailure(400, "BadRequest", "Invalid batch payload format: `requests` must be a non-empty array.");
  }
  if (requests.length > GRAPH_BATCH_LIMIT) {
    throw new GraphFailure(400, "BadRequest", `The batch holds ${requests.length} requests; Microsoft Graph takes at most ${GRAPH_BATCH_LIMIT} per batch. Split it.`);
  }
  const seen = new Set<string>();
  return requests.map((raw: unknown, index) => {
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw new GraphFailure(400, "BadRequest", `Batch request ${index} must be an object.`);
    const step = raw as Record<string, unknown>;
    const { id, method, url } = step;
    if (typeof id !== "string" || id === "") throw new GraphFailure(400, "BadRequest", `Batch request ${index} needs a string \`id\`.`);
    // Ids are compared case-insensitively and must be unique.
    if (seen.has(id.toLowerCase())) throw new GraphFailure(400, "BadRequest", `Batch request id '${id}' is not unique in the batch.`);
    seen.add(id.toLowerCase());
    if (typeof method !== "string" || method === "") throw new GraphFailure(400, "BadRequest", `Batch request '${id}' needs a \`method\`.`);
    if (typeof url !== "string" || url === "") throw new GraphFailure(400, "BadRequest", `Batch request '${id}' needs a relative \`url\`.`);
    const headers: Record<string, string> = {};
    if (step["headers"] !== undefined) {
      if (typeof step["headers"] !== "object" || step["headers"] === null || Array.isArray(step["headers"])) {
        throw new GraphFailure(400, "BadRequest", `Batch request '${id}': \`headers\` must be an object.`);
      }
      for (const [name, value] of Object.entries(step["headers"] as Record<string, unknown>)) headers[name] = String(value);
    }
    if (step["body"] !== undefined && !Object.keys(headers).some((name) => name.toLowerCase() === "content-type")) {
      throw new GraphFailure(400, "BadRequest", `Batch request '${id}' has a body but no Content-Type header.`);
    }
    const dependsOn = step["dependsOn"] ?? [];
    if (!Array.isArray(dependsOn) || !dependsOn.every((dependency) => typeof dependency === "string" && seen.has(dependency.toLowerCase()) && dependency.toLowerCase() !== id.toLowerCase())) {
      throw new GraphFailure(400, "BadRequest", `Batch request '${id}': \`dependsOn\` must name ids of earlier requests in the batch.`);
    }
    return { id, method: method.toUpperCase(), url, headers, body: step["body"], dependsOn: dependsOn as string[] };
  });
}

/**
 * `POST /v1.0/$batch` (JSON batching): up to 20 requests, each answered in `responses` with its own `status`,
 * `headers` and `body`, the batch itself 200. Each request runs through the same routes as on its own (same state,
 * same errors, injected status faults matched on its own URL); a request whose `dependsOn` failed gets 424.
 * Relative URLs only; a nested `$batch` is refused. The batch is one call in the call log.
 */
async function batch(request: Request, answer: (inner: Request) => Promise<Response>): Promise<Response> {
  const steps = batchSteps(await readBody(request));
  const authorization = request.headers.get("authorization") ?? "";
  const statuses = new Map<string, number>();
  const responses: Record<string, unknown>[] = [];
  for (const step of steps) {
    const failedDependency = step.dependsOn.find((dependency) => {
      const status = statuses.get(dependency.toLowerCase());
      return status === undefined || status < 200 || status > 299;
    });
    let response: Response;
    if (failedDependency !== undefined) {
      response = graphError(424, "BadRequest", `Failed dependency: request '${failedDependency}' did not succeed.`);
    } else if (/^[a-z][a-z0-9+.-]*:/iu.test(step.url) || isBatchPath(`${V1}/${step.url.replace(/^\/+/u, "")}`)) {
      response = graphError(400, "BadRequest", `Batch request '${step.id}': the url must be relative to the version (e.g. /users/{id}) and not another $batch.`);
    } else {
      const inner = new Request(`${V1}/${step.url.replace(/^\/+/u, "")}`, {
        method: step.method,
        headers: { ...step.headers, authorization },
        ...(step.body === undefined ? {} : { body: typeof step.body === "string" ? step.body : JSON.stringify(step.body) }),
      });
      response = await answer(inner);
    }
    statuses.set(step.id.toLowerCase(), response.status);
    const text = await response.text();
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      headers[name] = value;
    });
    responses.push({ id: step.id, status: response.status, headers, ...(text === "" ? {} : { body: JSON.parse(text) as unknown }) });
  }
  return HttpResponse.json({ responses });
}

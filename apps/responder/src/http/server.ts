import cookie from "@fastify/cookie";
import CsrfTokens from "@fastify/csrf";
import csrf from "@fastify/csrf-protection";
import formbody from "@fastify/formbody";
import helmet from "@fastify/helmet";
import rateLimit from "@fastify/rate-limit";
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";

import type { RemediationPlan, RemediationStep } from "@keywarden/remediation";
import type { ImpactReport } from "@keywarden/impact";
import type { TriageReport } from "@keywarden/triage";

import { OidcSignIn } from "../auth/oidc.js";
import { checkLocalLogin, hasRole, isSelfTarget, principalFromLocalUser, secretEquals, type Principal } from "../auth/principal.js";
import { endSession, sessionPrincipal, startSession } from "../auth/session.js";
import type { ResponderConfig, Role } from "../config/config.js";
import type { ResponseEngine } from "../engine/response-engine.js";
import { ingestDelivery } from "../ingest/ingest-delivery.js";
import type { ResponderMetrics } from "../metrics/metrics.js";
import { layout, stylesheet } from "../pages/html.js";
import { incidentListBody, incidentPageBody, loginBody, messageBody } from "../pages/incident-pages.js";
import { incidentStates, type IncidentRecord, type IncidentState, type ResponderStore } from "../store/store-types.js";
import { DeliveryAuthenticator } from "./delivery-auth.js";

export interface ServerDependencies {
  config: ResponderConfig;
  store: ResponderStore;
  engine: ResponseEngine;
  metrics: ResponderMetrics;
  /** Wall clock (signature freshness, sessions, store times). */
  now?: () => number;
  /** Readiness beyond the store (the worker running). */
  ready?: () => string | undefined;
  logger?: boolean;
  /** Shown on the sign-in page (the sandbox's users). */
  loginHint?: string;
}

const idPattern = "^[A-Za-z0-9_.:-]{1,200}$";
const reasonSchema = { type: "string", maxLength: 1000 } as const;

interface DecisionBody {
  reason?: string;
  _csrf?: string;
}

/** Builds the responder's HTTP server (not listening yet). */
export async function buildServer(deps: ServerDependencies): Promise<FastifyInstance> {
  const { config, store, engine, metrics } = deps;
  const now = deps.now ?? Date.now;
  const secure = config.mode === "azure";
  const app = Fastify({
    logger: deps.logger === true ? { level: "info", redact: ["req.headers.authorization", "req.headers.cookie", 'req.headers["x-keywarden-signature"]'] } : false,
    bodyLimit: config.bodyLimitBytes,
    trustProxy: config.mode === "azure", // Container Apps terminates TLS in front of the app
    return503OnClosing: true,
  });

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: { defaultSrc: ["'self'"], scriptSrc: ["'none'"], styleSrc: ["'self'"], imgSrc: ["'self'"], formAction: ["'self'"], frameAncestors: ["'none'"], ...(secure ? {} : { upgradeInsecureRequests: null }) },
    },
    hsts: secure,
  });
  await app.register(rateLimit, { max: config.rateLimitPerMinute, timeWindow: 60_000 });
  await app.register(cookie, { secret: config.sessionSecret });
  await app.register(csrf, { cookieOpts: { signed: true, httpOnly: true, sameSite: "strict", secure, path: "/" } });
  await app.register(formbody);

  const oidc = config.oidc === undefined ? undefined : new OidcSignIn(config.oidc);
  const authenticator = new DeliveryAuthenticator({
    ...(config.hmacKey === undefined ? {} : { hmacKey: config.hmacKey }),
    maxClockSkewSeconds: config.maxClockSkewSeconds,
    ...(config.entra === undefined ? {} : { entra: config.entra }),
  });

  const tokenPrincipal: Principal = { id: "token:admin", name: "admin token", roles: new Set<Role>(["admin"]), via: "token" };
  const authenticate = (request: FastifyRequest): Principal | undefined => {
    const header = request.headers.authorization;
    if (header !== undefined && config.adminToken !== undefined) {
      const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
      if (token !== undefined && secretEquals(token, config.adminToken)) return tokenPrincipal;
      return undefined; // a wrong bearer token is not silently replaced by a cookie
    }
    return sessionPrincipal(request, now());
  };
  const isForm = (request: FastifyRequest) => (request.headers["content-type"] ?? "").startsWith("application/x-www-form-urlencoded");
  const wantsHtml = (request: FastifyRequest) => isForm(request) || (request.headers.accept ?? "").includes("text/html");

  // The plugin's own hook answers refusals itself; checked here so the refusal is counted and explained.
  const tokens = CsrfTokens();
  const checkCsrf = (request: FastifyRequest): Promise<boolean> => {
    const cookie = request.cookies["_csrf"];
    const secret = cookie === undefined ? null : request.unsignCookie(cookie).value;
    const body = request.body as { _csrf?: unknown } | undefined;
    const header = request.headers["x-csrf-token"] ?? request.headers["csrf-token"];
    const token = typeof body?._csrf === "string" ? body._csrf : typeof header === "string" ? header : undefined;
    return Promise.resolve(secret !== null && token !== undefined && tokens.verify(secret, token));
  };

  // One CSRF token per response: generating twice would rotate the secret cookie under the first token.
  const csrfTokens = new WeakMap<FastifyReply, string>();
  const csrfToken = (reply: FastifyReply): string => {
    let token = csrfTokens.get(reply);
    if (token === undefined) {
      token = reply.generateCsrf();
      csrfTokens.set(reply, token);
    }
    return token;
  };

  const page = (reply: FastifyReply, principal: Principal | undefined, title: string, body: Parameters<typeof layout>[0]["body"], status = 200) => {
    const token = csrfToken(reply);
    return reply
      .code(status)
      .type("text/html; charset=utf-8")
      .header("cache-control", "no-store")
      .send(layout({ title, body, csrfToken: token, ...(principal === undefined ? {} : { user: { name: principal.name, roles: [...principal.roles].join(", ") } }) }));
  };

  const refuse = (request: FastifyRequest, reply: FastifyReply, status: number, reason: string) => {
    if (wantsHtml(request)) return page(reply, authenticate(request), "Refused", messageBody(`Refused (${status})`, reason, "/"), status);
    return reply.code(status).send({ error: reason });
  };

  app.setErrorHandler((error: { statusCode?: number; code?: string; message: string }, request, reply) => {
    const status = error.statusCode ?? 500;
    if (request.url.startsWith("/alerts") && request.method === "POST") {
      metrics.alertsReceived.inc({ outcome: status === 413 ? "oversize" : status === 415 ? "unsupported" : status === 429 ? "rate-limited" : "invalid" });
    }
    if (status >= 500) request.log.error(error);
    const reason = status === 413 ? "body too large" : status === 415 ? "unsupported content type" : status === 429 ? "too many requests" : status >= 500 ? "internal error" : error.message;
    void reply.code(status).send({ error: reason });
  });

  // Health.
  app.get("/healthz", () => ({ status: "ok" }));
  app.get("/readyz", async (_request, reply) => {
    try {
      await store.ping();
    } catch {
      return reply.code(503).send({ status: "unavailable", reason: "store unreachable" });
    }
    const notReady = deps.ready?.();
    if (notReady !== undefined) return reply.code(503).send({ status: "unavailable", reason: notReady });
    return { status: "ready", store: store.kind };
  });
  app.get("/metrics", async (_request, reply) => reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()));
  app.get("/static/responder.css", (_request, reply) => reply.type("text/css; charset=utf-8").header("cache-control", "public, max-age=3600").send(stylesheet));

  // Alerts in: the raw body is kept for the signature, parsed only after the delivery is authenticated.
  await app.register((scope, _options, registered) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(["application/json", "text/plain"], { parseAs: "string" }, (_request, body, done) => done(null, body));
    scope.post("/alerts", async (request, reply) => {
      const raw = typeof request.body === "string" ? request.body : "";
      const check = await authenticator.check(request.headers, raw, now());
      if (!check.ok) {
        metrics.alertsReceived.inc({ outcome: check.refusal });
        return reply.code(check.refusal === "replayed" ? 409 : 401).send({ error: check.reason });
      }
      let body: unknown;
      try {
        body = JSON.parse(raw);
      } catch {
        metrics.alertsReceived.inc({ outcome: "invalid" });
        return reply.code(400).send({ error: "body is not JSON" });
      }
      // Validate before remembering the delivery: a malformed payload leaves nothing in the store.
      const outcome = await ingestDelivery(store, body, now(), { replay: check.replayKey === undefined ? undefined : { key: check.replayKey, expiresAt: check.replayExpiresAt! } });
      if (!outcome.ok) {
        metrics.alertsReceived.inc({ outcome: outcome.replayed === true ? "replayed" : "invalid" });
        return reply.code(outcome.replayed === true ? 409 : 422).send({ error: outcome.reason });
      }
      for (const incident of outcome.incidents) metrics.alertsReceived.inc({ outcome: incident.created ? "accepted" : "duplicate" });
      const first = outcome.incidents[0]!;
      return reply.code(202).send(outcome.incidents.length === 1 ? { incidentId: first.incidentId } : { incidentId: first.incidentId, incidentIds: outcome.incidents.map((incident) => incident.incidentId) });
    });
    registered();
  });

  // JSON API.
  const requireRole = (request: FastifyRequest, reply: FastifyReply, role: Role): Principal | undefined => {
    const principal = authenticate(request);
    if (principal === undefined) {
      void refuse(request, reply, 401, "sign in or send the admin bearer token");
      return undefined;
    }
    if (!hasRole(principal, role)) {
      void refuse(request, reply, 403, `the ${role} role is required`);
      return undefined;
    }
    return principal;
  };

  const listQuerySchema = {
    type: "object",
    properties: { state: { type: "string", enum: [...incidentStates, ""] }, vault: { type: "string", maxLength: 200 }, q: { type: "string", maxLength: 200 }, limit: { type: "integer", minimum: 1, maximum: 1000 } },
    additionalProperties: false,
  } as const;
  type ListQuery = { state?: IncidentState | ""; vault?: string; q?: string; limit?: number };
  const filterOf = (query: ListQuery) => ({
    ...(query.state === undefined || query.state === "" ? {} : { state: query.state }),
    ...(query.vault === undefined || query.vault === "" ? {} : { vault: query.vault }),
    ...(query.q === undefined || query.q === "" ? {} : { text: query.q }),
    ...(query.limit === undefined ? {} : { limit: query.limit }),
  });

  app.get<{ Querystring: ListQuery }>("/incidents", { schema: { querystring: listQuerySchema } }, async (request, reply) => {
    if (requireRole(request, reply, "viewer") === undefined) return reply;
    return { incidents: await store.listIncidents(filterOf(request.query)) };
  });

  const incidentJson = (incident: IncidentRecord) => ({
    id: incident.id,
    alertId: incident.alertId,
    systemAlertId: incident.systemAlertId,
    state: incident.state,
    displayName: incident.displayName,
    kind: incident.kind,
    severity: incident.severity,
    vault: { name: incident.vaultName, resourceId: incident.vaultResourceId },
    receivedAt: new Date(incident.receivedAt).toISOString(),
    updatedAt: new Date(incident.updatedAt).toISOString(),
    steps: incident.steps.map((step) => ({
      id: step.id,
      kind: step.kind,
      status: step.status,
      requiresApproval: step.requiresApproval,
      risk: step.risk,
      ...(step.decision === undefined ? {} : { decision: { approved: step.decision.approved, by: step.decision.by, reason: step.decision.reason, at: new Date(step.decision.at).toISOString() } }),
    })),
    differences: incident.differences ?? [],
    ...(incident.error === undefined ? {} : { error: incident.error }),
    ...(incident.rollback === undefined ? {} : { rollback: incident.rollback }),
    ...(incident.plan === undefined ? {} : { planId: (incident.plan as RemediationPlan).id }),
  });

  const idParams = { type: "object", properties: { id: { type: "string", pattern: idPattern } }, required: ["id"] } as const;
  app.get<{ Params: { id: string } }>("/incidents/:id", { schema: { params: idParams } }, async (request, reply) => {
    if (requireRole(request, reply, "viewer") === undefined) return reply;
    const incident = await store.getIncident(request.params.id);
    if (incident === undefined) return reply.code(404).send({ error: "no such incident" });
    return incidentJson(incident);
  });
  app.get<{ Params: { id: string } }>("/incidents/:id/journal", { schema: { params: idParams } }, async (request, reply) => {
    if (requireRole(request, reply, "viewer") === undefined) return reply;
    if ((await store.getIncident(request.params.id)) === undefined) return reply.code(404).send({ error: "no such incident" });
    return { entries: await store.journal(request.params.id) };
  });

  const stepParams = {
    type: "object",
    properties: { id: { type: "string", pattern: idPattern }, stepId: { type: "string", pattern: idPattern } },
    required: ["id", "stepId"],
  } as const;
  const decisionBody = { type: "object", properties: { reason: reasonSchema, _csrf: { type: "string", maxLength: 200 } }, additionalProperties: false } as const;

  const decide = (approved: boolean) => async (request: FastifyRequest<{ Params: { id: string; stepId: string }; Body: DecisionBody | undefined }>, reply: FastifyReply) => {
    const principal = authenticate(request);
    if (principal === undefined) {
      metrics.approvalsRefused.inc({ reason: "no-session" });
      return refuse(request, reply, 401, "sign in to approve or reject");
    }
    if (principal.via === "session" && !(await checkCsrf(request))) {
      metrics.approvalsRefused.inc({ reason: "csrf" });
      return refuse(request, reply, 403, "missing or invalid CSRF token: reload the page and try again");
    }
    if (!hasRole(principal, "approver")) {
      metrics.approvalsRefused.inc({ reason: "role" });
      return refuse(request, reply, 403, "the approver role is required");
    }
    const incident = await store.getIncident(request.params.id);
    const step = incident?.steps.find((candidate) => candidate.id === request.params.stepId);
    if (incident === undefined || step === undefined) return refuse(request, reply, 404, "no such incident or step");
    if (isSelfTarget(principal, { ...(step.principalObjectId === undefined ? {} : { objectId: step.principalObjectId }), ...(step.principalUpn === undefined ? {} : { userPrincipalName: step.principalUpn }) })) {
      metrics.approvalsRefused.inc({ reason: "self" });
      return refuse(request, reply, 403, "you are the target principal of this step: another approver must decide it");
    }
    // A decision is about the plan as it was signed: a stored plan changed since is refused here, before anything
    // is recorded (the worker verifies again before applying).
    if (incident.plan !== undefined) {
      try {
        await engine.verifyPlan(incident.plan as RemediationPlan);
      } catch (error) {
        metrics.approvalsRefused.inc({ reason: "plan-signature" });
        const code = (error as { code?: unknown }).code;
        return refuse(request, reply, 409, `the stored plan's signature does not verify${typeof code === "string" ? ` (${code})` : ""}: it was changed after it was signed, so nothing was decided; an administrator must investigate the store`);
      }
    }
    const reason = (request.body?.reason ?? "").trim();
    if (!approved && reason === "") return refuse(request, reply, 400, "a reason is required to reject a step");
    const result = await store.decideStep(incident.id, step.id, { approved, by: `${principal.name} <${principal.id}>`, reason: reason === "" ? "approved" : reason, at: now() });
    if (result === "not-found") return refuse(request, reply, 404, "no such step");
    if (result === "not-pending") {
      metrics.approvalsRefused.inc({ reason: "not-pending" });
      return refuse(request, reply, 409, "the step is not pending approval (already decided, applied or not yet planned)");
    }
    metrics.approvals.inc({ decision: approved ? "approved" : "rejected" });
    if (isForm(request)) return reply.code(303).header("location", `/ui/incidents/${encodeURIComponent(incident.id)}#step-${encodeURIComponent(step.id)}`).send();
    return reply.code(202).send({ incidentId: incident.id, stepId: step.id, status: approved ? "planned" : "rejected" });
  };
  app.post("/incidents/:id/steps/:stepId/approve", { schema: { params: stepParams, body: decisionBody } }, decide(true));
  app.post("/incidents/:id/steps/:stepId/reject", { schema: { params: stepParams, body: decisionBody } }, decide(false));

  app.post<{ Params: { id: string }; Body: DecisionBody | undefined }>("/incidents/:id/rollback", { schema: { params: idParams, body: decisionBody } }, async (request, reply) => {
    const principal = authenticate(request);
    if (principal === undefined) return refuse(request, reply, 401, "sign in to roll back");
    if (principal.via === "session" && !(await checkCsrf(request))) return refuse(request, reply, 403, "missing or invalid CSRF token: reload the page and try again");
    if (!hasRole(principal, "admin")) return refuse(request, reply, 403, "the admin role is required");
    const incident = await store.getIncident(request.params.id);
    if (incident === undefined) return refuse(request, reply, 404, "no such incident");
    if (incident.rollback !== undefined && incident.rollback.status !== "failed") return refuse(request, reply, 409, `a rollback was already ${incident.rollback.status}`);
    if (!incident.steps.some((step) => step.status === "applied")) return refuse(request, reply, 409, "nothing was applied: there is nothing to roll back");
    await store.updateIncident(incident.id, { rollback: { requestedBy: `${principal.name} <${principal.id}>`, requestedAt: now(), status: "requested" } }, now());
    await store.enqueue(incident.id, "rollback", now());
    if (isForm(request)) return reply.code(303).header("location", `/ui/incidents/${encodeURIComponent(incident.id)}`).send();
    return reply.code(202).send({ incidentId: incident.id, rollback: "requested" });
  });

  // Pages.
  const signedInOrRedirect = (request: FastifyRequest, reply: FastifyReply): Principal | undefined => {
    const principal = sessionPrincipal(request, now());
    if (principal === undefined) {
      void reply.redirect(`/login?next=${encodeURIComponent(request.url)}`, 303);
      return undefined;
    }
    if (!hasRole(principal, "viewer")) {
      void page(reply, principal, "No access", messageBody("No access", "Your account holds none of the responder's roles."), 403);
      return undefined;
    }
    return principal;
  };

  app.get<{ Querystring: ListQuery }>("/", { schema: { querystring: listQuerySchema } }, async (request, reply) => {
    const principal = signedInOrRedirect(request, reply);
    if (principal === undefined) return reply;
    const filter = filterOf(request.query);
    return page(reply, principal, "Incidents", incidentListBody({ incidents: await store.listIncidents(filter), filter: { ...(filter.state === undefined ? {} : { state: filter.state }), ...(filter.vault === undefined ? {} : { vault: filter.vault }), ...(filter.text === undefined ? {} : { text: filter.text }) } }));
  });

  app.get<{ Params: { id: string } }>("/ui/incidents/:id", { schema: { params: idParams } }, async (request, reply) => {
    const principal = signedInOrRedirect(request, reply);
    if (principal === undefined) return reply;
    const incident = await store.getIncident(request.params.id);
    if (incident === undefined) return page(reply, principal, "Not found", messageBody("Not found", "No such incident.", "/"), 404);
    const plan = incident.plan as RemediationPlan | undefined;
    const stepText = new Map<string, string>((plan?.steps ?? []).map((step: RemediationStep) => [step.id, engine.describeStep(step)]));
    const selfTargeted = new Set(
      incident.steps
        .filter((step) => isSelfTarget(principal, { ...(step.principalObjectId === undefined ? {} : { objectId: step.principalObjectId }), ...(step.principalUpn === undefined ? {} : { userPrincipalName: step.principalUpn }) }))
        .map((step) => step.id),
    );
    return page(
      reply,
      principal,
      incident.displayName,
      incidentPageBody({
        incident,
        journal: await store.journal(incident.id),
        stepText,
        canDecide: hasRole(principal, "approver"),
        canRollback: hasRole(principal, "admin"),
        selfTargeted,
        csrfToken: csrfToken(reply),
        ...(incident.triage === undefined ? {} : { triageText: engine.describeTriage(incident.triage as TriageReport) }),
        ...(incident.impact === undefined ? {} : { impactText: engine.describeImpact(incident.impact as ImpactReport) }),
      }),
    );
  });

  const localLogin = config.users.length > 0;
  app.get("/login", (request, reply) =>
    page(reply, sessionPrincipal(request, now()), "Sign in", loginBody({ csrfToken: csrfToken(reply), local: localLogin, oidc: oidc !== undefined, ...(deps.loginHint === undefined ? {} : { hint: deps.loginHint }) })),
  );
  const loginBodySchema = {
    type: "object",
    properties: { username: { type: "string", maxLength: 200 }, password: { type: "string", maxLength: 200 }, _csrf: { type: "string", maxLength: 200 }, next: { type: "string", maxLength: 500 } },
    required: ["username", "password"],
  } as const;
  app.post<{ Body: { username: string; password: string } }>(
    "/login",
    { schema: { body: loginBodySchema }, config: { rateLimit: { max: 20, timeWindow: 60_000 } } },
    async (request, reply) => {
      if (!localLogin) return refuse(request, reply, 404, "local sign-in is not enabled");
      if (!(await checkCsrf(request))) return refuse(request, reply, 403, "missing or invalid CSRF token: reload the page and try again");
      const user = checkLocalLogin(config.users, request.body.username, request.body.password);
      if (user === undefined) {
        return page(reply, undefined, "Sign in", loginBody({ csrfToken: csrfToken(reply), local: true, oidc: oidc !== undefined, error: "Wrong user name or password." }), 401);
      }
      startSession(reply, principalFromLocalUser(user), { secure, now: now() });
      return reply.redirect("/", 303);
    },
  );
  app.post("/logout", async (request, reply) => {
    if (!(await checkCsrf(request))) return refuse(request, reply, 403, "missing or invalid CSRF token");
    endSession(reply, secure);
    return reply.redirect("/login", 303);
  });

  if (oidc !== undefined) {
    app.get("/auth/oidc/login", async (_request, reply) => {
      const started = await oidc.start();
      reply.setCookie("kw_oidc", Buffer.from(JSON.stringify(started.pending)).toString("base64url"), { signed: true, httpOnly: true, sameSite: "lax", secure, path: "/auth/oidc", maxAge: 600 });
      return reply.redirect(started.url, 303);
    });
    app.get("/auth/oidc/callback", async (request, reply) => {
      const raw = request.cookies["kw_oidc"];
      const unsigned = raw === undefined ? undefined : request.unsignCookie(raw);
      if (unsigned?.valid !== true || unsigned.value === null) return page(reply, undefined, "Sign in", messageBody("Sign-in expired", "Start again.", "/login"), 400);
      const pending = JSON.parse(Buffer.from(unsigned.value, "base64url").toString("utf8")) as { verifier: string; state: string; nonce: string };
      reply.clearCookie("kw_oidc", { path: "/auth/oidc" });
      const query = request.url.includes("?") ? request.url.slice(request.url.indexOf("?")) : "";
      let principal: Principal | undefined;
      try {
        principal = await oidc.finish(query, pending);
      } catch {
        return page(reply, undefined, "Sign in", messageBody("Sign-in failed", "The identity provider's answer was refused. Start again.", "/login"), 401);
      }
      if (principal === undefined) return page(reply, undefined, "No access", messageBody("No access", "Your account holds none of the responder's roles (Keywarden.Viewer, Keywarden.Approver, Keywarden.Admin)."), 403);
      startSession(reply, principal, { secure, now: now() });
      return reply.redirect("/", 303);
    });
  }

  return app;
}

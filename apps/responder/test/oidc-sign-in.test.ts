import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startLocalOidcProvider, type LocalOidcProvider, type ProviderUser } from "./helpers/oidc-provider.js";
import { admin, eventually, firstAlertJson, signedHeaders, startTestResponder, type TestResponder } from "./helpers/responder.js";

const raviObjectId = "2042c8a7-76cc-4e41-879a-efcf7bd1b0b4";
const redirectUri = "http://127.0.0.1:8080/auth/oidc/callback";

const carol: ProviderUser = { sub: "sub-carol", oid: "6f1a0b52-0000-4000-8000-00000000ca01", name: "Carol Approver", preferredUsername: "carol@contoso.example", roles: ["Keywarden.Approver"] };
const ravi: ProviderUser = { sub: "sub-ravi", oid: raviObjectId, name: "Ravi Patel", preferredUsername: "ravi.patel@contoso.example", roles: ["Keywarden.Approver"] };
const vera: ProviderUser = { sub: "sub-vera", oid: "6f1a0b52-0000-4000-8000-00000000ve01", name: "Vera Viewer", roles: ["Keywarden.Viewer"] };
const nobody: ProviderUser = { sub: "sub-nobody", oid: "6f1a0b52-0000-4000-8000-0000000000n0", name: "No Roles", roles: ["Some.Other.App"] };

type Cookies = Record<string, string>;

describe("OpenID Connect sign-in for people (authorization code + PKCE against a local provider)", () => {
  let provider: LocalOidcProvider;
  let responder: TestResponder;
  let incidentId: string;

  /** Runs the whole browser round trip: responder → provider's /authorize → responder's callback. */
  const signInWithOidc = async (user: ProviderUser, tamper?: Parameters<LocalOidcProvider["tamperNextIdToken"]>[0], editCallback?: (url: URL) => void) => {
    provider.signInAs(user);
    if (tamper !== undefined) provider.tamperNextIdToken(tamper);
    const start = await responder.app.inject({ method: "GET", url: "/auth/oidc/login" });
    expect(start.statusCode).toBe(303);
    const authorize = new URL(start.headers.location as string);
    expect(authorize.origin).toBe(provider.issuer);
    expect(authorize.searchParams.get("code_challenge_method")).toBe("S256");
    expect(authorize.searchParams.get("redirect_uri")).toBe(redirectUri);
    const cookies: Cookies = Object.fromEntries(start.cookies.map((c) => [c.name, c.value]));
    expect(Object.keys(cookies)).toContain("kw_oidc");
    const atProvider = await fetch(authorize, { redirect: "manual" });
    expect(atProvider.status).toBe(302);
    const callback = new URL(atProvider.headers.get("location")!);
    expect(`${callback.origin}${callback.pathname}`).toBe(redirectUri);
    editCallback?.(callback);
    const finished = await responder.app.inject({ method: "GET", url: `/auth/oidc/callback${callback.search}`, cookies });
    for (const c of finished.cookies) cookies[c.name] = c.value;
    return { finished, cookies };
  };

  /** The page's CSRF token and cookie for a signed-in person. */
  const csrfFor = async (cookies: Cookies) => {
    const page = await responder.app.inject({ method: "GET", url: `/ui/incidents/${incidentId}`, cookies });
    expect(page.statusCode).toBe(200);
    for (const c of page.cookies) cookies[c.name] = c.value;
    return { page, csrf: /name="_csrf" value="([^"]+)"/.exec(page.body)![1]! };
  };

  const stepStatus = async (stepId: string) =>
    (await responder.app.inject({ method: "GET", url: `/incidents/${incidentId}`, headers: admin })).json<{ steps: Array<{ id: string; status: string }> }>().steps.find((step) => step.id === stepId)?.status;

  beforeAll(async () => {
    provider = await startLocalOidcProvider();
    responder = await startTestResponder({ overrides: { oidc: { issuer: provider.issuer, clientId: provider.clientId, clientSecret: provider.clientSecret, redirectUri } } });
    const body = JSON.stringify(firstAlertJson(responder.tenant));
    incidentId = (await responder.app.inject({ method: "POST", url: "/alerts", headers: signedHeaders(body), payload: body })).json<{ incidentId: string }>().incidentId;
    await eventually(async () => ((await stepStatus("s04-revoke-sessions")) === "pending-approval" ? true : undefined), 60_000, "pending approvals");
  });
  afterAll(async () => {
    await responder?.cleanup();
    await provider?.close();
  });

  it("offers the OIDC sign-in on the login page", async () => {
    const login = await responder.app.inject({ method: "GET", url: "/login" });
    expect(login.body).toContain("/auth/oidc/login");
  });

  it("signs an approver in: code exchanged with PKCE and the client secret, roles from the ID token's roles claim", async () => {
    const before = provider.tokenRequests.length;
    const { finished, cookies } = await signInWithOidc(carol);
    expect(finished.statusCode).toBe(303);
    expect(finished.headers.location).toBe("/");
    expect(provider.tokenRequests.slice(before)).toEqual([{ outcome: "issued" }]);
    const { page } = await csrfFor(cookies);
    expect(page.body).toContain("Carol Approver");
    expect(page.body).toContain("approver");
  });

  it("lets the approver approve a step; the journal's approval names the OIDC identity", async () => {
    const { cookies } = await signInWithOidc(carol);
    const { csrf } = await csrfFor(cookies);
    const approved = await responder.app.inject({
      method: "POST",
      url: `/incidents/${incidentId}/steps/s05-restrict-permissions/approve`,
      cookies,
      headers: { "x-csrf-token": csrf },
      payload: { reason: "checked with the vault owner" },
    });
    expect(approved.statusCode).toBe(202);
    await eventually(async () => ((await stepStatus("s05-restrict-permissions")) === "applied" ? true : undefined), 30_000, "s05 applied");
    const approval = (await responder.store.journal(incidentId)).find((entry) => entry.event === "approved" && entry.stepId === "s05-restrict-permissions");
    expect(approval?.data).toMatchObject({ by: `Carol Approver <oidc:${carol.oid}>`, comment: "checked with the vault owner" });
  });

  it("refuses the suspected principal (recognised by the token's oid) approving their own containment", async () => {
    const { finished, cookies } = await signInWithOidc(ravi);
    expect(finished.statusCode).toBe(303);
    const { csrf } = await csrfFor(cookies);
    const self = await responder.app.inject({ method: "POST", url: `/incidents/${incidentId}/steps/s04-revoke-sessions/approve`, cookies, headers: { "x-csrf-token": csrf }, payload: { reason: "it was me" } });
    expect(self.statusCode).toBe(403);
    expect(self.json<{ error: string }>().error).toContain("target principal");
    expect(await stepStatus("s04-revoke-sessions")).toBe("pending-approval");
  });

  it("gives a viewer no approval, and an account without the responder's roles no session", async () => {
    const viewer = await signInWithOidc(vera);
    expect(viewer.finished.statusCode).toBe(303);
    const { csrf } = await csrfFor(viewer.cookies);
    const refused = await responder.app.inject({ method: "POST", url: `/incidents/${incidentId}/steps/s04-revoke-sessions/approve`, cookies: viewer.cookies, headers: { "x-csrf-token": csrf }, payload: { reason: "x" } });
    expect(refused.statusCode).toBe(403);

    const outsider = await signInWithOidc(nobody);
    expect(outsider.finished.statusCode).toBe(403);
    expect(outsider.cookies["kw_session"]).toBeUndefined();
  });

  it("refuses an ID token with a wrong nonce, a wrong audience or a signature not from the provider's JWKS", async () => {
    for (const tamper of [{ claims: { nonce: "not-the-one-sent" } }, { claims: { aud: "another-client" } }, { foreignKey: true }]) {
      const { finished, cookies } = await signInWithOidc(carol, tamper);
      expect(finished.statusCode, JSON.stringify(tamper)).toBe(401);
      expect(cookies["kw_session"]).toBeUndefined();
    }
  });

  it("refuses a callback whose state was changed or that comes without the pending sign-in cookie", async () => {
    const changed = await signInWithOidc(carol, undefined, (url) => url.searchParams.set("state", "forged-state"));
    expect(changed.finished.statusCode).toBe(401);
    expect(changed.cookies["kw_session"]).toBeUndefined();

    provider.signInAs(carol);
    const start = await responder.app.inject({ method: "GET", url: "/auth/oidc/login" });
    const callback = new URL((await fetch(new URL(start.headers.location as string), { redirect: "manual" })).headers.get("location")!);
    const noCookie = await responder.app.inject({ method: "GET", url: `/auth/oidc/callback${callback.search}` });
    expect(noCookie.statusCode).toBe(400);
    expect(noCookie.cookies.find((c) => c.name === "kw_session")).toBeUndefined();
  });
});

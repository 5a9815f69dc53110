import { createRequire } from "node:module";

import { describe, expect, it } from "vitest";

/**
 * cookie@2 (under fastify's light-my-request and @fastify/cookie) is ESM-only and declares Node >= 22, so `npm ci`
 * warns EBADENGINE on Node 20. Both dependents require ^2.0.0 and call 2.x's API, so it is not pinned back to 1.x:
 * what 2.x needs is require(esm), on by default since Node 20.19, the floor of our `engines`. This test shows that
 * the way fastify loads it (CommonJS `require`) works on the Node running the tests.
 */
describe("runtime support", () => {
  it("loads cookie@2 through CommonJS require, as fastify's light-my-request does", () => {
    const fromFastify = createRequire(createRequire(import.meta.url).resolve("fastify"));
    const fromLightMyRequest = createRequire(fromFastify.resolve("light-my-request"));
    const cookie = fromLightMyRequest("cookie") as { stringifySetCookie(cookie: { name: string; value: string; httpOnly?: boolean }): string; parseCookie(header: string): Record<string, string | undefined> };
    expect(cookie.stringifySetCookie({ name: "kw", value: "v", httpOnly: true })).toBe("kw=v; HttpOnly");
    expect(cookie.parseCookie("kw=v; other=w")).toMatchObject({ kw: "v", other: "w" });
    expect(process.features.require_module).toBe(true);
  });
});

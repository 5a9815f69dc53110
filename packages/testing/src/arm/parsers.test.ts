import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileUrlPattern } from "../gate/url-pattern.js";
import { parseGraphFilter } from "../graph/graph-query.js";
import { parseRoleAssignmentFilter } from "./role-assignment-filter.js";
import { normalizeIpRule } from "./vault-normalize.js";

const segment = fc.stringMatching(/^[A-Za-z0-9._-]{1,12}$/u).filter((s) => s !== "." && s !== "..");
const ipv4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((p) => p.join("."));

describe("parseRoleAssignmentFilter", () => {
  it("reads principalId, assignedTo and atScope() in any order", () => {
    fc.assert(
      fc.property(fc.uuid(), fc.boolean(), fc.boolean(), fc.boolean(), (id, atScope, assignedTo, first) => {
        const principal = assignedTo ? `assignedTo('${id}')` : `principalId eq '${id}'`;
        const clauses = atScope ? (first ? ["atScope()", principal] : [principal, "atScope()"]) : [principal];
        expect(parseRoleAssignmentFilter(clauses.join(" and "))).toEqual({ atScope, principalId: id });
      }),
    );
  });

  it("reports anything else instead of ignoring it", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }).filter((s) => s.trim() !== "" && !/^(atScope\(\)|principalId\s+eq\s+'[^']+'|assignedTo\('[^']+'\))(\s+and\s+.*)?$/iu.test(s.trim())), (text) => {
        expect(parseRoleAssignmentFilter(text)).toHaveProperty("error");
      }),
    );
  });
});

describe("parseGraphFilter", () => {
  it("round-trips eq clauses with quotes escaped by doubling", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.stringMatching(/^[A-Za-z][A-Za-z0-9]{0,10}$/u), fc.string({ maxLength: 12 })), { minLength: 1, maxLength: 3 }), (pairs) => {
        const text = pairs.map(([p, v]) => `${p} eq '${v.replaceAll("'", "''")}'`).join(" and ");
        const parsed = parseGraphFilter(text);
        expect(parsed).toEqual(pairs.map(([property, value]) => ({ property, value })));
      }),
    );
  });
});

describe("compileUrlPattern", () => {
  it("matches `*` within one path segment only and `**` across segments", () => {
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 4 }), segment, (prefix, name) => {
        const url = new URL(`https://kv.vault.azure.net/${prefix.join("/")}/${name}`);
        expect(compileUrlPattern(`/${prefix.join("/")}/*`)(url)).toBe(true);
        expect(compileUrlPattern(`/**`)(url)).toBe(true);
        if (prefix.length > 1) expect(compileUrlPattern(`/${prefix[0]!}/*`)(url)).toBe(false);
      }),
    );
  });
});

describe("normalizeIpRule", () => {
  it("stores a bare address as /32, keeps ranges, and is idempotent", () => {
    fc.assert(
      fc.property(ipv4, fc.option(fc.integer({ min: 0, max: 32 }), { nil: undefined }), (ip, prefix) => {
        const value = prefix === undefined ? ip : `${ip}/${prefix}`;
        const normalized = normalizeIpRule(value);
        expect(normalized).toBe(prefix === undefined ? `${ip}/32` : value);
        expect(normalizeIpRule(normalized)).toBe(normalized);
      }),
    );
  });
});

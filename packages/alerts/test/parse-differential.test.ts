/**
 * Differential tests: hot-path scans that replaced a regex or an allocating comparison must agree with the
 * implementation they replaced (kept under test/reference/) on generated input, including the casing and
 * Unicode corners (U+212A KELVIN SIGN, U+0130, U+017F) where a naive ASCII fold would differ.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isVaultId, targetList } from "../src/parse/build-alert.js";
import { alertIdFromPortalLink } from "../src/parse/channels/portal-link.js";
import { parseAlert, parseAlerts } from "../src/index.js";
import { parseResourceId } from "../src/helpers/resource-id.js";
import { pick } from "../src/parse/json-value.js";
import { fixture } from "./load-fixture.js";
import { isVaultIdReference, pickReference } from "./reference/pick-lower-case.js";
import { alertIdFromPortalLink as alertIdFromPortalLinkReference } from "./reference/portal-link-scan.js";
import { parseResourceIdReference } from "./reference/resource-id-split.js";
import { targetListReference } from "./reference/target-scan.js";

/** Characters that exercise case folding, separators and escapes. */
const tricky = fc.constantFrom("a", "A", "k", "K", "\u212a", "\u0130", "i", "I", "s", "S", "\u017f", "/", "?", "#", "&", "%", "%2F", "%zz", "-", ".", "_", " ", "0", "9", "é", "É");

function mixed(words: string[]): fc.Arbitrary<string> {
  return fc.array(fc.oneof(fc.constantFrom(...words), tricky, fc.string({ maxLength: 4 })), { maxLength: 14 }).map((parts) => parts.join(""));
}

/** Randomly re-cases ASCII letters of `text`. */
function recased(text: string): fc.Arbitrary<string> {
  return fc.array(fc.boolean(), { minLength: text.length, maxLength: text.length }).map((flips) =>
    [...text].map((char, index) => (flips[index] ? char.toUpperCase() : char.toLowerCase())).join(""),
  );
}

const runs = { numRuns: 3000 };

describe("differential: portal-link regexes vs the segment scan they replaced", () => {
  const marker = fc.oneof(recased("/subscriptionId/"), recased("/resourceGroup/"), recased("/location/"), recased("/alertId/"));
  const link = fc.array(fc.oneof(marker, mixed(["sub-1", "rg", "centralus", "/", "https://portal.azure.com/#blade/"])), { maxLength: 10 }).map((parts) => parts.join(""));
  const systemAlertId = fc.oneof(fc.constantFrom("2516_abc", " 2516 ", "", "a/b", "x".repeat(129)), fc.string({ maxLength: 8 }));

  it("agrees on generated links", () => {
    fc.assert(
      fc.property(link, systemAlertId, (value, id) => {
        expect(alertIdFromPortalLink(value, id)).toBe(alertIdFromPortalLinkReference(value, id));
      }),
      runs,
    );
  });

  it("agrees on non-string input", () => {
    fc.assert(
      fc.property(fc.anything(), fc.anything(), (value, id) => {
        expect(alertIdFromPortalLink(value, id)).toBe(alertIdFromPortalLinkReference(value, id));
      }),
      { numRuns: 300 },
    );
  });
});

describe("differential: vault id regex vs the scan it replaced", () => {
  const id = fc
    .array(fc.oneof(recased("/providers/microsoft.keyvault/vaults/"), recased("/subscriptions/s/"), fc.constantFrom("kv", "/", "//", "x/"), tricky), { maxLength: 8 })
    .map((parts) => parts.join(""));

  it("agrees on generated resource ids", () => {
    fc.assert(
      fc.property(id, (value) => {
        expect(isVaultId(value)).toBe(isVaultIdReference(value));
      }),
      runs,
    );
  });
});

describe("differential: target-list regex split vs the scan it replaced", () => {
  const separator = fc.constantFrom(",", ";", " ", ", ", "\t", "\n", "\u00a0", "\u2028", "\ufeff", "\u3000", "\u200b", "\u180e");
  const piece = fc.oneof(
    recased("https://kv.vault.azure.net/secrets/a"),
    fc.constantFrom("https://kv.vault.azure.net/", "https:///x", "https://host", "http://kv/x", "hTTpS://h/", "https://h/\u017f", "\u017fttps://h/x", ""),
    fc.string({ maxLength: 6 }),
    tricky,
  );
  const list = fc.array(fc.oneof(piece, separator), { maxLength: 12 }).map((parts) => parts.join(""));

  it("finds the same targets and rejects the same pieces, in order", () => {
    fc.assert(
      fc.property(list, (value) => {
        const rejected: string[] = [];
        const rejectedReference: string[] = [];
        expect(targetList(value, (rejectedPiece) => rejected.push(rejectedPiece))).toEqual(targetListReference(value, (rejectedPiece) => rejectedReference.push(rejectedPiece)));
        expect(rejected).toEqual(rejectedReference);
      }),
      runs,
    );
  });
});

describe("differential: resource-id scan vs the split it replaced", () => {
  const keyword = fc.oneof(recased("subscriptions"), recased("resourceGroups"), recased("providers"), fc.constantFrom("subscription", "\u212aeys", "providers\u212a"));
  const name = fc.oneof(
    fc.constantFrom("0f907ea4-bc8b-4c11-9d7e-805c2fd144fb", "0F907EA4-BC8B-4C11-9D7E-805C2FD144FB", "Sample-RG", "Microsoft.KeyVault", "vaults", "kv", "secrets", "s"),
    fc.string({ maxLength: 4 }),
    tricky,
  );
  const part = fc.oneof(keyword, name, fc.constant(""));
  const id = fc
    .tuple(
      fc.constantFrom("", " ", "\t", "\u00a0"),
      fc.constantFrom("/", "", "//"),
      fc.array(part, { maxLength: 10 }),
      fc.constantFrom("", "/", "//", " ", "/ "),
    )
    .map(([lead, root, parts, tail]) => `${lead}${root}${parts.join("/")}${tail}`);
  const wellFormed = fc
    .tuple(
      recased("subscriptions"),
      name,
      fc.option(fc.tuple(recased("resourceGroups"), name)),
      fc.option(fc.tuple(recased("providers"), name, fc.array(fc.tuple(name, name), { maxLength: 3 }))),
    )
    .map(([sub, subscription, group, provider]) => {
      let text = `/${sub}/${subscription}`;
      if (group !== null) text += `/${group[0]}/${group[1]}`;
      if (provider !== null) text += `/${provider[0]}/${provider[1]}${provider[2].map(([type, resource]) => `/${type}/${resource}`).join("")}`;
      return text;
    });

  it("gives the same parts, in the same key order, or the same refusal", () => {
    fc.assert(
      fc.property(fc.oneof(id, wellFormed), (value) => {
        const parsed = parseResourceId(value);
        const reference = parseResourceIdReference(value);
        expect(parsed).toEqual(reference);
        expect(JSON.stringify(parsed)).toBe(JSON.stringify(reference));
      }),
      runs,
    );
  });

  it("agrees on non-string input", () => {
    fc.assert(fc.property(fc.anything(), (value) => void expect(parseResourceId(value as string)).toEqual(parseResourceIdReference(value as string))), { numRuns: 300 });
  });
});

describe("differential: pick's toLowerCase vs the inline case fold it replaced", () => {
  const keys = ["address", "ipAddress", "location", "aadUserId", "name", "kelvin", "istanbul", "s", "userPrincipalName"];
  const key = fc.constantFrom(...keys);
  const spelling = fc.oneof(key.chain((k) => recased(k)), mixed(["\u212aelvin", "\u0130stanbul", "\u017f", "Address", "ADDRESS"]));
  const object = fc.dictionary(spelling, fc.oneof(fc.constant(undefined), fc.constant(null), fc.integer(), fc.string({ maxLength: 3 })), { maxKeys: 8 });

  it("finds the same value for every key", () => {
    fc.assert(
      fc.property(object, key, (obj, wanted) => {
        expect(pick(obj, wanted)).toBe(pickReference(obj, wanted));
      }),
      runs,
    );
  });
});

describe("differential: entities as JSON text (reference search skipped when the text holds no $ref) vs as an array", () => {
  const row = fixture("cross-channel/log-analytics-row.json") as Record<string, unknown>;
  const ref = fc.record({ $ref: fc.constantFrom("1", "2", "3", "9") });
  const entity = fc.record(
    {
      $id: fc.constantFrom("1", "2", "3", "4"),
      Type: fc.constantFrom("ip", "account", "azure-resource", "host", "Odd"),
      Address: fc.constantFrom("203.0.113.9", "0.0.0.0"),
      Host: ref,
      Nested: fc.array(ref, { maxLength: 2 }),
    },
    { requiredKeys: ["Type"] },
  );
  const entities = fc.array(fc.oneof(entity, ref), { maxLength: 5 });

  it("parses to the same alert", () => {
    fc.assert(
      fc.property(entities, fc.boolean(), (list, escaped) => {
        let textForm = JSON.stringify(list);
        // A `$ref` key spelled with a JSON escape must still be found.
        if (escaped) textForm = textForm.replaceAll('"$ref"', '"\\u0024ref"');
        const fromText = parseAlert({ ...row, Entities: textForm });
        const fromArray = parseAlert({ ...row, Entities: list });
        expect(fromText).toEqual(fromArray);
      }),
      { numRuns: 500 },
    );
  });
});

describe("differential: JSON text (reference search skipped when the whole text holds no $ref) vs the parsed value", () => {
  const arm = fixture("cross-channel/arm.json") as { properties: Record<string, unknown> };
  const ref = fc.record({ $ref: fc.constantFrom("1", "2", "3", "9") });
  const entity = fc.record(
    {
      $id: fc.constantFrom("1", "2", "3", "4"),
      type: fc.constantFrom("ip", "account", "azure-resource", "host"),
      address: fc.constantFrom("203.0.113.9", "00.00.00.00"),
      host: ref,
    },
    { requiredKeys: ["type"] },
  );
  const alertWith = (entities: unknown[]): unknown => ({ ...arm, properties: { ...arm.properties, entities } });

  it("parseAlert and parseAlerts give the same alerts for a text and its value", () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.oneof(entity, ref), { maxLength: 4 }), { minLength: 1, maxLength: 3 }), fc.boolean(), (lists, escaped) => {
        const alerts = lists.map(alertWith);
        let text = JSON.stringify({ value: alerts });
        if (escaped) text = text.replaceAll('"$ref"', '"\\u0024ref"');
        const value = JSON.parse(text) as { value: unknown[] };
        expect(parseAlerts(text)).toEqual(parseAlerts(value));
        const single = JSON.stringify(value.value[0]);
        expect(parseAlert(escaped ? single.replaceAll('"$ref"', '"\\u0024ref"') : single)).toEqual(parseAlert(value.value[0]));
      }),
      { numRuns: 400 },
    );
  });
});

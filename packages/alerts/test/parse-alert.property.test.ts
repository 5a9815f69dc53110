import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AlertParseError, parseAlert, parseAlerts, parseAlertsSettled, toOcsf, type KeyVaultAlert } from "../src/index.js";
import { fixture } from "./load-fixture.js";

/** Generous: the CI machine is shared, and thousands of cases must not flake on a slow runner. */
const propertyTimeout = 180_000;

const severities = new Set(["High", "Medium", "Low", "Informational"]);
const statuses = new Set(["Active", "InProgress", "Resolved", "Dismissed"]);
const isoUtc = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/** Calls the parser and checks that it either returns a well-formed alert or throws an AlertParseError. */
function parseOrParseError(input: unknown, options?: Parameters<typeof parseAlert>[1]): KeyVaultAlert | undefined {
  try {
    const alert = parseAlert(input, options);
    expect(severities.has(alert.severity)).toBe(true);
    expect(statuses.has(alert.status)).toBe(true);
    expect(alert.startTime).toMatch(isoUtc);
    expect(alert.endTime).toMatch(isoUtc);
    expect(alert.generatedTime).toMatch(isoUtc);
    expect(typeof alert.systemAlertId).toBe("string");
    expect(alert.systemAlertId).not.toBe("");
    for (const warning of alert.warnings) {
      expect(warning.code).toMatch(/^KW_ALERTS_W\d{4}$/);
      expect(warning.path.startsWith("$")).toBe(true);
    }
    // Whatever parsed must also map to OCSF, as plain JSON.
    const finding = toOcsf(alert);
    expect(finding.class_uid).toBe(2004);
    expect(typeof JSON.stringify(finding)).toBe("string");
    return alert;
  } catch (error) {
    if (!(error instanceof AlertParseError)) throw error;
    expect(error.code).toMatch(/^KW_ALERTS_E\d{4}$/);
    expect(error.path.startsWith("$") || error.path.startsWith("options")).toBe(true);
    return undefined;
  }
}

const samples: unknown[] = [
  ...fixture("kv-simulated-alerts.xsoar-excerpt.json").value,
  fixture("GetAlertsSubscription_example.json").responses["200"].body.value[1],
  fixture("cross-channel/arm.json"),
  fixture("cross-channel/export.json"),
  fixture("cross-channel/log-analytics-row.json"),
  fixture("cross-channel/graph.json"),
  fixture("export-simulated-sanitised.json"),
];

type Path = (string | number)[];

function allPaths(value: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  if (typeof value !== "object" || value === null) return out;
  for (const [key, child] of Object.entries(value)) {
    const path = [...prefix, Array.isArray(value) ? Number(key) : key];
    out.push(path);
    allPaths(child, path, out);
  }
  return out;
}

type Mutation = { pick: number; op: "delete" | "replace" | "stringify" | "recase" | "wrap"; value: unknown };

function mutate(sample: unknown, mutations: Mutation[]): unknown {
  const root = structuredClone(sample);
  for (const mutation of mutations) {
    const paths = allPaths(root);
    if (paths.length === 0) break;
    const path = paths[mutation.pick % paths.length]!;
    let parent: any = root; // eslint-disable-line @typescript-eslint/no-explicit-any -- walking arbitrary JSON
    for (const key of path.slice(0, -1)) parent = parent[key];
    const key = path[path.length - 1]!;
    switch (mutation.op) {
      case "delete":
        if (Array.isArray(parent)) parent.splice(Number(key), 1);
        else delete parent[key];
        break;
      case "replace":
        // Clone: fast-check reuses constant values across runs, and later mutations must not alter them.
        parent[key] = structuredClone(mutation.value);
        break;
      case "stringify":
        parent[key] = JSON.stringify(parent[key]) ?? null;
        break;
      case "recase":
        if (!Array.isArray(parent) && typeof key === "string") {
          const value = parent[key];
          delete parent[key];
          parent[key.toUpperCase()] = value;
        }
        break;
      case "wrap":
        parent[key] = [parent[key], structuredClone(mutation.value)];
        break;
    }
  }
  return root;
}

const mutationArb = fc.record({
  pick: fc.nat(),
  op: fc.constantFrom<Mutation["op"][]>("delete", "replace", "stringify", "recase", "wrap"),
  value: fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom("", "00.00.00.00", "00000000-0000-0000-0000-000000000000", "[SecretGet:x]", "13/45/2022 99:00:00", { $ref: "1" })),
});

describe("parseAlert never throws anything but AlertParseError", () => {
  it("on arbitrary JSON values (2,000 cases)", () => {
    fc.assert(fc.property(fc.jsonValue(), (value) => void parseOrParseError(value)), { numRuns: 2000 });
  }, propertyTimeout);

  it("on arbitrary JS values, including null-prototype objects, boxed values, Maps and BigInts (1,000 cases)", () => {
    fc.assert(
      fc.property(fc.anything({ withNullPrototype: true, withBoxedValues: true, withMap: true, withSet: true, withBigInt: true, withDate: true, withSparseArray: true }), (value) => {
        void parseOrParseError(value);
        try {
          parseAlerts(value);
        } catch (error) {
          expect(error).toBeInstanceOf(AlertParseError);
        }
      }),
      { numRuns: 1000 },
    );
  }, propertyTimeout);

  it("on arbitrary text, including JSON-looking text (1,000 cases)", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json(), fc.string({ unit: "grapheme" })), (text) => void parseOrParseError(text)),
      { numRuns: 1000 },
    );
  }, propertyTimeout);

  it("on mutations of the real and constructed samples (3,000 cases)", () => {
    fc.assert(
      fc.property(fc.nat({ max: samples.length - 1 }), fc.array(mutationArb, { minLength: 1, maxLength: 6 }), (index, mutations) => {
        void parseOrParseError(mutate(samples[index], mutations));
      }),
      { numRuns: 3000 },
    );
  }, propertyTimeout);

  it("on mutated samples with every channel forced (500 cases)", () => {
    fc.assert(
      fc.property(
        fc.nat({ max: samples.length - 1 }),
        fc.array(mutationArb, { maxLength: 3 }),
        fc.constantFrom("arm", "export", "log-analytics", "graph" as const),
        (index, mutations, channel) => void parseOrParseError(mutate(samples[index], mutations), { channel }),
      ),
      { numRuns: 500 },
    );
  }, propertyTimeout);

  it("parseAlertsSettled never throws, on lists of mutated samples (300 cases)", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat({ max: samples.length - 1 }), fc.array(mutationArb, { maxLength: 2 })), { maxLength: 5 }), (items) => {
        const list = { value: items.map(([index, mutations]) => mutate(samples[index], mutations)) };
        const result = parseAlertsSettled(list);
        expect(result.alerts.length + result.errors.length).toBeLessThanOrEqual(items.length);
        for (const error of result.errors) expect(error).toBeInstanceOf(AlertParseError);
      }),
      { numRuns: 300 },
    );
  }, propertyTimeout);

  it("survives hostile objects: throwing getters, proxies, deep nesting", () => {
    const hostile = { properties: {} as Record<string, unknown> };
    Object.defineProperty(hostile.properties, "alertType", {
      enumerable: true,
      get() {
        throw new TypeError("boom");
      },
    });
    expect(() => parseAlert(hostile)).toThrowError(AlertParseError);
    try {
      parseAlert(hostile);
    } catch (error) {
      expect(error).toMatchObject({ code: "KW_ALERTS_E0009", path: "$" });
      expect((error as Error).cause).toBeInstanceOf(TypeError);
    }
    const proxy = new Proxy({}, { ownKeys: () => { throw new Error("no keys"); }, get: () => { throw new Error("no get"); } });
    expect(() => parseAlert(proxy)).toThrowError(AlertParseError);
    let deep: unknown = { $ref: "1" };
    for (let i = 0; i < 20_000; i++) deep = [deep];
    const sample = structuredClone(samples[0]) as { properties: { entities: unknown[] } };
    sample.properties.entities.push({ $id: "1", type: "host", nested: deep });
    expect(parseOrParseError(sample)).toBeDefined();
  });
});

describe("AlertParseError carries a code, the channel tried and the JSON path", () => {
  const cases: [string, unknown, object][] = [
    ["invalid JSON", "{not json", { code: "KW_ALERTS_E0001", path: "$" }],
    ["a number", 42, { code: "KW_ALERTS_E0002", path: "$" }],
    ["an unrelated object", { hello: "world" }, { code: "KW_ALERTS_E0003", path: "$", channel: undefined }],
    ["ARM without alertType", { id: "/x", type: "Microsoft.Security/Locations/alerts", properties: { systemAlertId: "a" } }, { code: "KW_ALERTS_E0004", channel: "arm", path: "$.properties.alertType" }],
    ["ARM with a numeric alertType", { properties: { alertType: 7 } }, { code: "KW_ALERTS_E0005", channel: "arm", path: "$.properties.alertType" }],
    ["export without SystemAlertId", { AlertType: "KV_TORAccess", StartTimeUtc: "2024-01-01T00:00:00Z" }, { code: "KW_ALERTS_E0004", channel: "export", path: "$.SystemAlertId" }],
    [
      "a Key Vault alert naming no resource",
      { AlertType: "KV_TORAccess", SystemAlertId: "x", StartTimeUtc: "2024-01-01T00:00:00Z" },
      { code: "KW_ALERTS_E0006", channel: "export" },
    ],
  ];
  it.each(cases)("%s", (_name, input, expected) => {
    expect(() => parseAlert(input)).toThrowError(AlertParseError);
    try {
      parseAlert(input);
    } catch (error) {
      expect(error).toMatchObject(expected);
      expect(AlertParseError.isInstance(error)).toBe(true);
    }
  });

  it("reports the path of the bad item inside a list", () => {
    const list = fixture("kv-simulated-alerts.xsoar-excerpt.json");
    delete list.value[3].properties.alertType;
    expect(() => parseAlerts(list)).toThrowError(expect.objectContaining({ path: "$.value[3].properties.alertType" }));
    const settled = parseAlertsSettled(list);
    expect(settled.alerts).toHaveLength(4);
    expect(settled.errors.map((error) => error.path)).toEqual(["$.value[3].properties.alertType"]);
  });

  it("rejects bad options the same way", () => {
    expect(() => parseAlert({}, { channel: "eventgrid" as never })).toThrowError(expect.objectContaining({ code: "KW_ALERTS_E0005", path: "options.channel" }));
  });
});

import { readdirSync, statSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { alertCatalog, parseAlert, parseAlertsSettled, toOcsf, type KeyVaultAlert } from "../src/index.js";
import { fixture, fixtureText } from "./load-fixture.js";
import { readOcsfExtract } from "./ocsf/compose-detection-finding-schema.js";
import { detectionFindingProblems as problems } from "./ocsf/detection-finding-problems.js";

/** Every alert fixture of the package: every channel's sample, the ARM examples, the export and XSOAR samples. */
function fixtureFiles(directory = ""): string[] {
  const root = new URL("./fixtures/", import.meta.url);
  return readdirSync(new URL(directory, root)).flatMap((name) => {
    const relative = `${directory}${name}`;
    if (name === "ocsf-schema-1.3.0") return [];
    if (statSync(new URL(relative, root)).isDirectory()) return fixtureFiles(`${relative}/`);
    return name.endsWith(".json") ? [relative] : [];
  });
}

/** Swagger examples wrap the response in `responses.200.body`; the other fixtures are the payload itself. */
function alertsOf(name: string): KeyVaultAlert[] {
  const json = JSON.parse(fixtureText(name));
  const body = json?.responses?.["200"]?.body;
  return parseAlertsSettled(body ?? json).alerts;
}

/** The ARM sample turned into every catalogued alert type, simulated or not, in every status. */
function armVariant(alertType: string, status: string): KeyVaultAlert {
  const raw = fixture("cross-channel/arm.json");
  raw.properties.alertType = alertType;
  raw.properties.status = status;
  return parseAlert(raw);
}

describe("toOcsf output against the OCSF 1.3.0 Detection Finding schema", () => {
  const files = fixtureFiles();

  it("finds the fixtures of every channel", () => {
    expect(files).toEqual(expect.arrayContaining(["cross-channel/arm.json", "cross-channel/export.json", "cross-channel/graph.json", "cross-channel/log-analytics-query.json", "cross-channel/log-analytics-row.json"]));
  });

  it.each(files)("%s", (name) => {
    const alerts = alertsOf(name);
    expect(alerts.length).toBeGreaterThan(0);
    for (const alert of alerts) expect(problems(toOcsf(alert)), alert.id).toEqual([]);
  });

  it.each(Object.keys(alertCatalog))("alert type %s, every status, simulated and not", (kind) => {
    for (const alertType of [kind, `SIMULATED_${kind}`]) {
      for (const status of ["Active", "InProgress", "Dismissed", "Resolved"]) {
        expect(problems(toOcsf(armVariant(alertType, status))), `${alertType} ${status}`).toEqual([]);
      }
    }
  });

  it("holds for any source location text, IP and principal the parser can produce", () => {
    fc.assert(
      fc.property(fc.string(), fc.ipV4(), fc.option(fc.emailAddress(), { nil: undefined }), (location, ip, upn) => {
        const alert = parseAlert(fixture("cross-channel/arm.json"));
        const source = { ...alert.source, ipAddress: ip, ipLocation: location, userPrincipalName: upn };
        expect(problems(toOcsf({ ...alert, source }))).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });
});

describe("the composed schema rejects what OCSF 1.3.0 rejects", () => {
  const valid = () => structuredClone(toOcsf(parseAlert(fixture("cross-channel/arm.json")))) as unknown as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- mutated on purpose

  it("accepts the unmodified finding", () => {
    expect(problems(valid())).toEqual([]);
  });

  it("a geo location with only a description (location needs city, country, postal_code or region)", () => {
    const finding = valid();
    finding["evidences"][0].src_endpoint.location = { desc: "Amsterdam, Netherlands" };
    expect(problems(finding).join("\n")).toMatch(/src_endpoint\/location/);
  });

  it("an attribute OCSF does not define, outside unmapped", () => {
    const finding = valid();
    finding["vault_uri"] = "https://contoso.vault.azure.net/";
    expect(problems(finding).join("\n")).toMatch(/additional properties/);
  });

  it("a product without its required vendor_name", () => {
    const finding = valid();
    delete finding["metadata"].product.vendor_name;
    expect(problems(finding).join("\n")).toMatch(/vendor_name/);
  });

  it("a datetime twin without the datetime profile declared", () => {
    const finding = valid();
    finding["metadata"].profiles = ["cloud"];
    expect(problems(finding).length).toBeGreaterThan(0);
  });

  it("a severity caption that is not the severity_id's", () => {
    const finding = valid();
    finding["severity"] = "High";
    expect(problems(finding).join("\n")).toMatch(/\/severity/);
  });

  it("a type_uid that is not class_uid * 100 + activity_id", () => {
    const finding = valid();
    finding["type_uid"] = 200402;
    expect(problems(finding).join("\n")).toMatch(/type_uid/);
  });

  it("a finding without finding_info (the class requires it)", () => {
    const finding = valid();
    delete finding["finding_info"];
    expect(problems(finding).join("\n")).toMatch(/must have required property 'finding_info'/);
  });

  it("a finding_info without its required uid", () => {
    const finding = valid();
    delete finding["finding_info"].uid;
    expect(problems(finding).join("\n")).toMatch(/\/finding_info must have required property 'uid'/);
  });

  it("an activity_id the class does not define, even with the matching type_uid", () => {
    const finding = valid();
    finding["activity_id"] = 4;
    finding["type_uid"] = 200404;
    delete finding["activity_name"];
    delete finding["type_name"];
    const found = problems(finding).join("\n");
    expect(found).toMatch(/\/activity_id must be equal to one of the allowed values/);
    expect(found).toMatch(/\/type_uid must be equal to one of the allowed values/);
  });

  it("a base-event status (Success) instead of the class's finding statuses", () => {
    const finding = valid();
    finding["status_id"] = 1;
    finding["status"] = "Success";
    expect(problems(finding).join("\n")).toMatch(/\/status must be equal to constant/);
  });

  it("a status_id the class does not define", () => {
    const finding = valid();
    finding["status_id"] = 5;
    expect(problems(finding).join("\n")).toMatch(/\/status_id must be equal to one of the allowed values/);
  });

  it("an activity_name that is not the activity_id's caption", () => {
    const finding = valid();
    finding["activity_name"] = "Update";
    expect(problems(finding).join("\n")).toMatch(/\/activity_name must be equal to constant/);
  });

  it("a confidence_id outside the class's enumeration", () => {
    const finding = valid();
    finding["confidence_id"] = 4;
    expect(problems(finding).join("\n")).toMatch(/\/confidence_id must be equal to one of the allowed values/);
  });

  it("an object that is not in the vendored extract", () => {
    const finding = valid();
    finding["evidences"][0].process = { pid: 1 };
    expect(problems(finding).join("\n")).toMatch(/process/);
  });
});

describe("the vendored Detection Finding class record", () => {
  const extract = readOcsfExtract();
  const record = extract.detectionFinding;

  it("is the compiled class: every base-event attribute resolved into it", () => {
    expect(record).toMatchObject({ name: "detection_finding", uid: 2004, category: "findings", extends: "finding" });
    expect(Object.keys(record.attributes)).toHaveLength(58);
    expect(Object.keys(extract.baseEvent.attributes).filter((name) => !Object.hasOwn(record.attributes, name))).toEqual([]);
  });

  it("marks every profile attribute it resolves with the profile profiles.json defines it in", () => {
    for (const [profile, definition] of extract.profiles) {
      for (const [name, attribute] of Object.entries(definition.attributes)) {
        const resolved = record.attributes[name];
        if (resolved === undefined) continue;
        expect({ name, profile: resolved.profile, requirement: resolved.requirement }).toEqual({ name, profile, requirement: attribute.requirement });
      }
    }
  });

  it("names the recommended class attributes toOcsf leaves out (a change here is a deliberate mapping decision)", () => {
    const finding = toOcsf(parseAlert(fixture("cross-channel/arm.json"))) as unknown as Record<string, unknown>;
    const declared = new Set((finding["metadata"] as { profiles: string[] }).profiles);
    const missing = Object.entries(record.attributes)
      .filter(([, attribute]) => attribute.requirement === "recommended" && (attribute.profile === undefined || declared.has(attribute.profile)))
      .filter(([name]) => !Object.hasOwn(finding, name))
      .map(([name]) => name)
      .sort();
    expect(missing).toEqual(["confidence_id", "status_code", "timezone_offset"]);
  });
});

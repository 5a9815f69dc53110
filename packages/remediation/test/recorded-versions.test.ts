import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InvalidPlanError, validatePlan, type RemediationStep } from "../src/index.js";
import { recordVersions } from "../src/internal.js";
import { buildPlan, common, vaultTarget } from "./support/harness.js";
import { VAULT, VAULT_ID } from "./support/seed.js";

const versionPool = Array.from({ length: 6 }, (_, index) => `0c${String(index).padStart(30, "0")}`);
const names = ["alpha", "beta", "constructor"];

const listing = fc.record({
  name: fc.constantFrom(...names),
  versions: fc.uniqueArray(
    fc.record({ version: fc.constantFrom(...versionPool), enabled: fc.boolean(), created: fc.integer({ min: 0, max: 5 }) }),
    { selector: (version) => version.version, minLength: 1, maxLength: 6 },
  ),
});
const target = fc.record({
  name: fc.constantFrom(...names),
  versions: fc.option(fc.uniqueArray(fc.constantFrom(...versionPool), { minLength: 1, maxLength: 6 }), { nil: undefined }),
});

function disableStep(objects: { name: string; versions: string[] | undefined }[], observed?: unknown): RemediationStep {
  const unique = [...new Map(objects.map((object) => [object.name, object])).values()];
  const [step] = buildPlan([
    {
      kind: "disable-secrets",
      target: { vault: vaultTarget(VAULT), objects: unique.map(({ name, versions }) => ({ type: "secret" as const, name, ...(versions === undefined ? {} : { versions }) })) },
      parameters: {},
      ...common,
      ...(observed === undefined ? {} : { precondition: { summary: "", observed: observed as never, readAt: "2026-12-02T10:00:00.000Z" } }),
    },
  ]).steps;
  if (step === undefined) throw new Error("no step");
  return step;
}

const planOf = (step: RemediationStep) => {
  const { id: _id, ...draft } = step;
  return buildPlan([draft]);
};

describe("versions recorded at planning", () => {
  it("what the planner records from any listing names only targeted versions, never the kept one as one to disable, and validates", () => {
    fc.assert(
      fc.property(fc.array(target, { minLength: 1, maxLength: 3 }), fc.array(listing, { maxLength: 3 }), (targets, listings) => {
        const step = disableStep(targets);
        // One listing per object, as a read gives.
        const observed = [...new Map(listings.map((entry) => [entry.name, entry])).values()].map((entry) => ({
          type: "secret" as const,
          name: entry.name,
          versions: entry.versions.map((version) => ({ version: version.version, enabled: version.enabled, createdOn: `2026-12-0${version.created + 1}T00:00:00Z` })),
        }));
        recordVersions(step, [step], [{ vault: VAULT_ID, readAt: "2026-12-02T10:00:00.000Z", objects: observed }], []);
        // The plan that carries the recording is consistent with itself.
        expect(() => validatePlan(planOf(step))).not.toThrow();
        const recorded = (step.precondition.observed as { objects: { name: string; versions: { version: string; enabled: boolean }[]; kept?: { version: string }[] }[] } | undefined)?.objects ?? [];
        for (const object of recorded) {
          const targeted = step.target.objects?.find((candidate) => candidate.name === object.name);
          expect(targeted).toBeDefined();
          const listed = new Map((observed.find((entry) => entry.name === object.name)?.versions ?? []).map((version) => [version.version, version]));
          for (const version of object.versions) {
            if (targeted?.versions !== undefined) expect(targeted.versions).toContain(version.version);
            // Recorded as listed.
            expect(listed.get(version.version)?.enabled).toBe(version.enabled);
          }
          const kept = object.kept?.map((version) => version.version) ?? [];
          expect(object.versions.some((version) => kept.includes(version.version))).toBe(false);
          // The kept version is the newest enabled one of the whole listing.
          for (const version of kept) {
            const newest = [...listed.values()].filter((candidate) => candidate.enabled).sort((a, b) => b.createdOn.localeCompare(a.createdOn))[0];
            expect(listed.get(version)?.createdOn).toBe(newest?.createdOn);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it("a recording is refused exactly when it names an object or a version its step does not target", () => {
    fc.assert(
      fc.property(fc.array(target, { minLength: 1, maxLength: 3 }), fc.array(listing, { maxLength: 3 }), (targets, listings) => {
        const recorded = [...new Map(listings.map((entry) => [entry.name, entry])).values()].map((entry) => ({
          type: "secret" as const,
          name: entry.name,
          versions: entry.versions.map(({ version, enabled }) => ({ version, enabled })),
        }));
        const step = disableStep(targets, { objects: recorded });
        const targetsByName = new Map((step.target.objects ?? []).map((object) => [object.name, object]));
        const outside = recorded.some((object) => {
          const targeted = targetsByName.get(object.name);
          return targeted === undefined || (targeted.versions !== undefined && object.versions.some((version) => !targeted.versions?.includes(version.version)));
        });
        let refused = false;
        try {
          validatePlan(planOf(step));
        } catch (error) {
          expect(error).toBeInstanceOf(InvalidPlanError);
          refused = true;
        }
        expect(refused).toBe(outside);
      }),
      { numRuns: 300 },
    );
  });
});

import { KeywardenError } from "@keywarden/core";
import { describe, expect, it } from "vitest";
import { createFakeAzure } from "../create-fake-azure.js";
import { getScenario } from "../scenarios.js";
import { SeedValidationError } from "../seed/seed-validation-error.js";
import { FakeAzureError, fakeAzureErrorCodes } from "./fake-azure-error.js";

function thrown(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error("expected the action to throw");
}

describe("FakeAzureError", () => {
  it("is a KeywardenError with a stable code, the invalid-input category and the upstream cause", () => {
    const cause = new Error("upstream");
    const error = new FakeAzureError(fakeAzureErrorCodes.invalidFault, "faults.inject: give an effect.", { cause });
    expect(error).toBeInstanceOf(KeywardenError);
    expect(KeywardenError.isInstance(error)).toBe(true);
    expect(FakeAzureError.isInstance(error)).toBe(true);
    expect(SeedValidationError.isInstance(error)).toBe(false);
    expect(error).toMatchObject({ code: "KW_TESTING_E0003", category: "invalid-input", name: "FakeAzureError", cause });
  });

  it("is what the fake throws for an unknown scenario, an unknown profile and an invalid clock time", () => {
    const scenario = thrown(() => getScenario("no-such-scenario"));
    expect(FakeAzureError.isInstance(scenario)).toBe(true);
    expect(scenario).toMatchObject({ code: fakeAzureErrorCodes.unknownScenario, category: "invalid-input" });

    const profile = thrown(() => createFakeAzure({ profile: "lenient" as never }));
    expect(profile).toMatchObject({ code: fakeAzureErrorCodes.invalidOptions, category: "invalid-input" });

    const fake = createFakeAzure();
    const clock = thrown(() => fake.clock.advance(-1));
    expect(clock).toMatchObject({ code: fakeAzureErrorCodes.invalidClockTime, category: "invalid-input" });
  });

  it("has a SeedValidationError subclass, matched by both classes' isInstance, that lists each problem's path", () => {
    const error = thrown(() => createFakeAzure({ seed: { subscriptions: "not a list" } as never }));
    expect(SeedValidationError.isInstance(error)).toBe(true);
    expect(FakeAzureError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: fakeAzureErrorCodes.invalidSeed, category: "invalid-input", name: "SeedValidationError" });
    expect((error as SeedValidationError).issues.length).toBeGreaterThan(0);
    expect((error as SeedValidationError).message).toContain("$.");
  });
});

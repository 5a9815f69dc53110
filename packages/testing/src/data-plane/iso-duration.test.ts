import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addIsoDuration, parseIsoDuration } from "./iso-duration.js";

describe("ISO 8601 durations of rotation policies", () => {
  it("parses the forms Key Vault uses and rejects the rest", () => {
    expect(parseIsoDuration("P90D")).toMatchObject({ days: 90, years: 0 });
    expect(parseIsoDuration("P2Y")).toMatchObject({ years: 2 });
    expect(parseIsoDuration("P1Y6M2W")).toMatchObject({ years: 1, months: 6, weeks: 2 });
    expect(parseIsoDuration("PT12H30M")).toMatchObject({ hours: 12, minutes: 30 });
    for (const bad of ["", "P", "PT", "90D", "P1.5D", "P-1D", "P1H"]) expect(parseIsoDuration(bad), bad).toBeUndefined();
  });

  it("adds calendar years and months, and exact days", () => {
    const start = new Date("2026-01-31T12:00:00Z");
    expect(addIsoDuration(start, parseIsoDuration("P1Y")!).toISOString()).toBe("2027-01-31T12:00:00.000Z");
    expect(addIsoDuration(start, parseIsoDuration("P90D")!).toISOString()).toBe("2026-05-01T12:00:00.000Z");
  });

  it("round-trips every day count and never moves time backwards", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5_000 }), fc.integer({ min: 0, max: 4_000_000_000_000 }), (days, ms) => {
        const duration = parseIsoDuration(`P${days}D`)!;
        const start = new Date(ms);
        expect(addIsoDuration(start, duration).getTime() - start.getTime()).toBe(days * 86_400_000);
      })
    );
  });
});

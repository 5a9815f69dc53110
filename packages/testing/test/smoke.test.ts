import { describe, expect, it } from "vitest";
import { createFakeAzure } from "../src/index.js";

describe("createFakeAzure", () => {
  it("starts from an empty tenant and exports it back", () => {
    const tenant = createFakeAzure();
    const seed = tenant.exportSeed();
    expect(seed.tenantId).toBe(tenant.state.tenantId);
    expect(createFakeAzure({ seed }).exportSeed()).toEqual(seed);
  });
});

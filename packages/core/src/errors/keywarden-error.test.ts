import { describe, expect, it } from "vitest";
import { categoryOfCode, defineErrorCodes, listErrorCodes } from "./define-error-codes.js";
import { categoryFromStatus } from "./error-category.js";
import { CoreError, RequestTimeoutError } from "./core-error.js";
import { coreErrorCodes } from "./core-error-codes.js";
import { KeywardenError } from "./keywarden-error.js";

class AreaOneError extends KeywardenError {
  static override readonly marker: string = "keywarden.test.area-one";
}
class AreaTwoError extends KeywardenError {
  static override readonly marker: string = "keywarden.test.area-two";
}
class AreaOneDetailError extends AreaOneError {
  static override readonly marker: string = "keywarden.test.area-one-detail";
}
class ForgotMarkerError extends AreaOneError {}

describe("KeywardenError.isInstance", () => {
  const one = new AreaOneError("KW_TEST_E0001", "one", { category: "invalid-input" });
  const two = new AreaTwoError("KW_TEST_E0002", "two", { category: "service" });
  const detail = new AreaOneDetailError("KW_TEST_E0003", "detail", { category: "conflict" });

  it("matches the class it is called on and its subclasses, never a sibling", () => {
    expect(KeywardenError.isInstance(one)).toBe(true);
    expect(KeywardenError.isInstance(two)).toBe(true);
    expect(AreaOneError.isInstance(one)).toBe(true);
    expect(AreaOneError.isInstance(detail)).toBe(true);
    expect(AreaOneError.isInstance(two)).toBe(false);
    expect(AreaTwoError.isInstance(one)).toBe(false);
    expect(AreaOneDetailError.isInstance(one)).toBe(false);
    expect(CoreError.isInstance(one)).toBe(false);
  });

  it("works across copies of a package (markers, not prototypes)", () => {
    const foreign = Object.assign(new Error("x"), { [Symbol.for("keywarden.error.markers")]: ["keywarden.test.area-two", "keywarden.error"] });
    expect(AreaTwoError.isInstance(foreign)).toBe(true);
    expect(AreaOneError.isInstance(foreign)).toBe(false);
  });

  it("refuses to answer for a subclass that did not declare its own marker", () => {
    expect(() => ForgotMarkerError.isInstance(one)).toThrow(/without its own static marker/);
  });

  it("is false for non-errors and plain errors", () => {
    for (const value of [undefined, null, 1, "KW_TEST_E0001", {}, new Error("x"), { code: "KW_TEST_E0001" }]) {
      expect(KeywardenError.isInstance(value)).toBe(false);
    }
  });

  it("keeps code, category, cause and the class name", () => {
    const cause = new Error("upstream");
    const error = new AreaTwoError("KW_TEST_E0002", "two", { category: "service", cause });
    expect(error).toMatchObject({ code: "KW_TEST_E0002", category: "service", name: "AreaTwoError" });
    expect(error.cause).toBe(cause);
  });

  it("gives core's own errors their codes' categories", () => {
    expect(new RequestTimeoutError("GET /secrets/a", 10).category).toBe("transient");
    expect(RequestTimeoutError.isInstance(new CoreError(coreErrorCodes.lockHeld, "held"))).toBe(false);
    expect(new CoreError(coreErrorCodes.lockHeld, "held").category).toBe("conflict");
  });
});

describe("defineErrorCodes", () => {
  it("maps names to code strings and codes to categories", () => {
    const codes = defineErrorCodes({
      bad: { code: "KW_TEST_E0001", category: "invalid-input" },
      gone: { code: "KW_TEST_E0002", category: "not-found" },
    });
    expect(codes.bad).toBe("KW_TEST_E0001");
    expect(categoryOfCode(codes, codes.gone)).toBe("not-found");
    expect([...listErrorCodes(codes).keys()]).toEqual(["KW_TEST_E0001", "KW_TEST_E0002"]);
    expect(() => categoryOfCode(codes, "KW_TEST_E0009")).toThrow(/not defined/);
    const withWarning = defineErrorCodes({ note: { code: "KW_TEST_W0001" } });
    expect(withWarning.note).toBe("KW_TEST_W0001");
    expect(() => defineErrorCodes({ bad: { code: "KW_TEST_E0001" } })).toThrow(/need a category/);
    expect(() => defineErrorCodes({ bad: { code: "KW_TEST_W0001", category: "internal" } })).toThrow(/take none/);
  });

  it("refuses malformed and duplicate codes", () => {
    expect(() => defineErrorCodes({ a: { code: "E1", category: "internal" } })).toThrow(/KW_<AREA>/);
    expect(() =>
      defineErrorCodes({ a: { code: "KW_TEST_E0001", category: "internal" }, b: { code: "KW_TEST_E0001", category: "internal" } }),
    ).toThrow(/twice/);
  });
});

describe("categoryFromStatus", () => {
  it.each([
    [400, "invalid-input"],
    [401, "forbidden"],
    [403, "forbidden"],
    [404, "not-found"],
    [409, "conflict"],
    [429, "transient"],
    [503, "transient"],
    [500, "service"],
    [undefined, "transient"],
  ] as const)("%s -> %s", (status, category) => {
    expect(categoryFromStatus(status)).toBe(category);
  });
});

describe("KeywardenError messages", () => {
  it("show control, ANSI and bidi characters from the values they name, and keep their own line breaks", () => {
    const error = new AreaOneError("KW_TEST_E0001", "Vault kv\u001b[2J\u202e not found:\n  - check the name", { category: "not-found" });
    expect(error.message).toBe("Vault kv\\x1b[2J\\u202e not found:\n  - check the name");
  });
});

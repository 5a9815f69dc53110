import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { terminalSafe, terminalSafeLines } from "./terminal-text.js";

describe("terminalSafe", () => {
  it("shows escape sequences, bidi overrides and zero-width characters instead of running them", () => {
    expect(terminalSafe("ok\u001b[2J\u001b]0;owned\u0007")).toBe("ok\\x1b[2J\\x1b]0;owned\\x07");
    expect(terminalSafe("invoice\u202etxt.exe")).toBe("invoice\\u202etxt.exe");
    expect(terminalSafe("a\u200bb\u009bc")).toBe("a\\u200bb\\x9bc");
  });

  it("keeps line breaks and tabs unless the field is single-line", () => {
    expect(terminalSafe("line 1\nline 2\ttab")).toBe("line 1\nline 2\ttab");
    expect(terminalSafe("subject\r\nBcc: x", { singleLine: true })).toBe("subject\\x0d\\x0aBcc: x");
  });

  it("never leaves a control character in its output, and leaves safe text alone", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (text) => {
        const safe = terminalSafe(text, { singleLine: true });
        // eslint-disable-next-line no-control-regex -- asserting their absence
        expect(safe).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u);
      }),
    );
    fc.assert(fc.property(fc.stringMatching(/^[a-zA-Z0-9 .,:@/-]*$/), (text) => {
        expect(terminalSafe(text)).toBe(text);
      }),
    );
  });
});

describe("terminalSafeLines", () => {
  it("keeps the formatter's line breaks and shows every break inside a line", () => {
    expect(terminalSafeLines(["vault kv\nerror: forged", "  next"])).toBe("vault kv\\x0aerror: forged\n  next");
    fc.assert(
      fc.property(fc.array(fc.string({ unit: "binary" }), { maxLength: 6 }), (lines) => {
        const safe = terminalSafeLines(lines);
        expect(safe.split("\n")).toHaveLength(Math.max(1, lines.length));
        // Idempotent: escaping safe lines again changes nothing.
        expect(terminalSafeLines(safe.split("\n"))).toBe(lines.length === 0 ? "" : safe);
      }),
    );
  });
});

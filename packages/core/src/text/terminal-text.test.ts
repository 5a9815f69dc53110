import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { terminalSafe } from "./terminal-text.js";

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

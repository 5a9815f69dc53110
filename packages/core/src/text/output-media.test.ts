import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { htmlSafe } from "./html-text.js";
import { markdownCode, markdownSafe } from "./markdown-text.js";

// eslint-disable-next-line no-control-regex -- asserting their absence
const CONTROL_OR_BIDI = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/u;
// eslint-disable-next-line no-control-regex -- as above, with line breaks
const CONTROL_BIDI_OR_NEWLINE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;
/** Any string, including every control, bidi and surrogate-free code point and the payloads below. */
const anyText = fc.oneof(
  fc.string({ unit: "binary" }),
  fc.array(fc.constantFrom("<script>", "&", "\u001b[2J", "\r\n", "\n", "error: ", "\u202e", "](javascript:x)", "`", "|", "# ", "> ", "&lt;"), { maxLength: 12 }).map((parts) => parts.join("")),
);

describe("markdownSafe", () => {
  it("escapes payloads from alert text: HTML, ANSI, forged lines, links and table cells", () => {
    expect(markdownSafe("<script>alert(1)</script>")).toBe("&lt;script&gt;alert\\(1\\)&lt;/script&gt;");
    expect(markdownSafe("x\u001b[2J")).toBe("x\\\\x1b\\[2J");
    expect(markdownSafe("ok\nerror: forged", { singleLine: true })).toBe("ok\\\\x0aerror: forged");
    expect(markdownSafe("[click](https://evil.example)")).toBe("\\[click\\]\\(https://evil\\.example\\)");
    expect(markdownSafe("a | b")).toBe("a \\| b");
  });

  it("never lets a generated string produce control or bidi characters, raw < or an & that is not an entity, or an unescaped Markdown character", () => {
    fc.assert(
      fc.property(anyText, fc.boolean(), (text, singleLine) => {
        const safe = markdownSafe(text, { singleLine });
        expect(safe).not.toMatch(singleLine ? CONTROL_BIDI_OR_NEWLINE : CONTROL_OR_BIDI);
        expect(safe).not.toMatch(/[<>]/);
        expect(safe.replace(/&(amp|lt|gt);/g, "")).not.toContain("&");
        // Every Markdown punctuation character is escaped: dropping the escape pairs leaves none behind.
        expect(safe.replace(/\\[\\`*_{}[\]()#+\-.!|~]/g, "")).not.toMatch(/[\\`*_{}[\]()#+\-.!|~]/);
      }),
    );
  });

  it("leaves plain words alone", () => {
    fc.assert(fc.property(fc.stringMatching(/^[a-zA-Z0-9 ,:@/]*$/), (text) => {
        expect(markdownSafe(text)).toBe(text);
      }),
    );
  });
});

describe("markdownCode", () => {
  it("fences text with more backticks than it holds, on one line, control characters escaped", () => {
    expect(markdownCode("kv-prod")).toBe("`kv-prod`");
    expect(markdownCode("a`b")).toBe("``a`b``");
    fc.assert(
      fc.property(anyText, (text) => {
        const code = markdownCode(text);
        expect(code).not.toMatch(CONTROL_BIDI_OR_NEWLINE);
        const fence = /^`+/.exec(code)?.[0] ?? "";
        const inner = code.slice(fence.length, code.length - fence.length);
        expect(code.endsWith(fence)).toBe(true);
        // The fence never occurs inside: the span cannot be closed early.
        expect(inner.includes(fence)).toBe(false);
      }),
    );
  });
});

describe("htmlSafe", () => {
  it("escapes markup and quotes, shows control and bidi characters", () => {
    expect(htmlSafe(`<img src=x onerror="alert('1')">&`)).toBe("&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt;&amp;");
    expect(htmlSafe("a\u202eb")).toBe("a\\u202eb");
  });

  it("never lets a generated string produce markup, a quote, a bare & or a control or bidi character", () => {
    fc.assert(
      fc.property(anyText, fc.boolean(), (text, singleLine) => {
        const safe = htmlSafe(text, { singleLine });
        expect(safe).not.toMatch(singleLine ? CONTROL_BIDI_OR_NEWLINE : CONTROL_OR_BIDI);
        expect(safe).not.toMatch(/[<>"']/);
        expect(safe.replace(/&(amp|lt|gt|quot|#39);/g, "")).not.toContain("&");
      }),
    );
  });
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { escapeHtml, html } from "../src/pages/html.js";

describe("escaped pages", () => {
  it("never lets markup, control or bidi-override characters through", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (text) => {
        const out = escapeHtml(text);
        // eslint-disable-next-line no-control-regex -- the test is about control characters
        expect(out).not.toMatch(/[<>"'`\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u202a-\u202e\u2066-\u2069]/);
        expect(out.replace(/&(amp|lt|gt|quot|#39|#96);/g, "")).not.toContain("&");
      }),
    );
  });

  it("escapes interpolations and passes nested fragments", () => {
    const name = '<script>alert("x")</script>';
    expect(html`<p>${name}</p>${html`<b>${"&"}</b>`}`.value).toBe("<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</p><b>&amp;</b>");
    expect(html`<i>${["<a>", html`<br>`]}</i>`.value).toBe("<i>&lt;a&gt;<br></i>");
  });
});

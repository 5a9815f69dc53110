import { htmlSafe, markdownSafe, terminalSafe } from "@keywarden/core";
import { describe, expect, it } from "vitest";
import { forgedOutputProblems, HOSTILE_TEXT, replaceStrings } from "../src/index.js";

describe("HOSTILE_TEXT and forgedOutputProblems", () => {
  it("flags every payload printed raw, in the medium it attacks", () => {
    for (const payload of HOSTILE_TEXT.filter((text) => text !== "&lt;script&gt;")) {
      const problems = [...forgedOutputProblems(`name: ${payload}`, "html"), ...forgedOutputProblems(`name: ${payload}`, "markdown")];
      expect(problems, JSON.stringify(payload)).not.toEqual([]);
    }
    expect(forgedOutputProblems("ok\nerror: forged line", "text")).toEqual([expect.stringMatching(/^line 2 is forged/)]);
    expect(forgedOutputProblems("a\u001b[2J", "text")).toEqual(["control character U+001b at 1"]);
  });

  it("passes every payload once core's escaping is applied, and lets a plain multi-line report through", () => {
    for (const payload of HOSTILE_TEXT) {
      expect(forgedOutputProblems(`name: ${terminalSafe(payload, { singleLine: true })}\nnext line`, "text")).toEqual([]);
      expect(forgedOutputProblems(`<p>${htmlSafe(payload, { singleLine: true })}</p>`, "html")).toEqual([]);
      expect(forgedOutputProblems(`- ${markdownSafe(payload, { singleLine: true })}`, "markdown")).toEqual([]);
    }
  });
});

describe("replaceStrings", () => {
  it("replaces every string value, not keys, with its path; keeps numbers, booleans and own __proto__ keys", () => {
    const source = JSON.parse('{"a":"x","list":["y",{"b":"z","n":1}],"__proto__":"p","ok":true}') as Record<string, unknown>;
    const paths: string[] = [];
    const copy = replaceStrings(source, (text, path) => {
      paths.push(path.join("."));
      return `<${text}>`;
    });
    expect(paths.sort()).toEqual(["__proto__", "a", "list.0", "list.1.b"]);
    expect(Object.getOwnPropertyDescriptor(copy, "__proto__")?.value).toBe("<p>");
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(copy["list"]).toEqual(["<y>", { b: "<z>", n: 1 }]);
    expect(copy["ok"]).toBe(true);
    expect(source["a"]).toBe("x");
  });
});

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { TorExitList } from "./tor-exit-list.js";

describe("TorExitList", () => {
  it("reads the bulk list format (fixture excerpt, IPv6 in full form)", () => {
    const list = TorExitList.parse(readFileSync(new URL("../__fixtures__/tor-exit-nodes.sample.lst", import.meta.url), "utf8"));
    expect(list.size).toBe(51);
    expect(list.skippedLines).toBe(0);
    expect(list.has("101.99.92.179")).toBe(true);
    expect(list.has("2001:470:1:908::9001")).toBe(true);
    expect(list.has("198.51.100.7")).toBe(false);
  });

  it("reads the exit-addresses format and counts junk lines", () => {
    const list = TorExitList.parse(
      [
        "ExitNode 0011BD2485AD45D984EC4159C88FC066E5E3300E",
        "Published 2024-02-26 19:49:32",
        "LastStatus 2024-02-27 06:00:00",
        "ExitAddress 162.247.74.201 2024-02-27 06:08:41",
        "garbage line",
      ].join("\n"),
    );
    expect(list.has("162.247.74.201")).toBe(true);
    expect(list.size).toBe(1);
    expect(list.skippedLines).toBe(1);
  });
});

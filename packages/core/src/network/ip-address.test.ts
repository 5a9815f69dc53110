import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { classifyAddress, parseAddress, parseRange, rangeContains } from "./ip-address.js";

const ipv4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((parts) => parts.join("."));

describe("parseAddress", () => {
  it("round-trips every dotted-quad IPv4 address", () => {
    fc.assert(
      fc.property(ipv4, (text) => {
        const parsed = parseAddress(text);
        expect(parsed?.family).toBe(4);
        expect(parsed?.normalized).toBe(text);
      }),
    );
  });

  it("folds IPv4-mapped IPv6 to IPv4 and normalises IPv6", () => {
    expect(parseAddress("::ffff:198.51.100.7")?.normalized).toBe("198.51.100.7");
    expect(parseAddress("2001:0470:0001:0908:0000:0000:0000:9001")?.normalized).toBe("2001:470:1:908::9001");
  });

  it.each(["0x7f.1", "1.2.3", "256.1.1.1", "01.2.3.4", "1.2.3.4/32", "not an ip", "1.2.3.4 ; drop"])("rejects %s", (text) => {
    expect(parseAddress(text)).toBeUndefined();
  });
});

describe("parseRange / rangeContains", () => {
  it("a range built from any address and prefix length contains that address", () => {
    fc.assert(
      fc.property(ipv4, fc.integer({ min: 0, max: 32 }), (text, bits) => {
        const range = parseRange(`${text}/${bits}`);
        const address = parseAddress(text);
        expect(range).toBeDefined();
        expect(rangeContains(range!, address!)).toBe(true);
      }),
    );
  });

  it("does not match across families or outside the prefix", () => {
    const range = parseRange("203.0.113.0/24")!;
    expect(rangeContains(range, parseAddress("203.0.113.255")!)).toBe(true);
    expect(rangeContains(range, parseAddress("203.0.114.0")!)).toBe(false);
    expect(rangeContains(range, parseAddress("2001:db8::1")!)).toBe(false);
    expect(parseRange("10.0.0.0/33")).toBeUndefined();
    expect(parseRange("10.0.0.0/x")).toBeUndefined();
  });
});

describe("classifyAddress", () => {
  it("tells missing, placeholder (sample alerts), invalid, private and public apart", () => {
    expect(classifyAddress(undefined).status).toBe("missing");
    expect(classifyAddress("  ").status).toBe("missing");
    expect(classifyAddress("00.00.00.00").status).toBe("placeholder");
    expect(classifyAddress("0.0.0.0").status).toBe("placeholder");
    expect(classifyAddress("1.2.3").status).toBe("invalid");
    expect(classifyAddress("10.1.2.3")).toMatchObject({ status: "valid", private: true });
    expect(classifyAddress("fd00::1")).toMatchObject({ status: "valid", private: true });
    expect(classifyAddress("198.51.100.7")).toMatchObject({ status: "valid", private: false });
  });

  it("never throws on arbitrary text", () => {
    fc.assert(fc.property(fc.string(), (text) => void classifyAddress(text)));
  });
});

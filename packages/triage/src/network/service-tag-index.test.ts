import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { InvalidNetworkListError } from "../errors/invalid-network-list-error.js";
import { ServiceTagIndex } from "./service-tag-index.js";

const document: unknown = JSON.parse(readFileSync(new URL("../__fixtures__/service-tags.api-example.json", import.meta.url), "utf8"));

describe("ServiceTagIndex", () => {
  const index = ServiceTagIndex.fromDocument(document);

  it("finds the tag of an address in the Microsoft.Network example", () => {
    expect(index.lookup("40.74.146.81")).toEqual([
      { name: "ApiManagement", prefix: "40.74.146.80/31", prefixLength: 31, systemService: "AzureApiManagement" },
    ]);
  });

  it("reports the region of regional tags", () => {
    expect(index.lookup("20.36.106.69")[0]).toMatchObject({ name: "ApiManagement.AustraliaCentral", region: "australiacentral" });
  });

  it("orders matches from the most specific prefix", () => {
    const layered = ServiceTagIndex.fromDocument({
      values: [
        { name: "AzureCloud", properties: { region: "", addressPrefixes: ["20.0.0.0/8"] } },
        { name: "AzureCloud.westeurope", properties: { region: "westeurope", addressPrefixes: ["20.50.0.0/16"] } },
      ],
    });
    expect(layered.lookup("20.50.1.1").map((m) => m.name)).toEqual(["AzureCloud.westeurope", "AzureCloud"]);
  });

  it("answers nothing for non-Azure and invalid addresses", () => {
    expect(index.lookup("198.51.100.7")).toEqual([]);
    expect(index.lookup("not-an-ip")).toEqual([]);
  });

  it("rejects documents that are not service tag lists", () => {
    expect(() => ServiceTagIndex.fromDocument({ tags: [] })).toThrow(InvalidNetworkListError);
    expect(() => ServiceTagIndex.fromDocument({ values: [{ id: "x" }] })).toThrow(/values\[0\]/);
  });
});

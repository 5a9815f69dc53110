import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { mapPaged, pagedFromArray, pagedIterator, type PagedSource } from "./paged-iterator.js";

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

describe("pagedIterator", () => {
  it("iterates items across pages and gives every page its continuation token", async () => {
    const calls: (string | undefined)[] = [];
    const iterator = pagedIterator(async (token) => {
      calls.push(token);
      await Promise.resolve();
      if (token === undefined) return { items: [1, 2], continuationToken: "p2" };
      if (token === "p2") return { items: [3], continuationToken: "p3" };
      return { items: [4] };
    });
    expect(await collect(iterator)).toEqual([1, 2, 3, 4]);
    expect(calls).toEqual([undefined, "p2", "p3"]);
  });

  it("resumes from a continuation token saved from an earlier page", async () => {
    const source = pagedFromArray(["a", "b", "c", "d", "e"], 2);
    const first = await source.byPage().next();
    const token = (first.value as { continuationToken?: string }).continuationToken;
    expect(token).toBe("2");
    const rest: string[] = [];
    for await (const page of pagedFromArray(["a", "b", "c", "d", "e"], 2).byPage({ continuationToken: token! })) rest.push(...page);
    expect(rest).toEqual(["c", "d", "e"]);
  });

  it("pagedFromArray and mapPaged keep every item exactly once, in order, for any page size", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer(), { maxLength: 40 }), fc.integer({ min: 1, max: 7 }), async (items, size) => {
        expect(await collect(mapPaged(pagedFromArray(items, size), (x) => x * 2))).toEqual(items.map((x) => x * 2));
      }),
    );
  });

  it("mapPaged lists a source whose pages carry no continuation token to its last page (older generated Azure clients)", async () => {
    const pages = [[1, 2], [3], [4, 5]];
    let byPageCalls = 0;
    // The shape of @azure/arm-security's list(): byPage ignores settings and its pages have no token.
    const all = (async function* () {
      for (const page of pages) {
        await Promise.resolve();
        yield* page;
      }
    })();
    const source: PagedSource<number> = {
      next: () => all.next(),
      [Symbol.asyncIterator]() {
        return this;
      },
      byPage: () => {
        byPageCalls += 1;
        return (async function* () {
          for (const page of pages) {
            await Promise.resolve();
            yield [...page];
          }
        })();
      },
    };
    expect(await collect(mapPaged(source, (x) => x * 10))).toEqual([10, 20, 30, 40, 50]);
    expect(byPageCalls).toBe(1);
    const seen: number[][] = [];
    for await (const page of mapPaged(source, (x) => x).byPage()) seen.push([...page]);
    expect(seen).toEqual(pages);
  });

  it("mapPaged hands on the source's own continuation tokens, so a later run resumes where one stopped", async () => {
    const mapped = mapPaged(pagedFromArray(["a", "b", "c", "d", "e"], 2), (x) => x.toUpperCase());
    const first = await mapped.byPage().next();
    const token = (first.value as { continuationToken?: string }).continuationToken;
    expect(token).toBe("2");
    const rest: string[] = [];
    for await (const page of mapPaged(pagedFromArray(["a", "b", "c", "d", "e"], 2), (x) => x.toUpperCase()).byPage(token === undefined ? {} : { continuationToken: token })) rest.push(...page);
    expect(rest).toEqual(["C", "D", "E"]);
  });
});

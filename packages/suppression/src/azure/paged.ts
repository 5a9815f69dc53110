/** The Azure SDK's paged iterator shape: `for await` over items, or `.byPage()` over pages. */
export interface PagedAsyncIterableIterator<TElement, TPage = TElement[]> extends AsyncIterableIterator<TElement> {
  byPage(settings?: { continuationToken?: string; maxPageSize?: number }): AsyncIterableIterator<TPage>;
}

/** Maps an Azure SDK paged iterator item by item, keeping both the item and the page view. */
export function mapPaged<TIn, TOut>(source: PagedAsyncIterableIterator<TIn>, map: (item: TIn) => TOut): PagedAsyncIterableIterator<TOut> {
  const items = (async function* () {
    for await (const item of source) yield map(item);
  })();
  return Object.assign(items, {
    byPage(settings?: { continuationToken?: string; maxPageSize?: number }) {
      return (async function* () {
        for await (const page of source.byPage(settings)) yield page.map(map);
      })();
    },
  });
}

/** A paged iterator over an in-memory list, in pages of `pageSize`. */
export function pagedFromArray<T>(items: readonly T[], pageSize = 100): PagedAsyncIterableIterator<T> {
  const all = [...items];
  const iterator = (async function* () {
    for (const item of all) {
      await Promise.resolve();
      yield item;
    }
  })();
  return Object.assign(iterator, {
    byPage(settings: { continuationToken?: string; maxPageSize?: number } = {}) {
      const size = settings.maxPageSize ?? pageSize;
      let start = Number(settings.continuationToken ?? 0);
      return (async function* () {
        while (start < all.length) {
          await Promise.resolve();
          yield all.slice(start, start + size);
          start += size;
        }
      })();
    },
  });
}

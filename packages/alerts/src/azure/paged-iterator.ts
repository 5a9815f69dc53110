/** Settings of `byPage()`. */
export interface PageSettings {
  /** Ignored: Defender decides the page size. Present for Azure SDK compatibility. */
  maxPageSize?: number;
}

/**
 * The Azure SDK paged iterator shape (`@azure/core-paging`): iterate items with `for await`, or pages with
 * `.byPage()`.
 */
export interface PagedAsyncIterableIterator<TElement, TPage = TElement[], TPageSettings = PageSettings> {
  next(): Promise<IteratorResult<TElement>>;
  [Symbol.asyncIterator](): PagedAsyncIterableIterator<TElement, TPage, TPageSettings>;
  byPage: (settings?: TPageSettings) => AsyncIterableIterator<TPage>;
}

/** Builds a paged iterator from a page generator. */
export function pagedIterator<T>(pages: (settings?: PageSettings) => AsyncIterableIterator<T[]>): PagedAsyncIterableIterator<T> {
  async function* items(): AsyncIterableIterator<T> {
    for await (const page of pages()) yield* page;
  }
  const iterator = items();
  const paged: PagedAsyncIterableIterator<T> = {
    next: () => iterator.next(),
    [Symbol.asyncIterator]: () => paged,
    byPage: (settings?: PageSettings) => pages(settings),
  };
  return paged;
}

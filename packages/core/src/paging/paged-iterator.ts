import { getPagedAsyncIterator, type PagedAsyncIterableIterator, type PageSettings } from "@azure/core-paging";

export type { PagedAsyncIterableIterator, PageSettings };

/** A page of items carrying the token that resumes the listing after it (absent on the last page). */
export type ContinuablePage<T> = T[] & { continuationToken?: string };

/** The iterator every Keywarden `list*` operation returns. */
export type KeywardenPagedIterator<T> = PagedAsyncIterableIterator<T, ContinuablePage<T>, PageSettings>;

/** One page as a Keywarden list operation fetches it. */
export interface FetchedPage<T> {
  items: T[];
  /** Where the next page starts (the service's `nextLink`, or an opaque token); `undefined` on the last page. */
  continuationToken?: string | undefined;
}

/**
 * Builds the Azure SDK's `PagedAsyncIterableIterator` from a page fetcher: `for await` over items, or
 * `.byPage({ continuationToken })` to resume where an earlier run stopped (each page carries its
 * `continuationToken`, as in every Azure SDK list operation).
 */
export function pagedIterator<T>(
  fetchPage: (continuationToken: string | undefined, maxPageSize: number | undefined) => Promise<FetchedPage<T>>,
): KeywardenPagedIterator<T> {
  return getPagedAsyncIterator<T, ContinuablePage<T>, PageSettings, string>({
    firstPageLink: "",
    async getPage(pageLink, maxPageSize) {
      const fetched = await fetchPage(pageLink === "" ? undefined : pageLink, maxPageSize);
      const page: ContinuablePage<T> = fetched.items;
      if (fetched.continuationToken === undefined) return { page };
      page.continuationToken = fetched.continuationToken;
      return { page, nextPageLink: fetched.continuationToken };
    },
  });
}

/** A paged iterator over items already in memory (in-memory implementations), `pageSize` per page. */
export function pagedFromArray<T>(items: readonly T[], pageSize = 100): KeywardenPagedIterator<T> {
  return pagedIterator((token, maxPageSize) => {
    const start = token === undefined ? 0 : Number(token);
    if (!Number.isInteger(start) || start < 0) {
      return Promise.reject(new RangeError(`${token} is not a continuation token of this listing; start again without one.`));
    }
    const size = maxPageSize ?? pageSize;
    const end = Math.min(items.length, start + size);
    return Promise.resolve({ items: items.slice(start, end), continuationToken: end < items.length ? String(end) : undefined });
  });
}

/** A source of pages as Azure SDK list operations return it; older generated clients put no token on their pages. */
export type PagedSource<T> = PagedAsyncIterableIterator<T, T[] & { continuationToken?: string | undefined }, PageSettings>;

/**
 * Maps each item of a paged iterator, keeping pages and continuation tokens.
 *
 * Reading on from a page reuses the source's open page iterator, so a source whose pages carry no continuation
 * token (older generated Azure clients follow `nextLink` internally) is still listed to its last page. For such a
 * source the token of a mapped page is only good within this iteration, and the next page is read ahead to know
 * whether there is one.
 */
export function mapPaged<TIn, TOut>(source: PagedSource<TIn>, map: (item: TIn) => TOut): KeywardenPagedIterator<TOut> {
  let open: { token: string; pages: AsyncIterator<TIn[] & { continuationToken?: string | undefined }>; ahead?: IteratorResult<TIn[] & { continuationToken?: string | undefined }> } | undefined;
  let readAhead = 0;
  return pagedIterator(async (token, maxPageSize) => {
    let pages: AsyncIterator<TIn[] & { continuationToken?: string | undefined }>;
    let result: IteratorResult<TIn[] & { continuationToken?: string | undefined }>;
    if (open !== undefined && token !== undefined && open.token === token) {
      pages = open.pages;
      result = open.ahead ?? (await pages.next());
    } else {
      const settings: PageSettings = {};
      if (token !== undefined) settings.continuationToken = token;
      if (maxPageSize !== undefined) settings.maxPageSize = maxPageSize;
      pages = source.byPage(settings);
      result = await pages.next();
    }
    open = undefined;
    if (result.done === true) return { items: [] };
    const page = result.value;
    if (page.continuationToken !== undefined) {
      open = { token: page.continuationToken, pages };
      return { items: page.map(map), continuationToken: page.continuationToken };
    }
    const ahead = await pages.next();
    if (ahead.done === true) return { items: page.map(map) };
    readAhead += 1;
    const local = `keywarden-local-page:${readAhead}`;
    open = { token: local, pages, ahead };
    return { items: page.map(map), continuationToken: local };
  });
}

// The ledger list's state, read from and written to the URL; filters reset the page to the first.
import { useSearchParams } from 'react-router';
import { parseLedgerQuery, toSearchParams } from './ledgerQuery.ts';
import type { LedgerQuery } from './types.ts';

export function useLedgerQuery(defaultRegionId: number) {
  const [params, setParams] = useSearchParams();
  const parsed = parseLedgerQuery(params);
  const query: LedgerQuery = { ...parsed, regionId: parsed.regionId ?? defaultRegionId };

  // Changes start from the address bar, not from this render: while React Router's navigation is
  // still rendering (a transition), a second change made from the old screen would undo the first.
  const latest = (): LedgerQuery => {
    const now = parseLedgerQuery(new URLSearchParams(window.location.search));
    return { ...now, regionId: now.regionId ?? defaultRegionId };
  };

  /** Changes filters: back to page 1, a new history entry so Back undoes the change. */
  const setFilters = (patch: Partial<LedgerQuery>) =>
    setParams(toSearchParams({ ...latest(), page: 1, after: undefined, ...patch }));
  /** Changes page, page size or sort, keeping the filters (a cursor only when the patch brings one). */
  const setView = (patch: Partial<LedgerQuery>) =>
    setParams(toSearchParams({ ...latest(), after: undefined, ...patch }));
  const reset = () =>
    setParams(
      toSearchParams({
        colour: [],
        category: [],
        page: 1,
        pageSize: query.pageSize,
        regionId: query.regionId,
      }),
    );
  return { query, setFilters, setView, reset };
}

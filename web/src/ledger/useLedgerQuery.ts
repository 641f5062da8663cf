// The ledger list's state, read from and written to the URL; filters reset the page to the first.
import { useSearchParams } from 'react-router';
import { parseLedgerQuery, toSearchParams } from './ledgerQuery.ts';
import type { LedgerQuery } from './types.ts';

export function useLedgerQuery(defaultRegionId: number) {
  const [params, setParams] = useSearchParams();
  const parsed = parseLedgerQuery(params);
  const query: LedgerQuery = { ...parsed, regionId: parsed.regionId ?? defaultRegionId };

  /** Changes filters: back to page 1, a new history entry so Back undoes the change. */
  const setFilters = (patch: Partial<LedgerQuery>) =>
    setParams(toSearchParams({ ...query, page: 1, ...patch }));
  /** Changes page, page size or sort, keeping the filters. */
  const setView = (patch: Partial<LedgerQuery>) => setParams(toSearchParams({ ...query, ...patch }));
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

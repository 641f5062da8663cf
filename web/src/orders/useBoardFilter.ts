// The dispatch board's filters, read from and written to the URL: an official who opens an order and
// comes back (or shares the address) finds the board as they left it.
import { useSearchParams } from 'react-router';
import { OPEN_STATES, ORDER_STATES, URGENCIES, type BoardFilter } from './types.ts';

/** A comma list of the allowed words; absent means `fallback`, present but empty means none. */
function words<T extends string>(value: string | null, allowed: readonly T[], fallback: T[]): T[] {
  if (value === null) return fallback;
  return value.split(',').filter((w): w is T => (allowed as readonly string[]).includes(w));
}

function parseBoardFilter(params: URLSearchParams): BoardFilter {
  const region = Number(params.get('region'));
  return {
    regionId: Number.isInteger(region) && region > 0 ? region : undefined,
    states: words(params.get('states'), ORDER_STATES, [...OPEN_STATES]),
    needCodes: params.get('needs')?.split(',').filter(Boolean) ?? [],
    urgency: words(params.get('urgency'), URGENCIES, []),
    overdueOnly: params.get('overdue') === '1',
  };
}

function boardSearchParams(f: BoardFilter): URLSearchParams {
  const p = new URLSearchParams();
  if (f.regionId) p.set('region', String(f.regionId));
  const open = [...OPEN_STATES];
  if (f.states.length !== open.length || f.states.some((s) => !open.includes(s)))
    p.set('states', f.states.join(','));
  if (f.needCodes.length) p.set('needs', f.needCodes.join(','));
  if (f.urgency.length) p.set('urgency', f.urgency.join(','));
  if (f.overdueOnly) p.set('overdue', '1');
  return p;
}

export function useBoardFilter() {
  const [params, setParams] = useSearchParams();
  const filter = parseBoardFilter(params);
  // From the address bar, not this render (see useLedgerQuery): two quick changes both stay.
  const set = (patch: Partial<BoardFilter>) =>
    setParams(
      boardSearchParams({ ...parseBoardFilter(new URLSearchParams(window.location.search)), ...patch }),
      {
        replace: true,
      },
    );
  return { filter, set };
}

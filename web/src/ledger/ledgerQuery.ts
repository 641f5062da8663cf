// The ledger list's state ⇄ its URL query string, so a copied link reproduces the same view.
import { COLOURS, type Colour, type LedgerQuery, type ResidentSort, type Surveyed } from './types.ts';

export const PAGE_SIZES = [20, 50, 100] as const;
export const DEFAULT_STALE_DAYS = 30;
const SORTS: readonly ResidentSort[] = ['id', 'name', 'birthDate', 'colour'];
const SURVEYED: readonly Surveyed[] = ['yes', 'no', 'stale'];

function int(raw: string | null, min: number, max: number): number | undefined {
  if (!raw || !/^\d{1,6}$/.test(raw)) return undefined;
  const n = Number(raw);
  return n >= min && n <= max ? n : undefined;
}

function oneOf<T extends string>(raw: string | null, allowed: readonly T[]): T | undefined {
  return allowed.find((value) => value === raw);
}

/** Reads the query string; anything malformed is dropped rather than sent on to the server. */
export function parseLedgerQuery(params: URLSearchParams): LedgerQuery {
  const colour = [...new Set(params.getAll('colour'))].filter((c): c is Colour =>
    (COLOURS as readonly string[]).includes(c),
  );
  const category = [...new Set(params.getAll('category'))].filter((c) => /^[\w-]{1,40}$/.test(c));
  const q = params.get('q')?.trim().slice(0, 30) || undefined;
  const pageSize = int(params.get('pageSize'), 1, 200);
  return {
    regionId: int(params.get('regionId'), 1, 999_999),
    colour,
    category,
    ageMin: int(params.get('ageMin'), 0, 150),
    ageMax: int(params.get('ageMax'), 0, 150),
    surveyed: oneOf(params.get('surveyed'), SURVEYED),
    staleDays: int(params.get('staleDays'), 1, 3650),
    q,
    sort: oneOf(params.get('sort'), SORTS),
    desc: params.get('desc') === 'true' || undefined,
    page: int(params.get('page'), 1, 100_000) ?? 1,
    pageSize: pageSize ?? PAGE_SIZES[0],
    after: /^\d{1,15}$/.test(params.get('after') ?? '') ? Number(params.get('after')) : undefined,
  };
}

/** Writes the state back; defaults (page 1, 20 a page, no filter) are left out to keep links short. */
export function toSearchParams(q: LedgerQuery): URLSearchParams {
  const params = new URLSearchParams();
  if (q.regionId !== undefined) params.set('regionId', String(q.regionId));
  for (const c of q.colour) params.append('colour', c);
  for (const c of q.category) params.append('category', c);
  if (q.ageMin !== undefined) params.set('ageMin', String(q.ageMin));
  if (q.ageMax !== undefined) params.set('ageMax', String(q.ageMax));
  if (q.surveyed) params.set('surveyed', q.surveyed);
  if (q.surveyed === 'stale' && q.staleDays !== undefined) params.set('staleDays', String(q.staleDays));
  if (q.q) params.set('q', q.q);
  if (q.sort && q.sort !== 'id') params.set('sort', q.sort);
  if (q.desc) params.set('desc', 'true');
  if (q.page > 1) params.set('page', String(q.page));
  if (q.pageSize !== PAGE_SIZES[0]) params.set('pageSize', String(q.pageSize));
  if (q.after !== undefined && q.page > 1) params.set('after', String(q.after));
  return params;
}

/** The link to the ledger of a region, optionally with some filters already set. */
export function ledgerHref(regionId: number, extra: Partial<LedgerQuery> = {}): string {
  const q: LedgerQuery = { colour: [], category: [], page: 1, pageSize: PAGE_SIZES[0], ...extra, regionId };
  return `/ledger?${toSearchParams(q).toString()}`;
}

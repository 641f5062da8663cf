// Use cases of the health ledger: households and residents in one's subtree, kept valid, coloured
// by the county's rules (or a doctor's override, with a reason) and audited; full ID numbers and
// phones only through an audited reveal.
import type { Executor } from '../db/engine.ts';
import { assertCan, can, type Actor } from '../platform/access.ts';
import { audit } from '../platform/audit/service.ts';
import type { Ctx } from '../platform/context.ts';
import { DomainError, invalid, notFound } from '../platform/errors.ts';
import { ageOn, maskIdNumber, maskPhone } from '../platform/identity.ts';
import { gridPlace, regionInScope } from '../regions/service.ts';
import { DEFAULT_RULESET, scoreColour, validateRuleset, type Colour, type ColourRuleset } from './colour.ts';
import * as repo from './repo.ts';
import {
  birthBounds,
  checkResident,
  colourInputsOf,
  maskName,
  type ResidentFields,
  type ResidentInput,
} from './rules.ts';

/** Today's date in Shanghai, as YYYY-MM-DD. */
export function shanghaiDate(d: Date): string {
  return d.toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
}

export interface CountyRules {
  countyCode: string;
  rules: ColourRuleset;
  ruleName: string;
  /** Every category known in the county, retired ones included. */
  categories: Set<string>;
  /** The categories offered for new entries (not retired). */
  active: Set<string>;
}

/** The colour ruleset and the categories in force in a county. */
export async function countyRules(ex: Executor, countyCode: string): Promise<CountyRules> {
  const [row, cats] = await Promise.all([
    repo.rulesetFor(ex, countyCode),
    repo.categoriesFor(ex, countyCode),
  ]);
  const parsed = row ? validateRuleset(row.rules) : null;
  const rules = parsed?.ok ? parsed.rules : DEFAULT_RULESET;
  return {
    countyCode,
    rules,
    ruleName: `${rules.name}@${rules.version}`,
    categories: new Set(cats.map((c) => c.code)),
    active: new Set(cats.filter((c) => c.active).map((c) => c.code)),
  };
}

export interface ResidentView {
  id: number;
  householdId: number;
  gridId: number;
  name: string;
  idNumber: string | null;
  idMissing: boolean;
  sex: 'M' | 'F' | null;
  birthDate: string | null;
  age: number | null;
  phones: string[];
  categories: string[];
  conditions: ResidentFields['conditions'];
  vaccination: ResidentFields['vaccination'];
  pregnancyDueDate: string | null;
  medication: string | null;
  notes: string | null;
  status: repo.ResidentRow['status'];
  colour: Colour;
  colourScore: number;
  colourOverride: Colour | null;
  colourOverrideReason: string | null;
  /** Whether the ID number and phones shown are masked (reveal them one record at a time). */
  masked: true;
}

/** Masks what the role may not read in full: ID numbers and phones always, names without pii.reveal. */
export function presentResident(r: repo.ResidentRow, actor: Actor, today: Date): ResidentView {
  const fullNames = can(actor, 'pii.reveal');
  return {
    id: r.id,
    householdId: r.householdId,
    gridId: r.gridId,
    name: fullNames ? r.name : maskName(r.name),
    idNumber: r.idNumber ? maskIdNumber(r.idNumber) : null,
    idMissing: !r.idNumber,
    sex: r.sex,
    birthDate: fullNames ? r.birthDate : (r.birthDate?.slice(0, 4) ?? null),
    age: r.birthDate ? ageOn(r.birthDate, today) : null,
    phones: r.phones.map(maskPhone),
    categories: withElderly(r, today),
    conditions: r.conditions,
    vaccination: r.vaccination,
    pregnancyDueDate: r.pregnancyDueDate,
    medication: r.medication,
    notes: r.notes,
    status: r.status,
    colour: r.colour,
    colourScore: r.colourScore,
    colourOverride: r.colourOverride,
    colourOverrideReason: r.colourOverrideReason,
    masked: true,
  };
}

function withElderly(r: Pick<repo.ResidentRow, 'birthDate' | 'categories'>, today: Date): string[] {
  return colourInputsOf({ ...r, conditions: [], vaccination: null }, today).categories;
}

export interface ListQuery {
  regionId?: number;
  colour?: Colour[];
  category?: string[];
  ageMin?: number;
  ageMax?: number;
  surveyed?: 'yes' | 'no' | 'stale';
  staleDays?: number;
  q?: string;
  status?: 'active' | 'moved_out' | 'deceased' | 'all';
  sort?: repo.ResidentFilter['sort'];
  desc?: boolean;
  page?: number;
  pageSize?: number;
  /** The last id of the previous page (its `cursor`): the next page by keyset, however deep. */
  after?: number;
}

/** @throws forbidden | not_found (region outside scope) | validation_failed (an age band upside down) */
export async function listResidents(ctx: Ctx, actor: Actor, q: ListQuery) {
  assertCan(actor, 'ledger.read');
  if (q.ageMin !== undefined && q.ageMax !== undefined && q.ageMin > q.ageMax)
    throw invalid([{ path: '/ageMin', code: 'age_band', params: { min: q.ageMin, max: q.ageMax } }]);
  const now = ctx.clock.now();
  const today = shanghaiDate(now);
  const path = q.regionId ? (await regionInScope(ctx.db, actor, q.regionId))?.path : actor.regionPath;
  if (!path) throw notFound();
  const pageSize = q.pageSize ?? 20;
  const page = q.page ?? 1;
  const filter: repo.ResidentFilter = {
    path,
    colour: q.colour,
    category: q.category,
    ...birthBounds(today, q.ageMin, q.ageMax),
    surveyed: q.surveyed,
    staleBefore: new Date(now.getTime() - (q.staleDays ?? 30) * 86_400_000),
    q: q.q,
    status: q.status,
    sort: q.sort ?? 'id',
    desc: q.desc ?? false,
    limit: pageSize,
    offset: (page - 1) * pageSize,
    elderlyBornBy: birthBounds(today, 65).bornOnOrBefore!,
  };
  // Active residents in id order (the default view) are paged grid by grid on the partial index, by
  // keyset when the console passes the previous page's cursor; other sorts choose the page's ids
  // before joining. The total is counted up to COUNT_CAP ("10,000+").
  const byGrid = repo.pagesByGrid(filter);
  const keyset = byGrid && q.after !== undefined;
  const [rows, count] = await Promise.all([
    byGrid
      ? repo.listResidentsByGrid(
          ctx.db,
          keyset ? { ...filter, offset: 0 } : filter,
          keyset ? q.after : undefined,
        )
      : repo.listResidentsPage(ctx.db, filter),
    repo.countResidentsCapped(ctx.db, filter),
  ]);
  const last = rows.at(-1);
  return {
    total: count.total,
    /** The total reached the cap: there are more than `total`. */
    totalCapped: count.capped,
    page,
    pageSize,
    /** Pass as `after` (with page + 1) for the next page by keyset; null at the end or for other sorts. */
    cursor: byGrid && last && rows.length === pageSize ? last.resident.id : null,
    items: rows.map((r) => ({
      ...presentResident(r.resident, actor, now),
      address: r.address,
      gridName: r.gridName,
      lastSurveyedAt: r.lastSurveyedAt,
    })),
  };
}

/** @throws forbidden | not_found */
export async function getResident(ctx: Ctx, actor: Actor, id: number) {
  assertCan(actor, 'ledger.read');
  const r = await repo.findResident(ctx.db, id, actor.regionPath);
  if (!r) throw notFound();
  const [hh, history] = await Promise.all([
    repo.findHousehold(ctx.db, r.householdId, actor.regionPath),
    repo.colourHistory(ctx.db, id),
  ]);
  return {
    ...presentResident(r, actor, ctx.clock.now()),
    household: hh && {
      id: hh.id,
      address: hh.address,
      houseNumber: hh.houseNumber,
      gridName: hh.gridName,
      place: await gridPlace(ctx.db, hh.gridPath),
      colour: hh.colour,
    },
    colourHistory: history.map((h) => ({
      at: h.at,
      actorName: h.actorName,
      from: h.fromColour,
      to: h.toColour,
      source: h.source,
      score: h.score,
      reason: h.reason,
    })),
  };
}

/**
 * Shows one resident's full ID number or phones; the reveal itself is audited with its reason.
 * @throws forbidden | not_found
 */
export async function revealResident(
  ctx: Ctx,
  actor: Actor,
  id: number,
  field: 'idNumber' | 'phones',
  reason?: string,
): Promise<{ idNumber?: string | null; phones?: string[] }> {
  assertCan(actor, 'pii.reveal');
  return ctx.db.transaction(async (tx) => {
    const r = await repo.findResident(tx, id, actor.regionPath);
    if (!r) throw notFound();
    await audit(tx, ctx.clock, actor, {
      action: 'resident.reveal',
      targetType: 'resident',
      targetId: id,
      regionId: r.gridId,
      reason: reason?.trim() || null,
      after: { field },
    });
    return field === 'idNumber' ? { idNumber: r.idNumber } : { phones: r.phones };
  });
}

export type HouseholdRef = { id: number } | { gridId: number; address: string; houseNumber?: string | null };

/**
 * Adds a resident to an existing household or a new one at an address in a grid.
 * @throws forbidden | not_found | validation_failed | ledger.resident_exists
 */
export async function createResident(
  ctx: Ctx,
  actor: Actor,
  input: ResidentInput & { household: HouseholdRef },
): Promise<ResidentView> {
  assertCan(actor, 'ledger.write');
  return ctx.db.transaction(async (tx) => {
    const hh = await resolveHousehold(ctx, tx, actor, input.household);
    const county = await countyRules(tx, hh.countyCode);
    const fields = checked(input, county.active, ctx.clock.now());
    if (fields.idNumber) await assertNewIdNumber(tx, actor, fields.idNumber);
    const { colour, score } = evaluate(county, fields, ctx.clock.now());
    const row = await repo.insertResident(tx, {
      ...fields,
      categories: fields.categories.filter((c) => c !== 'elderly'),
      countyCode: hh.countyCode,
      householdId: hh.id,
      gridId: hh.gridId,
      colour,
      colourScore: score,
      createdAt: ctx.clock.now(),
      updatedAt: ctx.clock.now(),
    });
    await repo.insertColourChanges(tx, [
      colourEvent(ctx, actor, row, null, colour, 'rule', score, county.ruleName),
    ]);
    await repo.refreshHouseholdColours(tx, [hh.id]);
    await audit(tx, ctx.clock, actor, {
      action: 'resident.create',
      targetType: 'resident',
      targetId: row.id,
      regionId: row.gridId,
      after: auditable(row),
    });
    return presentResident(row, actor, ctx.clock.now());
  });
}

export type ResidentPatch = Partial<ResidentInput> & {
  householdId?: number;
  status?: repo.ResidentRow['status'];
};

/**
 * Edits a resident with the same checks as creation; the colour is evaluated again and any change
 * is kept in the history. Moving to another household (even another county) keeps the history.
 * @throws forbidden | not_found | validation_failed | ledger.resident_exists
 */
export async function updateResident(
  ctx: Ctx,
  actor: Actor,
  id: number,
  patch: ResidentPatch,
): Promise<ResidentView> {
  assertCan(actor, 'ledger.write');
  return ctx.db.transaction(async (tx) => {
    const before = await repo.findResident(tx, id, actor.regionPath);
    if (!before) throw notFound();
    const hh =
      patch.householdId && patch.householdId !== before.householdId
        ? await resolveHousehold(ctx, tx, actor, { id: patch.householdId })
        : { id: before.householdId, gridId: before.gridId, countyCode: before.countyCode };
    const county = await countyRules(tx, hh.countyCode);
    const merged: ResidentInput = {
      name: before.name,
      idNumber: before.idNumber,
      sex: before.sex,
      birthDate: before.birthDate,
      phones: before.phones,
      categories: before.categories,
      conditions: before.conditions,
      vaccination: before.vaccination,
      pregnancyDueDate: before.pregnancyDueDate,
      medication: before.medication,
      notes: before.notes,
      ...patch,
    };
    // A changed ID number re-derives sex and birth date unless they were given too.
    if (patch.idNumber !== undefined && patch.idNumber !== before.idNumber) {
      if (patch.sex === undefined) merged.sex = null;
      if (patch.birthDate === undefined) merged.birthDate = null;
    }
    // A retired category stays with whoever already carries it; nobody new may be given it.
    const allowed = new Set([...county.active, ...before.categories.filter((c) => county.categories.has(c))]);
    const fields = checked(merged, allowed, ctx.clock.now());
    if (fields.idNumber && fields.idNumber !== before.idNumber)
      await assertNewIdNumber(tx, actor, fields.idNumber);
    const { colour, score } = evaluate(county, fields, ctx.clock.now(), before.colourOverride);
    const values = {
      ...fields,
      categories: fields.categories.filter((c) => c !== 'elderly'),
      status: patch.status ?? before.status,
      householdId: hh.id,
      gridId: hh.gridId,
      countyCode: hh.countyCode,
      colour,
      colourScore: score,
      updatedAt: ctx.clock.now(),
    };
    await repo.updateResident(tx, id, values);
    if (colour !== before.colour) {
      await repo.insertColourChanges(tx, [
        colourEvent(ctx, actor, before, before.colour, colour, 'rule', score, county.ruleName),
      ]);
    }
    await repo.refreshHouseholdColours(tx, [...new Set([before.householdId, hh.id])]);
    const after = { ...before, ...values };
    await audit(tx, ctx.clock, actor, {
      action: 'resident.update',
      targetType: 'resident',
      targetId: id,
      regionId: after.gridId,
      before: auditable(before),
      after: auditable(after),
    });
    return presentResident(after, actor, ctx.clock.now());
  });
}

/**
 * Sets (or, with colour null, lifts) a hand-made colour with a reason; kept in the history.
 * @throws forbidden | not_found | validation_failed (reason missing)
 */
export async function overrideColour(
  ctx: Ctx,
  actor: Actor,
  id: number,
  input: { colour: Colour | null; reason: string },
): Promise<ResidentView> {
  assertCan(actor, 'ledger.colour_override');
  const reason = input.reason.trim();
  if (!reason) throw invalid([{ path: '/reason', code: 'required' }]);
  return ctx.db.transaction(async (tx) => {
    const before = await repo.findResident(tx, id, actor.regionPath);
    if (!before) throw notFound();
    const county = await countyRules(tx, before.countyCode);
    const ruled = evaluate(county, before, ctx.clock.now());
    const colour = input.colour ?? ruled.colour;
    await repo.updateResident(tx, id, {
      colour,
      colourScore: ruled.score,
      colourOverride: input.colour,
      colourOverrideReason: input.colour ? reason : null,
      updatedAt: ctx.clock.now(),
    });
    await repo.insertColourChanges(tx, [
      colourEvent(
        ctx,
        actor,
        before,
        before.colour,
        colour,
        input.colour ? 'override' : 'override_lifted',
        ruled.score,
        reason,
      ),
    ]);
    await repo.refreshHouseholdColours(tx, [before.householdId]);
    await audit(tx, ctx.clock, actor, {
      action: input.colour ? 'resident.colour_override' : 'resident.colour_override_lifted',
      targetType: 'resident',
      targetId: id,
      regionId: before.gridId,
      reason,
      before: { colour: before.colour, override: before.colourOverride },
      after: { colour, override: input.colour },
    });
    return presentResident(
      { ...before, colour, colourOverride: input.colour, colourOverrideReason: input.colour ? reason : null },
      actor,
      ctx.clock.now(),
    );
  });
}

function checked(input: ResidentInput, categories: ReadonlySet<string>, now: Date): ResidentFields {
  const r = checkResident(input, categories, now);
  if (!r.ok) throw invalid(r.errors);
  return r.value;
}

/** The rule's colour and score; an override, when one stands, decides the colour. */
export function evaluate(
  county: CountyRules,
  fields: Pick<ResidentFields, 'birthDate' | 'conditions' | 'vaccination' | 'categories'>,
  now: Date,
  override?: Colour | null,
): { colour: Colour; score: number } {
  const r = scoreColour(county.rules, colourInputsOf(fields, now));
  return { colour: override ?? r.colour, score: r.score };
}

async function assertNewIdNumber(ex: Executor, actor: Actor, idNumber: string): Promise<void> {
  const existing = await repo.findResidentByIdNumber(ex, idNumber);
  if (!existing) return;
  const visible = existing.gridPath.startsWith(actor.regionPath);
  throw new DomainError('ledger.resident_exists', {
    where: visible ? `#${existing.id} ${existing.name}` : '—',
  });
}

async function resolveHousehold(ctx: Ctx, tx: Executor, actor: Actor, ref: HouseholdRef) {
  if ('id' in ref) {
    const hh = await repo.findHousehold(tx, ref.id, actor.regionPath);
    if (!hh) throw notFound();
    return hh;
  }
  const grid = await regionInScope(tx, actor, ref.gridId);
  if (!grid) throw notFound();
  if (grid.level !== 'grid') throw invalid([{ path: '/household/gridId', code: 'format' }]);
  const address = ref.address.trim().replace(/\s+/g, ' ');
  if (!address) throw invalid([{ path: '/household/address', code: 'required' }]);
  const existing = await repo.findHouseholdByAddress(tx, grid.id, address);
  if (existing) return existing;
  const hh = await repo.insertHousehold(tx, {
    countyCode: grid.countyCode!,
    gridId: grid.id,
    address,
    houseNumber: ref.houseNumber?.trim() || null,
    createdAt: ctx.clock.now(),
    updatedAt: ctx.clock.now(),
  });
  await audit(tx, ctx.clock, actor, {
    action: 'household.create',
    targetType: 'household',
    targetId: hh.id,
    regionId: grid.id,
    after: { address, gridId: grid.id },
  });
  return hh;
}

export function colourEvent(
  ctx: Ctx,
  actor: Actor,
  r: Pick<repo.ResidentRow, 'id' | 'countyCode'>,
  from: Colour | null,
  to: Colour,
  source: string,
  score: number,
  reason: string,
) {
  return {
    countyCode: r.countyCode,
    residentId: r.id,
    at: ctx.clock.now(),
    actorId: actor.accountId,
    actorName: actor.displayName,
    fromColour: from,
    toColour: to,
    source,
    score,
    reason,
  };
}

/** What the audit trail keeps of a resident: no ID number or phones in clear. */
function auditable(r: repo.ResidentRow) {
  return {
    name: r.name,
    idNumber: r.idNumber ? maskIdNumber(r.idNumber) : null,
    phones: r.phones.map(maskPhone),
    householdId: r.householdId,
    categories: r.categories,
    conditions: r.conditions,
    vaccination: r.vaccination,
    status: r.status,
    colour: r.colour,
  };
}

/** For other features: the categories that make a resident a key person in a county. */
export async function keyCategories(ex: Executor, countyCode: string): Promise<string[]> {
  return (await repo.categoriesFor(ex, countyCode)).filter((c) => c.key).map((c) => c.code);
}

/** For other features: a resident by id inside the actor's subtree (no capability check). */
export async function residentInScope(ex: Executor, actor: Actor, id: number) {
  return repo.findResident(ex, id, actor.regionPath);
}

// Writing checked ledger rows a chunk at a time: each person matched to the ledger (by ID number,
// else by name within the household), each household found or created (with its colour known up
// front, so it is written once), new people inserted, existing ones updated — moved to the file's
// household with their history — and every colour recorded.
import type { Executor } from '../../db/engine.ts';
import type { Actor } from '../../platform/access.ts';
import type { FieldError } from '../../platform/errors.ts';
import type { Pacer } from '../../platform/pacer.ts';
import { COLOUR_RANK, type Colour } from '../colour.ts';
import type { ResidentFields } from '../rules.ts';
import { evaluate, type CountyRules } from '../service.ts';
import { markingOutcome, type LedgerRow } from './rows.ts';
import * as sqlRepo from './repo.ts';

export const MARKED_REASON = '导入标记 / marked in import';

export interface WriterOptions {
  actor: Actor;
  /** false for a dry run: read what is needed to judge the rows, write nothing. */
  write: boolean;
  /**
   * The resident table held nobody when the import began and nobody else can add to it meanwhile
   * (an initial load locks it): nobody is looked up by ID number, and households are not looked
   * up before they are inserted (one that exists already is found when its insert conflicts).
   */
  emptyLedger?: boolean;
  mayOverride: boolean;
  rulesOf: (countyCode: string) => CountyRules;
  now: Date;
  /** The header texts of the ID number and colour columns, for messages. */
  idColumn: string;
  colourColumn: string;
  /** Gives the event loop its turns while a chunk is planned on the main thread. */
  pacer: Pacer;
}

interface KnownHousehold {
  id: number;
  /** Created by this import: its colour is the worst of the rows seen so far (others are refreshed). */
  colour: Colour | null;
}

interface Planned {
  r: LedgerRow;
  row: sqlRepo.ResidentRecord;
  existing?: sqlRepo.Existing;
  rule: Colour;
  override: Colour | null;
}

/** A household by where it is: county, grid, address. */
type HouseholdAt = Pick<sqlRepo.HouseholdKey, 'c' | 'g' | 'a'>;

const householdKey = (gridId: number, address: string) => `${gridId}|${address}`;
const nameKey = (householdId: number, name: string) => `${householdId}|${name}`;
const worse = (a: Colour | null, b: Colour): Colour => (a && COLOUR_RANK[a] >= COLOUR_RANK[b] ? a : b);

const COLOURS: (Colour | null)[] = [null, 'green', 'yellow', 'red'];

/**
 * Every household the import has met, by grid and address: an initial load meets tens of
 * thousands, kept as one number each (id and colour) in a map per grid, a third of the heap that
 * a map of `grid|address` keys to objects took.
 */
class KnownHouseholds {
  private byGrid = new Map<number, Map<string, number>>();

  has(gridId: number, address: string): boolean {
    return this.byGrid.get(gridId)?.has(address) ?? false;
  }

  get(gridId: number, address: string): KnownHousehold | undefined {
    const v = this.byGrid.get(gridId)?.get(address);
    if (v === undefined) return undefined;
    const id = Math.floor(v / 4);
    return { id, colour: COLOURS[v - id * 4]! };
  }

  set(gridId: number, address: string, h: KnownHousehold): void {
    let grid = this.byGrid.get(gridId);
    if (!grid) this.byGrid.set(gridId, (grid = new Map()));
    grid.set(address, h.id * 4 + COLOURS.indexOf(h.colour));
  }
}

export class Writer {
  imported = 0;
  updated = 0;
  householdsCreated = 0;
  private households = new KnownHouseholds();
  private fakeIds = 0;
  /** Resident ids reserved and not yet given (an initial load draws them in blocks). */
  private ids = { next: 0, end: 0 };

  constructor(
    private ex: Executor,
    private o: WriterOptions,
  ) {}

  /**
   * Judges a chunk against the database and, when `write` (and not a dry run), writes it. Rows
   * that turn out bad (a person in another region's ledger) come back as errors.
   */
  async flush(rows: LedgerRow[], write: boolean): Promise<{ errors: FieldError[]; warnings: FieldError[] }> {
    const errors: FieldError[] = [];
    const warnings: FieldError[] = [];
    const ids = this.o.emptyLedger ? [] : rows.flatMap((r) => (r.fields.idNumber ? [r.fields.idNumber] : []));
    const byId = new Map((await sqlRepo.residentsByIdNumbers(this.ex, ids)).map((e) => [e.idNumber!, e]));
    const ok = rows.filter((r) => {
      const e = r.fields.idNumber ? byId.get(r.fields.idNumber) : undefined;
      if (!e || e.gridPath.startsWith(this.o.actor.regionPath)) return true;
      errors.push({ row: r.row, path: this.o.idColumn, code: 'resident_elsewhere' });
      return false;
    });
    if (!this.o.emptyLedger)
      await this.findHouseholds(ok.map((r) => ({ c: r.grid.countyCode, g: r.grid.id, a: r.address })));
    const byName = await this.withoutId(ok, byId);
    const plans: Planned[] = [];
    for (const r of ok) {
      const hh = this.households.get(r.grid.id, r.address);
      const existing =
        (r.fields.idNumber && byId.get(r.fields.idNumber)) ||
        (hh && byName.get(nameKey(hh.id, r.fields.name)));
      const mark = markingOutcome(r, existing ? existing.colour : null, this.o.mayOverride);
      if (mark.warning) warnings.push({ ...mark.warning, path: this.o.colourColumn });
      plans.push(existing ? this.merged(r, existing, mark.override) : this.fresh(r, mark.override));
      if (this.o.pacer.due) await this.o.pacer.turn();
    }
    const doWrite = write && this.o.write;
    const touched = await this.placeHouseholds(plans, doWrite);
    const fresh = plans.filter((p) => !p.existing);
    const changed = plans.filter((p) => p.existing);
    this.imported += fresh.length;
    this.updated += changed.length;
    if (!doWrite) return { errors, warnings };
    await this.writeResidents(fresh, changed);
    await sqlRepo.occupy(this.ex, touched, this.o.now);
    await sqlRepo.refreshHouseholdColours(this.ex, touched);
    return { errors, warnings };
  }

  private async writeResidents(fresh: Planned[], changed: Planned[]): Promise<void> {
    const events: sqlRepo.ColourChangeRecord[] = [];
    const ids = await this.residentIds(fresh.length);
    fresh.forEach((p, i) => {
      p.row.id = ids[i]!;
      // As when a person is added by hand: the rule's colour first, then the marking over it.
      events.push(event({ ...p.row, colour: p.rule }, null, 'rule', this.ruleName(p.r)));
      if (p.override) events.push(event(p.row, p.rule, 'override', MARKED_REASON));
    });
    for (const p of changed) {
      const before = p.existing!.colour;
      if (p.row.colour !== before)
        events.push(
          event(
            p.row,
            before,
            p.override ? 'override' : 'rule',
            p.override ? MARKED_REASON : this.ruleName(p.r),
          ),
        );
    }
    await sqlRepo.insertResidents(
      this.ex,
      fresh.map((p) => p.row),
      this.o.now,
    );
    await sqlRepo.updateResidents(
      this.ex,
      changed.map((p) => p.row),
      this.o.now,
    );
    const actor = { id: this.o.actor.accountId, name: this.o.actor.displayName };
    await sqlRepo.insertColourChanges(this.ex, events, this.o.now, actor);
  }

  /** New residents' ids: drawn per chunk, or on a locked, empty ledger from a block of 20,000. */
  private async residentIds(n: number): Promise<number[]> {
    if (!this.o.emptyLedger) return sqlRepo.nextResidentIds(this.ex, n);
    if (this.ids.end - this.ids.next < n) {
      const size = Math.max(n, 20_000);
      this.ids.next = await sqlRepo.reserveResidentIds(this.ex, size);
      this.ids.end = this.ids.next + size;
    }
    const first = this.ids.next;
    this.ids.next += n;
    return Array.from({ length: n }, (_, i) => first + i);
  }

  private ruleName(r: LedgerRow): string {
    return this.o.rulesOf(r.grid.countyCode).ruleName;
  }

  /** Learns the ids of those households (county, grid, address) that exist and it does not know yet. */
  private async findHouseholds(keys: HouseholdAt[]): Promise<void> {
    const wanted = new Map<string, HouseholdAt>();
    for (const k of keys)
      if (!this.households.has(k.g, k.a) && k.g > 0) wanted.set(householdKey(k.g, k.a), k);
    for (const h of await sqlRepo.findHouseholds(this.ex, [...wanted.values()]))
      this.households.set(Number(h.grid_id), h.address, { id: Number(h.id), colour: null });
  }

  /**
   * Gives every plan its household: new households are created with the worst colour of their rows
   * (or imagined, in a dry run). Returns the households whose colour the database must work out.
   */
  private async placeHouseholds(plans: Planned[], write: boolean): Promise<number[]> {
    const fresh = new Map<string, sqlRepo.HouseholdKey>();
    const raised = new Map<number, Colour>();
    const refresh = new Set<number>();
    for (const { r, row, existing } of plans) {
      const k = householdKey(r.grid.id, r.address);
      const known = this.households.get(r.grid.id, r.address);
      if (existing && existing.householdId > 0) refresh.add(existing.householdId);
      if (!known) {
        const f = fresh.get(k);
        if (f) f.col = worse(f.col, row.colour);
        else
          fresh.set(k, {
            c: r.grid.countyCode,
            g: r.grid.id,
            a: r.address,
            n: r.houseNumber,
            col: row.colour,
          });
      } else if (known.colour === null) refresh.add(known.id);
      else if (worse(known.colour, row.colour) !== known.colour) {
        this.households.set(r.grid.id, r.address, { id: known.id, colour: row.colour });
        raised.set(known.id, row.colour);
      }
    }
    const keys = [...fresh.values()];
    if (write) {
      for (const h of await sqlRepo.insertHouseholds(this.ex, keys, this.o.now)) {
        const k = householdKey(Number(h.grid_id), h.address);
        this.households.set(Number(h.grid_id), h.address, { id: Number(h.id), colour: fresh.get(k)!.col });
        // A file that takes its households from every grid in turn fills every grid's map alike, and
        // V8 grows them alike: 642 grids' maps grew from 512 to 1,024 households in one chunk, a
        // 30–40 ms stretch here.
        if (this.o.pacer.due) await this.o.pacer.turn();
      }
      const lost = keys.filter((k) => !this.households.has(k.g, k.a));
      this.householdsCreated += keys.length - lost.length;
      // Already there (not looked up beforehand, or added by another session meanwhile): take it as it is.
      await this.findHouseholds(lost);
      for (const k of lost) refresh.add(this.households.get(k.g, k.a)!.id);
      await sqlRepo.setHouseholdColours(
        this.ex,
        [...raised].map(([id, col]) => ({ id, col })),
      );
    } else {
      this.householdsCreated += keys.length;
      for (const k of keys) {
        this.households.set(k.g, k.a, { id: --this.fakeIds, colour: k.col });
        if (this.o.pacer.due) await this.o.pacer.turn();
      }
    }
    for (const p of plans) p.row.household_id = this.households.get(p.r.grid.id, p.r.address)!.id;
    return [...refresh];
  }

  /** People the ledger holds without an ID number, in the chunk's existing households, by name. */
  private async withoutId(rows: LedgerRow[], byId: Map<string, sqlRepo.Existing>) {
    const ids = new Set<number>();
    for (const r of rows) {
      if (r.fields.idNumber && byId.has(r.fields.idNumber)) continue;
      const hh = this.households.get(r.grid.id, r.address);
      if (hh && hh.colour === null) ids.add(hh.id);
    }
    const out = new Map<string, sqlRepo.Existing>();
    for (const e of await sqlRepo.residentsWithoutId(this.ex, [...ids])) {
      const k = nameKey(e.householdId, e.name);
      if (!out.has(k)) out.set(k, e);
    }
    return out;
  }

  private fresh(r: LedgerRow, override: Colour | null): Planned {
    return { r, row: record(r, 0, r.fields, r.colour, r.score, override), rule: r.colour, override };
  }

  /** The existing resident with the file's values over the fields it gave, coloured again. */
  private merged(r: LedgerRow, e: sqlRepo.Existing, marked: Colour | null): Planned {
    const fields: ResidentFields = {
      name: e.name,
      idNumber: e.idNumber,
      sex: e.sex,
      birthDate: e.birthDate,
      phones: e.phones,
      categories: e.categories,
      conditions: e.conditions,
      vaccination: e.vaccination,
      pregnancyDueDate: e.pregnancyDueDate,
      medication: e.medication,
      notes: e.notes,
    };
    const target = fields as unknown as Record<string, unknown>;
    for (const k of r.present) target[k] = r.fields[k];
    if (fields.pregnancyDueDate && !fields.categories.includes('pregnant'))
      fields.categories = [...fields.categories, 'pregnant'];
    const rules = this.o.rulesOf(r.grid.countyCode);
    // A sheet cannot name a retired category, so the ones the person carries stay with them.
    const retired = e.categories.filter(
      (c) => rules.categories.has(c) && !rules.active.has(c) && !fields.categories.includes(c),
    );
    if (retired.length) fields.categories = [...fields.categories, ...retired];
    const override = marked ?? e.colourOverride;
    const { colour, score } = evaluate(rules, fields, this.o.now, override);
    const row = record(r, e.id, fields, colour, score, override);
    row.colour_override_reason = marked ? MARKED_REASON : e.colourOverrideReason;
    row.status = e.status === 'moved_out' ? 'active' : e.status;
    return { r, row, existing: e, rule: evaluate(rules, fields, this.o.now).colour, override: marked };
  }
}

function record(
  r: LedgerRow,
  id: number,
  f: ResidentFields,
  colour: Colour,
  score: number,
  override: Colour | null,
): sqlRepo.ResidentRecord {
  return {
    id,
    county_code: r.grid.countyCode,
    household_id: 0,
    grid_id: r.grid.id,
    name: f.name,
    id_number: f.idNumber,
    sex: f.sex,
    birth_date: f.birthDate,
    phones: f.phones,
    categories: f.categories.filter((c) => c !== 'elderly'),
    conditions: f.conditions,
    vaccination: f.vaccination,
    pregnancy_due_date: f.pregnancyDueDate,
    medication: f.medication,
    notes: f.notes,
    status: 'active',
    colour: override ?? colour,
    colour_score: score,
    colour_override: override,
    colour_override_reason: override ? MARKED_REASON : null,
  };
}

function event(
  row: Pick<sqlRepo.ResidentRecord, 'id' | 'county_code' | 'colour' | 'colour_score'>,
  from: Colour | null,
  source: string,
  reason: string,
): sqlRepo.ColourChangeRecord {
  return {
    c: row.county_code,
    r: row.id,
    f: from,
    t: row.colour,
    s: source,
    n: row.colour_score,
    why: reason,
  };
}

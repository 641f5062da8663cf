// Writing checked ledger rows a chunk at a time: each row's household found or created, each person
// matched to the ledger (by ID number, else by name within the household), new ones inserted,
// existing ones updated (moved to the file's household with their history), colours recorded.
import type { Executor } from '../../db/engine.ts';
import type { Actor } from '../../platform/access.ts';
import type { FieldError } from '../../platform/errors.ts';
import type { Colour } from '../colour.ts';
import type { ResidentFields } from '../rules.ts';
import { evaluate, type CountyRules } from '../service.ts';
import { markingOutcome, type LedgerRow } from './rows.ts';
import * as sqlRepo from './repo.ts';

export const MARKED_REASON = '导入标记 / marked in import';

export interface WriterOptions {
  actor: Actor;
  /** false for a dry run: read what is needed to judge the rows, write nothing. */
  write: boolean;
  mayOverride: boolean;
  rulesOf: (countyCode: string) => CountyRules;
  now: Date;
  /** The header texts of the ID number and colour columns, for messages. */
  idColumn: string;
  colourColumn: string;
}

const householdKey = (gridId: number, address: string) => `${gridId}|${address}`;

export class Writer {
  imported = 0;
  updated = 0;
  householdsCreated = 0;
  private households = new Map<string, number>();
  private fakeIds = 0;

  constructor(
    private ex: Executor,
    private o: WriterOptions,
  ) {}

  /**
   * Judges a chunk against the database and, when writing, writes it. Rows that turn out bad (a
   * person in another region's ledger) come back as errors; `write` false skips the writes.
   */
  async flush(rows: LedgerRow[], write: boolean): Promise<{ errors: FieldError[]; warnings: FieldError[] }> {
    const errors: FieldError[] = [];
    const warnings: FieldError[] = [];
    const byId = new Map(
      (
        await sqlRepo.residentsByIdNumbers(
          this.ex,
          rows.flatMap((r) => (r.fields.idNumber ? [r.fields.idNumber] : [])),
        )
      ).map((e) => [e.idNumber!, e]),
    );
    const ok = rows.filter((r) => {
      const e = r.fields.idNumber ? byId.get(r.fields.idNumber) : undefined;
      if (!e || e.gridPath.startsWith(this.o.actor.regionPath)) return true;
      errors.push({ row: r.row, path: this.o.idColumn, code: 'resident_elsewhere' });
      return false;
    });
    const doWrite = write && this.o.write;
    await this.households_(ok, doWrite);
    const byName = await this.withoutId(ok, byId);

    const fresh: { row: sqlRepo.ResidentJson; rule: Colour; why: string }[] = [];
    const changed: sqlRepo.ResidentJson[] = [];
    const events: sqlRepo.ColourChangeJson[] = [];
    const touched = new Set<number>();
    for (const r of ok) {
      const householdId = this.households.get(householdKey(r.grid.id, r.address))!;
      touched.add(householdId);
      const existing = (r.fields.idNumber && byId.get(r.fields.idNumber)) || byName.get(nameKey(r));
      const current = existing ? existing.colour : null;
      const mark = markingOutcome(r, current, this.o.mayOverride);
      if (mark.warning) warnings.push({ ...mark.warning, path: this.o.colourColumn });
      if (existing) {
        touched.add(existing.householdId);
        const row = this.merged(r, existing, householdId, mark.override);
        changed.push(row);
        if (row.colour !== existing.colour)
          events.push(event(row, existing.colour, mark.override ? 'override' : 'rule', this.ruleName(r)));
      } else {
        const row = json(r, 0, householdId, r.fields, r.colour, r.score, mark.override);
        fresh.push({ row, rule: r.colour, why: this.ruleName(r) });
      }
    }
    this.imported += fresh.length;
    this.updated += changed.length;
    if (!doWrite) return { errors, warnings };

    const ids = await sqlRepo.nextResidentIds(this.ex, fresh.length);
    fresh.forEach(({ row, rule, why }, i) => {
      row.id = ids[i]!;
      // As when a person is added by hand: the rule's colour first, then the marking over it.
      events.push(event({ ...row, colour: rule }, null, 'rule', why));
      if (row.colour_override) events.push(event(row, rule, 'override', MARKED_REASON));
    });
    await sqlRepo.insertResidents(
      this.ex,
      fresh.map((f) => f.row),
      this.o.now,
    );
    await sqlRepo.updateResidents(this.ex, changed, this.o.now);
    const actor = { id: this.o.actor.accountId, name: this.o.actor.displayName };
    await sqlRepo.insertColourChanges(this.ex, events, this.o.now, actor);
    await sqlRepo.refreshHouseholdColours(this.ex, [...touched].filter((id) => id > 0));
    return { errors, warnings };
  }

  private ruleName(r: LedgerRow): string {
    return this.o.rulesOf(r.grid.countyCode).ruleName;
  }

  /** Every row's household id: found or created when writing, found or imagined in a dry run. */
  private async households_(rows: LedgerRow[], write: boolean): Promise<void> {
    const wanted = new Map<string, sqlRepo.HouseholdKey>();
    for (const r of rows) {
      const k = householdKey(r.grid.id, r.address);
      if (!this.households.has(k) && !wanted.has(k))
        wanted.set(k, { c: r.grid.countyCode, g: r.grid.id, a: r.address, n: r.houseNumber });
    }
    const keys = [...wanted.values()];
    if (write) {
      for (const h of await sqlRepo.upsertHouseholds(this.ex, keys, this.o.now)) {
        this.households.set(householdKey(Number(h.grid_id), h.address), Number(h.id));
        if (h.inserted) this.householdsCreated++;
      }
      return;
    }
    const real = keys.filter((k) => k.g > 0);
    for (const h of await sqlRepo.findHouseholds(this.ex, real))
      this.households.set(householdKey(Number(h.grid_id), h.address), Number(h.id));
    for (const k of keys) {
      const key = householdKey(k.g, k.a);
      if (!this.households.has(key)) {
        this.households.set(key, --this.fakeIds);
        this.householdsCreated++;
      }
    }
  }

  /** People the ledger holds without an ID number, by household and name. */
  private async withoutId(rows: LedgerRow[], byId: Map<string, sqlRepo.Existing>) {
    const keys = new Map<string, { g: number; a: string }>();
    for (const r of rows) {
      if (r.fields.idNumber && byId.has(r.fields.idNumber)) continue;
      const id = this.households.get(householdKey(r.grid.id, r.address));
      if (id !== undefined && id > 0) keys.set(householdKey(r.grid.id, r.address), { g: r.grid.id, a: r.address });
    }
    const found = await sqlRepo.residentsWithoutId(this.ex, [...keys.values()]);
    const out = new Map<string, sqlRepo.Existing>();
    for (const e of found) {
      const k = `${e.gridId}|${e.address}|${e.name}`;
      if (!out.has(k)) out.set(k, e);
    }
    return out;
  }

  /** The existing resident with the file's values over the fields it gave, coloured again. */
  private merged(r: LedgerRow, e: sqlRepo.Existing, householdId: number, marked: Colour | null) {
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
    const override = marked ?? e.colourOverride;
    const { colour, score } = evaluate(this.o.rulesOf(r.grid.countyCode), fields, this.o.now, override);
    const row = json(r, e.id, householdId, fields, colour, score, override);
    row.colour_override_reason = marked ? MARKED_REASON : e.colourOverrideReason;
    row.status = e.status === 'moved_out' ? 'active' : e.status;
    return row;
  }
}

const nameKey = (r: LedgerRow) => `${r.grid.id}|${r.address}|${r.fields.name}`;

function json(
  r: LedgerRow,
  id: number,
  householdId: number,
  f: ResidentFields,
  colour: Colour,
  score: number,
  override: Colour | null,
): sqlRepo.ResidentJson {
  return {
    id,
    county_code: r.grid.countyCode,
    household_id: householdId,
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
  row: Pick<sqlRepo.ResidentJson, 'id' | 'county_code' | 'colour' | 'colour_score'>,
  from: Colour | null,
  source: string,
  reason: string,
): sqlRepo.ColourChangeJson {
  return { c: row.county_code, r: row.id, f: from, t: row.colour, s: source, n: row.colour_score, why: reason };
}

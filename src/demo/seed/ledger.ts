// Stores the demo ledger in bulk in the caller's transaction: households, residents, the colour_change
// row of each first colour, and the door-to-door surveys with each household's last survey date.
import type { Executor } from '../../db/engine.ts';
import { colourChange, household, resident, survey } from '../../ledger/schema.ts';
import type { DemoHousehold } from '../people.ts';
import { insertAll, must, reserveIds } from './bulk.ts';

const DAY = 86_400_000;
/** When the ledger was first entered: the first door-to-door sweep, before any survey on record. */
export const LEDGER_AGE_DAYS = 150;

export interface StoredHousehold {
  id: number;
  gridId: number;
  residentIds: number[];
}

export interface LedgerOptions {
  regionIds: ReadonlyMap<string, number>;
  now: Date;
  /** The ruleset name@version the colours were evaluated with. */
  ruleName: string;
  /** Who knocked on the doors of a grid (its grid leader). */
  surveyor: (gridCode: string) => string | null;
}

/** Inserts every household and resident; returns their ids in the order given. */
export async function storeLedger(
  ex: Executor,
  households: DemoHousehold[],
  o: LedgerOptions,
): Promise<StoredHousehold[]> {
  const entered = new Date(o.now.getTime() - LEDGER_AGE_DAYS * DAY);
  const total = households.reduce((n, h) => n + h.residents.length, 0);
  const [householdIds, residentIds] = await Promise.all([
    reserveIds(ex, 'household', households.length),
    reserveIds(ex, 'resident', total),
  ]);
  const stored: StoredHousehold[] = [];
  const householdRows: (typeof household.$inferInsert)[] = [];
  const residentRows: (typeof resident.$inferInsert)[] = [];
  const changes: (typeof colourChange.$inferInsert)[] = [];
  const surveys: (typeof survey.$inferInsert)[] = [];
  let next = 0;
  households.forEach((h, i) => {
    const id = householdIds[i]!;
    const gridId = must(o.regionIds, h.gridCode, 'grid');
    const countyCode = h.gridCode.slice(0, 6);
    // A spread of hours, so a village's surveys do not all carry the same minute.
    const surveyedAt =
      h.surveyedDaysAgo === null
        ? null
        : new Date(o.now.getTime() - h.surveyedDaysAgo * DAY - ((i * 7919) % 600) * 60_000);
    householdRows.push({
      id,
      countyCode,
      gridId,
      address: h.address,
      status: 'occupied',
      colour: h.colour,
      lastSurveyedAt: surveyedAt,
      createdAt: entered,
      updatedAt: surveyedAt ?? entered,
    });
    const ids: number[] = [];
    for (const p of h.residents) {
      const rid = residentIds[next++]!;
      ids.push(rid);
      residentRows.push({
        id: rid,
        countyCode,
        householdId: id,
        gridId,
        name: p.name,
        idNumber: p.idNumber,
        sex: p.sex,
        birthDate: p.birthDate,
        phones: p.phones,
        categories: p.categories,
        conditions: p.conditions,
        vaccination: p.vaccination,
        pregnancyDueDate: p.pregnancyDueDate,
        medication: p.medication,
        notes: p.notes,
        status: 'active',
        colour: p.colour,
        colourScore: p.colourScore,
        createdAt: entered,
        updatedAt: entered,
      });
      changes.push({
        countyCode,
        residentId: rid,
        at: entered,
        actorId: null,
        actorName: '演示数据',
        fromColour: null,
        toColour: p.colour,
        source: 'rule',
        score: p.colourScore,
        reason: o.ruleName,
      });
    }
    if (surveyedAt) {
      surveys.push({
        countyCode,
        householdId: id,
        at: surveyedAt,
        surveyorId: null,
        surveyorName: o.surveyor(h.gridCode),
        membersConfirmed: h.residents.length,
        colour: h.colour,
        note: i % 5 === 0 ? SURVEY_NOTES[(i / 5) % SURVEY_NOTES.length]! : null,
      });
    }
    stored.push({ id, gridId, residentIds: ids });
  });
  await insertAll(ex, household, householdRows);
  await insertAll(ex, resident, residentRows);
  await insertAll(ex, colourChange, changes);
  await insertAll(ex, survey, surveys);
  return stored;
}

const SURVEY_NOTES = [
  '已上门，发放健康包和明白纸',
  '老人状况稳定，已测体温血氧',
  '已核对家庭成员',
  '子女不在家，已留联系卡',
  '已提醒按时服药',
];

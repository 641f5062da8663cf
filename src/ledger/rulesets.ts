// A county's colour rules (三色规则) as data: read them, preview how many residents a change would
// move, and save — which re-colours every resident of the county in the same transaction.
import type { Executor } from '../db/engine.ts';
import { assertCan, type Actor } from '../platform/access.ts';
import { audit } from '../platform/audit/service.ts';
import type { Ctx } from '../platform/context.ts';
import { DomainError, notFound } from '../platform/errors.ts';
import { regionInScope } from '../regions/service.ts';
import { DEFAULT_RULESET, scoreColour, validateRuleset, type Colour, type ColourRuleset } from './colour.ts';
import * as repo from './repo.ts';
import { colourInputsOf } from './rules.ts';
import { colourEvent, countyRules } from './service.ts';

async function countyOf(ex: Executor, actor: Actor, regionId: number): Promise<string> {
  const node = await regionInScope(ex, actor, regionId);
  if (!node) throw notFound();
  if (!node.countyCode) throw new DomainError('ledger.rules_scope');
  return node.countyCode;
}

/** @throws forbidden | not_found | ledger.rules_scope (a region above county level) */
export async function getRules(ctx: Ctx, actor: Actor, regionId: number) {
  assertCan(actor, 'ledger.read');
  const countyCode = await countyOf(ctx.db, actor, regionId);
  const row = await repo.rulesetFor(ctx.db, countyCode);
  const county = await countyRules(ctx.db, countyCode);
  return { countyCode, isDefault: !row, rules: county.rules, defaults: DEFAULT_RULESET };
}

function parse(raw: unknown): ColourRuleset {
  const r = validateRuleset(raw);
  if (!r.ok) {
    throw new DomainError(
      'ledger.rules_invalid',
      {},
      r.errors.map((e) => ({ path: e.path, code: 'rules.invalid', message: e.message })),
    );
  }
  return r.rules;
}

type Move = { id: number; householdId: number; from: Colour; to: Colour; score: number };

async function movesUnder(
  ex: Executor,
  countyCode: string,
  rules: ColourRuleset,
  now: Date,
): Promise<Move[]> {
  const people = await repo.residentsForRules(ex, countyCode);
  const moves: Move[] = [];
  for (const p of people) {
    const r = scoreColour(rules, colourInputsOf(p, now));
    const to = p.colourOverride ?? r.colour; // an override stands whatever the rules say
    if (to !== p.colour || r.score !== p.colourScore) {
      moves.push({ id: p.id, householdId: p.householdId, from: p.colour, to, score: r.score });
    }
  }
  return moves;
}

/**
 * How many residents of the county the candidate rules would move, from which colour to which.
 * @throws forbidden | not_found | ledger.rules_invalid (with every problem's path)
 */
export async function previewRules(ctx: Ctx, actor: Actor, regionId: number, candidate: unknown) {
  assertCan(actor, 'ledger.rules');
  const rules = parse(candidate);
  const countyCode = await countyOf(ctx.db, actor, regionId);
  const moves = (await movesUnder(ctx.db, countyCode, rules, ctx.clock.now())).filter((m) => m.from !== m.to);
  return { countyCode, moved: moves.length, matrix: matrixOf(moves) };
}

/**
 * Saves the county's rules and re-colours its residents, each change kept in their history.
 * Only an account whose scope is the county or above may do it.
 * @throws forbidden | not_found | ledger.rules_scope | ledger.rules_invalid
 */
export async function saveRules(ctx: Ctx, actor: Actor, regionId: number, candidate: unknown) {
  assertCan(actor, 'ledger.rules');
  const rules = parse(candidate);
  return ctx.db.transaction(async (tx) => {
    const countyCode = await countyOf(tx, actor, regionId);
    const scope = actor.regionPath === '/' ? null : await regionInScope(tx, actor, actor.regionId);
    if (scope && !['province', 'city', 'county'].includes(scope.level))
      throw new DomainError('ledger.rules_scope');
    const before = await repo.rulesetFor(tx, countyCode);
    const version = (before?.version ?? 0) + 1;
    const stored = { ...rules, version };
    const now = ctx.clock.now();
    await repo.upsertRuleset(tx, {
      countyCode,
      rules: stored,
      version,
      updatedAt: now,
      updatedBy: actor.accountId,
    });
    const moves = await movesUnder(tx, countyCode, stored, now);
    await repo.setColours(
      tx,
      moves.map((m) => ({ id: m.id, colour: m.to, score: m.score })),
      now,
    );
    const changed = moves.filter((m) => m.from !== m.to);
    const ruleName = `${stored.name}@${version}`;
    await repo.insertColourChanges(
      tx,
      changed.map((m) =>
        colourEvent(ctx, actor, { id: m.id, countyCode }, m.from, m.to, 'rule', m.score, ruleName),
      ),
    );
    await repo.refreshHouseholdColours(tx, [...new Set(changed.map((m) => m.householdId))]);
    await audit(tx, ctx.clock, actor, {
      action: 'ledger.rules_save',
      targetType: 'colour_ruleset',
      targetId: countyCode,
      regionId,
      before: before?.rules ?? null,
      after: { rules: stored, moved: changed.length },
    });
    return { countyCode, version, moved: changed.length, matrix: matrixOf(changed) };
  });
}

function matrixOf(moves: Move[]): Record<Colour, Record<Colour, number>> {
  const row = (): Record<Colour, number> => ({ green: 0, yellow: 0, red: 0 });
  const m = { green: row(), yellow: row(), red: row() };
  for (const x of moves) m[x.from][x.to] += 1;
  return m;
}

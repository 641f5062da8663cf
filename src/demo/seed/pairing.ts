// Pairs a demo county with the real use cases: the county's hotline, then the automatic proposal
// confirmed by the county for every village but one, whose own proposal is left for an official.
import { sql } from 'drizzle-orm';
import type { Executor } from '../../db/engine.ts';
import { confirmProposal, proposePairings, updateSettings } from '../../pairing/service.ts';
import { systemActor } from '../../platform/access.ts';
import { ManualClock } from '../../platform/clock.ts';
import type { Ctx } from '../../platform/context.ts';
import { analyze } from './bulk.ts';

/** The number printed on every card (the county's 24-hour line; 12345 is the citizens' hotline). */
export const DEMO_HOTLINE = '0556-12345';
/** The first pairing was confirmed this long before today; a top-up today catches who became key since. */
export const PAIRED_DAYS_AGO = 30;

export interface Pairing {
  /** The proposal of the village left unconfirmed. */
  openProposalId: number | null;
}

/**
 * Proposes and confirms contacts for every key resident of the county except in `heldVillageId`,
 * then proposes for that village and leaves the proposal open.
 */
export async function pairCounty(ctx: Ctx, countyId: number, heldVillageId: number | null): Promise<Pairing> {
  const now = ctx.clock.now();
  const clock = new ManualClock(new Date(now.getTime() - PAIRED_DAYS_AGO * 86_400_000));
  const past: Ctx = { ...ctx, clock };
  const county = systemActor('县委组织部（演示数据）');
  await updateSettings(past, county, countyId, { hotline: DEMO_HOTLINE });
  for (const at of [past, ctx]) {
    const p = await proposePairings(at, county, countyId);
    await confirmProposal(at, county, p.id, await acceptedOutside(ctx.db, p.id, heldVillageId));
    // Thousands of new contacts: without fresh statistics the next proposal's plan crawls.
    await analyze(ctx.db, ['responsibility', 'pairing_proposal_item']);
  }
  if (heldVillageId === null) return { openProposalId: null };
  const open = await proposePairings(ctx, systemActor('乡镇干部（演示数据）'), heldVillageId);
  return { openProposalId: open.id };
}

/** The items of a proposal that name a member, except those for residents of the held village. */
async function acceptedOutside(ex: Executor, proposalId: number, heldVillageId: number | null) {
  const res = await ex.execute<{ id: number }>(sql`
    select i.id from pairing_proposal_item i
    join resident r on r.id = i.resident_id join region g on g.id = r.grid_id
    where i.proposal_id = ${proposalId} and i.member_id is not null
      and g.parent_id is distinct from ${heldVillageId}::bigint`);
  return res.rows.map((r) => Number(r.id));
}

// The connection card (党员+"家"连心卡): issuing cards with a random QR token stored only as a hash,
// reissuing (which revokes the old code), revoking, and resolving a scanned code to its resident.
import { createHash, randomBytes } from 'node:crypto';
import type { Executor } from '../db/engine.ts';
import { birthBounds } from '../ledger/rules.ts';
import { residentInScope, shanghaiDate } from '../ledger/service.ts';
import { assertCan, type Actor } from '../platform/access.ts';
import { audit } from '../platform/audit/service.ts';
import type { Ctx } from '../platform/context.ts';
import { DomainError, notFound } from '../platform/errors.ts';
import { regionInScope } from '../regions/service.ts';
import * as repo from './repo.ts';
import type { ContactRole } from './schema.ts';
import { settingsOf } from './service.ts';

export const hashCardToken = (token: string): string => createHash('sha256').update(token).digest('hex');

export interface IssuedCard {
  residentId: number;
  name: string;
  address: string;
  village: string;
  grid: string;
  /** The QR token, shown once: only its hash is kept. */
  token: string;
  contacts: Partial<Record<ContactRole, { name: string; mobile: string }>>;
  hotline: string | null;
}

/**
 * Issues cards for the key residents under a region (or the given residents): by default only
 * those without a valid card; with `reissue`, everyone, revoking their old codes. The tokens come
 * back once, for printing.
 * @throws forbidden | not_found
 */
export async function issueCards(
  ctx: Ctx,
  actor: Actor,
  input: { regionId: number; residentIds?: number[]; reissue?: boolean },
): Promise<IssuedCard[]> {
  assertCan(actor, 'card.issue');
  return ctx.db.transaction(async (tx) => {
    const node = await regionInScope(tx, actor, input.regionId);
    if (!node) throw notFound();
    const now = ctx.clock.now();
    const settings = node.countyCode ? await settingsOf(tx, node.countyCode) : null;
    const filter = {
      keyCategories: settings?.keyCategories ?? [],
      elderlyBornBy: birthBounds(shanghaiDate(now), 65).bornOnOrBefore!,
    };
    const people = await repo.cardResidents(tx, node.path, filter, input.residentIds ?? null, !input.reissue);
    if (input.residentIds && people.length !== new Set(input.residentIds).size) throw notFound();
    const ids = people.map((p) => p.id);
    await repo.revokeCards(tx, ids, now, 'reissued');
    const contacts = await repo.contactsForResidents(tx, ids);
    const byResident = new Map<number, IssuedCard['contacts']>();
    for (const c of contacts) {
      const entry = byResident.get(c.resident_id) ?? {};
      entry[c.role] = { name: c.name, mobile: c.mobile };
      byResident.set(c.resident_id, entry);
    }
    const hotlines = new Map<string, string | null>();
    for (const county of new Set(people.map((p) => p.county_code)))
      hotlines.set(county, (await settingsOf(tx, county)).hotline);
    const tokens = people.map(() => randomBytes(18).toString('base64url')); // 144 bits each
    await repo.insertCards(
      tx,
      people.map((p, i) => ({
        countyCode: p.county_code,
        residentId: p.id,
        tokenHash: hashCardToken(tokens[i]!),
      })),
      now,
      actor.accountId,
    );
    const cards: IssuedCard[] = [];
    for (const [i, p] of people.entries()) {
      const token = tokens[i]!;
      cards.push({
        residentId: p.id,
        name: p.name,
        address: p.address,
        village: p.village_name,
        grid: p.grid_name,
        token,
        contacts: byResident.get(p.id) ?? {},
        hotline: hotlines.get(p.county_code) ?? null,
      });
    }
    await audit(tx, ctx.clock, actor, {
      action: input.reissue ? 'card.reissue' : 'card.issue',
      targetType: 'region',
      targetId: node.id,
      regionId: node.id,
      after: { cards: cards.length, residentIds: ids.length <= 50 ? ids : undefined },
    });
    return cards;
  });
}

/** Revokes a resident's valid card (lost, or no longer needed); its code stops working at once. */
export async function revokeCard(
  ctx: Ctx,
  actor: Actor,
  residentId: number,
  reason: string,
): Promise<number> {
  assertCan(actor, 'card.issue');
  return ctx.db.transaction(async (tx) => {
    const r = await residentInScope(tx, actor, residentId);
    if (!r) throw notFound();
    const n = await repo.revokeCards(tx, [residentId], ctx.clock.now(), reason.trim() || 'revoked');
    await audit(tx, ctx.clock, actor, {
      action: 'card.revoke',
      targetType: 'resident',
      targetId: residentId,
      regionId: r.gridId,
      reason,
      after: { revoked: n },
    });
    return n;
  });
}

export interface CardHolder {
  residentId: number;
  /** Masked: the page may be opened by whoever holds the card. */
  name: string;
  contacts: Partial<Record<ContactRole, { name: string; mobile: string }>>;
  hotline: string | null;
}

/**
 * What a scanned card shows: no sign-in, so only the resident's masked name and their contacts.
 * @throws card.not_found (unknown or revoked code)
 */
export async function resolveCard(ex: Executor, token: string): Promise<CardHolder> {
  const found = await repo.findCardByHash(ex, scannedCardHash(token));
  if (!found) throw new DomainError('card.not_found');
  const contacts: CardHolder['contacts'] = {};
  for (const c of await repo.contactsForResidents(ex, [found.resident.id]))
    contacts[c.role] = { name: c.name, mobile: c.mobile };
  const name = [...found.resident.name];
  return {
    residentId: found.resident.id,
    name: name.length > 1 ? `${name[0]}${'*'.repeat(name.length - 1)}` : found.resident.name,
    contacts,
    // Only the hotline: settingsOf would also work out the key categories, a query more.
    hotline: (await repo.settingFor(ex, found.card.countyCode))?.hotline ?? null,
  };
}

/**
 * The hash a scanned code is looked up by, for callers that fold the card's lookup into their own
 * statement (filing an order from a card); whether the card is valid is theirs to check.
 * @throws card.not_found (not a code we could have issued)
 */
export function scannedCardHash(token: string): string {
  if (!/^[A-Za-z0-9_-]{16,64}$/.test(token)) throw new DomainError('card.not_found');
  return hashCardToken(token);
}

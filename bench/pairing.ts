// Pairing figures: auto-assign proposals and their confirmation for a county of ~25,000 key
// residents and ~3,000 members, the resulting load per party member, 10,000 connection cards
// issued and rendered print-ready, and the coverage page at 1,000,000 residents.
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.ts';
import { DEMO_PASSWORD } from '../src/demo/world.ts';
import { issueCards } from '../src/pairing/cards.ts';
import { renderCardSheets } from '../src/pairing/print.ts';
import { confirmProposal, proposePairings } from '../src/pairing/service.ts';
import {
  addContacts,
  addMembers,
  addResidents,
  countyOfficial,
  elderlyBornBy,
  load,
  log,
  median,
  openBenchDb,
  p95,
  pgliteTemplate,
  reachable,
  shape,
  step,
  withClient,
  type BenchDb,
  type EngineName,
} from './data.ts';
import { figure, type Figures } from './run.ts';

const COUNTY_RESIDENTS = Number(process.env.BENCH_PAIRING_RESIDENTS ?? 210_000);
const COVERAGE_RESIDENTS = Number(process.env.BENCH_COVERAGE_RESIDENTS ?? 1_000_000);
const CARDS = Number(process.env.BENCH_CARDS ?? 10_000);

/** BENCH_PAIRING_PARTS=autoassign,coverage (the default: both) runs a part alone. */
const PARTS = (process.env.BENCH_PAIRING_PARTS ?? 'autoassign,coverage').split(',');

export async function pairingBench(): Promise<Figures> {
  const template = await step('template (initdb, migrate, demo county)', () => pgliteTemplate());
  const figures: Figures = {};
  try {
    if (PARTS.includes('autoassign')) Object.assign(figures, await autoassignAndCards(template.dir));
    if (PARTS.includes('coverage')) {
      Object.assign(figures, await coverage('pglite', template.dir));
      if (await reachable()) Object.assign(figures, await coverage('postgres'));
      else log('no PostgreSQL reachable: coverage@postgres skipped');
    }
  } finally {
    template.remove();
  }
  return figures;
}

const keySql = () =>
  `(r.colour in ('red','yellow') or r.categories <> '{}' or r.birth_date <= date '${elderlyBornBy()}')`;

/** Proposal and confirmation for the whole county, the load it leaves, then 10,000 cards. */
async function autoassignAndCards(template: string): Promise<Figures> {
  const db = await openBenchDb('pglite', { template });
  try {
    const county = await withClient(db, async (c) => {
      await step(`${COUNTY_RESIDENTS} residents`, () => addResidents(c, COUNTY_RESIDENTS));
      await step('members and region responsibilities', () => addMembers(c));
      return (await shape(c)).county;
    });
    const people = await db.database.pool.query<{ members: number; key: number }>(
      `select (select count(*)::int from member where roles && array['party_member','village_doctor','grid_medic',
         'village_secretary']) as members, (select count(*)::int from resident r where ${keySql()}) as key`,
    );
    const { members, key } = people.rows[0]!;
    const actor = await countyOfficial(db);
    let t0 = performance.now();
    const proposal = await proposePairings(db.ctx, actor, county.id);
    const proposeS = (performance.now() - t0) / 1000;
    const proposeLoad = load();
    log(`proposal: ${proposeS.toFixed(1)} s ${JSON.stringify(proposal)}`);
    t0 = performance.now();
    const confirmed = await confirmProposal(db.ctx, actor, proposal.id, 'all');
    const confirmS = (performance.now() - t0) / 1000;
    log(`confirm: ${confirmS.toFixed(1)} s ${JSON.stringify(confirmed)}`);
    // Households per party member who may take any (capacity > 0; secretaries carry none).
    const { rows: loads } = await db.database.pool.query<{ n: number; cap: number }>(`
      select count(distinct r.household_id)::int as n, coalesce(m.capacity, 10) as cap
      from member m left join responsibility x on x.member_id = m.id and x.to_date is null
        and x.target_type = 'resident' and x.role = 'help'
      left join resident r on r.id = x.target_id
      where 'party_member' = any(m.roles) and coalesce(m.capacity, 10) > 0 group by m.id, m.capacity`);
    const n = loads.map((l) => l.n);
    const full = n.filter((x) => x >= 10).length;
    const world = `${key} key residents (of ${COUNTY_RESIDENTS}) and ${members} members who can be contacts over 12 townships, 180 villages, 642 grids`;
    const figures: Figures = {
      'pairing.autoassign_county.s@pglite': figure(
        proposeS,
        's',
        `proposePairings() for the county: ${world}; ${proposal.gaps} gaps, ${proposal.proposed} proposed, ${proposal.unfilled} unfilled; ${proposeLoad}`,
      ),
      'pairing.confirm_county.s@pglite': figure(
        confirmS,
        's',
        `confirmProposal(…, 'all'): ${confirmed.assigned} responsibilities written; ${load()}`,
      ),
      'pairing.autoassign_county.max_load@pglite': figure(
        Math.max(...n),
        'households',
        `households per party member after confirming (${n.length} party members with capacity 10; ${full} full)`,
      ),
      'pairing.autoassign_county.median_load@pglite': figure(
        median(n),
        'households',
        `median over the same ${n.length} party members`,
      ),
    };
    return { ...figures, ...(await cards(db, county.id)) };
  } finally {
    await db.close();
  }
}

/** 10,000 key residents (now paired) get cards: issueCards, then renderCardSheets to one HTML document. */
async function cards(db: BenchDb, countyId: number): Promise<Figures> {
  const actor = await countyOfficial(db);
  const { rows } = await db.database.pool.query<{ id: number }>(
    `select r.id from resident r where ${keySql()} order by r.grid_id, r.id limit ${CARDS}`,
  );
  const ids = rows.map((r) => Number(r.id));
  const t0 = performance.now();
  const issued = await issueCards(db.ctx, actor, { regionId: countyId, residentIds: ids });
  const issueS = (performance.now() - t0) / 1000;
  const html = await renderCardSheets(issued, 'https://lianxin.example.gov.cn');
  const totalS = (performance.now() - t0) / 1000;
  const withAll = issued.filter((c) => Object.keys(c.contacts).length === 3).length;
  return {
    'pairing.cards_10k.s@pglite': figure(
      totalS,
      's',
      `issueCards for ${issued.length} residents (${withAll} with all three contacts) ${issueS.toFixed(1)} s + renderCardSheets ${(totalS - issueS).toFixed(1)} s → ${Math.ceil(issued.length / 8)} A4 sheets, ${(html.length / 1e6).toFixed(1)} MB of HTML; ${load()}`,
    ),
  };
}

async function signIn(app: FastifyInstance): Promise<string> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { login: 'county', password: DEMO_PASSWORD },
  });
  const session = res.cookies.find((c) => c.name === 'lx_session');
  if (!session) throw new Error(`sign-in failed: ${res.statusCode} ${res.body}`);
  return `lx_session=${session.value}`;
}

/**
 * GET /api/regions/:id/pairing/coverage at 1 M residents (≈ 120 k key, 90 % of each contact set)
 * for the county, its largest township and that township's largest village, as the county official.
 */
async function coverage(engine: EngineName, template?: string): Promise<Figures> {
  const db = await openBenchDb(engine, { template });
  try {
    if (engine === 'postgres') {
      const { seedDemo } = await import('../src/demo/seed.ts');
      await seedDemo(db.ctx, 'county', 1, { content: false });
    }
    await withClient(db, async (c) => {
      await step(`${COVERAGE_RESIDENTS} residents (${engine})`, () => addResidents(c, COVERAGE_RESIDENTS));
      await step('members', () => addMembers(c));
      await step('contacts for 90 % of key residents per role', () => addContacts(c, 0.9));
    });
    const { rows } = await db.database.pool.query<{ level: string; id: number; name: string; n: number }>(`
      with t as (select t.id, t.name, count(*)::int as n from region t join region g on g.path like t.path || '%'
          join resident r on r.grid_id = g.id where t.level = 'township' group by t.id order by n desc limit 1),
        v as (select v.id, v.name, count(*)::int as n from region v join t on v.parent_id = t.id
          join region g on g.parent_id = v.id join resident r on r.grid_id = g.id group by v.id order by n desc limit 1)
      select 'county' as level, id, name, (select count(*)::int from resident) as n from region where level = 'county'
      union all select 'township', id, name, n from t union all select 'village', id, name, n from v`);
    const app = await buildApp(db.ctx, { webDir: null });
    try {
      const cookie = await signIn(app);
      const times = new Map<string, number[]>(rows.map((r) => [r.level, []]));
      let keyCounty = 0;
      for (let i = 0; i < 25; i++) {
        for (const node of rows) {
          const t0 = performance.now();
          const res = await app.inject({
            url: `/api/regions/${node.id}/pairing/coverage`,
            headers: { cookie },
          });
          const ms = performance.now() - t0;
          if (res.statusCode !== 200) throw new Error(`coverage answered ${res.statusCode}: ${res.body}`);
          if (node.level === 'county') keyCounty = (res.json() as { total: { key: number } }).total.key;
          if (i >= 5) times.get(node.level)!.push(ms); // the first rounds warm the caches
        }
      }
      const all = [...times.values()].flat();
      const per = rows
        .map((r) => `${r.level} (${r.n} residents) p95 ${p95(times.get(r.level)!).toFixed(0)} ms`)
        .join(', ');
      return {
        [`pairing.coverage_1m.p95_ms@${engine}`]: figure(
          p95(all),
          'ms',
          `GET coverage, 20 rounds after 5 warm-up: ${per}; ${keyCounty} key residents; ${load()}`,
        ),
      };
    } finally {
      await app.close();
    }
  } finally {
    await db.close();
  }
}

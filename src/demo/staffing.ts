// The demo staff register: county units with party organisations, and for every county its leader,
// township cadres and service teams, village secretaries, doctors and party members, and each grid's
// "1+1+N" — with the demo sign-ins linked to the members they play. Pure: no I/O.
import type { RegionRole } from '../staff/rules.ts';
import type { MemberRole } from '../staff/schema.ts';
import { personName } from './names.ts';
import { demoMobile } from './people.ts';
import { deriveSeed, rng, type Rng } from './prng.ts';
import { DEMO_MOBILE_PREFIX, type DemoAccount, type DemoRegion, type DemoWorld } from './world.ts';

export interface DemoUnit {
  regionCode: string;
  name: string;
  partyOrgName: string;
  partyOrgContact: string;
  partyOrgMobile: string;
}

export interface DemoMember {
  name: string;
  mobile: string;
  roles: MemberRole[];
  /** Where the member serves. */
  regionCode: string;
  /** Index into DemoStaff.units. */
  unit: number | null;
  /** 双报到: the community a cadre lives in. */
  homeRegionCode: string | null;
  /** The demo sign-in (username) that is this member. */
  account: string | null;
}

export interface DemoTeam {
  regionCode: string;
  name: string;
  /** Indexes into DemoStaff.members; the leader first. */
  members: { member: number; leader: boolean }[];
}

/** Member (index) answers for a region in a role (包联, 1+1+N). */
export interface DemoDuty {
  member: number;
  regionCode: string;
  role: RegionRole;
}

export interface DemoStaff {
  units: DemoUnit[];
  members: DemoMember[];
  teams: DemoTeam[];
  duties: DemoDuty[];
}

// County bureaus whose cadres are sent down to villages (下沉干部) and whose party branches they answer to.
const COUNTY_UNITS = [
  '委组织部',
  '卫健委',
  '民政局',
  '教育局',
  '财政局',
  '农业农村局',
  '人社局',
  '住建局',
  '市场监管局',
  '医保局',
];
const TEAM_NAMES = ['党员先锋服务队', '暖心服务队', '青年志愿服务队', '巾帼志愿服务队'];

/** The staff of every county in the world, the same for the same world. */
export function buildStaff(world: DemoWorld): DemoStaff {
  const staff: DemoStaff = { units: [], members: [], teams: [], duties: [] };
  const mobiles = new Set(world.accounts.map((a) => a.mobile));
  const children = new Map<string, DemoRegion[]>();
  for (const x of world.regions) {
    if (x.parentCode !== null) children.set(x.parentCode, [...(children.get(x.parentCode) ?? []), x]);
  }
  const kids = (x: DemoRegion) => children.get(x.code) ?? [];
  for (const county of world.regions.filter((x) => x.level === 'county')) {
    const r = rng(deriveSeed(world.seed, `staff:${county.code}`));
    new CountyStaff(r, staff, mobiles, world.accounts, county, kids).build();
  }
  return staff;
}

class CountyStaff {
  private readonly countyUnits: number[] = [];
  private readonly communities: DemoRegion[];

  constructor(
    private readonly r: Rng,
    private readonly staff: DemoStaff,
    private readonly mobiles: Set<string>,
    private readonly accounts: DemoAccount[],
    private readonly county: DemoRegion,
    private readonly kids: (x: DemoRegion) => DemoRegion[],
  ) {
    this.communities = kids(county)
      .flatMap(kids)
      .filter((v) => v.name.endsWith('社区'));
  }

  build(): void {
    const word = this.county.name.endsWith('区') ? '区' : '县';
    for (const name of COUNTY_UNITS) this.countyUnits.push(this.unit(this.county.code, word + name));
    const leader = this.member(['cadre', 'party_member'], this.county, this.countyUnits[0] ?? null);
    this.duty(leader, this.county, 'county_leader');
    for (const township of this.kids(this.county)) this.township(township);
  }

  private township(township: DemoRegion): void {
    const clinic = this.unit(township.code, `${township.name}卫生院`);
    const cadre = this.member(['cadre', 'party_member'], township, null);
    this.duty(cadre, township, 'township_cadre');
    const partyMembers: number[] = [];
    for (const village of this.kids(township)) partyMembers.push(...this.village(village, clinic));
    const teams = this.r.int(2, 3);
    const names = this.r.shuffle(TEAM_NAMES).slice(0, teams);
    names.forEach((name, i) => {
      const volunteers = [0, 1].map(() => this.member(['volunteer'], township, null));
      const helpers = this.r.shuffle(partyMembers).slice(0, this.r.int(1, 2));
      const lead = i === 0 ? cadre : (helpers.shift() ?? cadre);
      this.staff.teams.push({
        regionCode: township.code,
        name: `${township.name}${name}`,
        members: [lead, ...volunteers, ...helpers].map((member, k) => ({ member, leader: k === 0 })),
      });
    });
  }

  /** A village's secretary, doctor, party members and its grids' staff; returns its party members. */
  private village(village: DemoRegion, clinic: number): number[] {
    const grids = this.kids(village);
    const secretary = this.member(['village_secretary', 'party_member'], village, null);
    this.duty(secretary, village, 'village_secretary');
    const party: number[] = [secretary];
    if (this.r.chance(0.3)) {
      party.push(this.member(['first_secretary', 'party_member', 'cadre'], village, this.anyCountyUnit()));
    }
    const doctor = this.member(['village_doctor', 'grid_medic'], village, null, grids[0]);
    const n = Math.min(8, Math.max(3, 2 + Math.ceil(grids.length * 0.8) + this.r.int(0, 2)));
    for (let i = 0; i < n; i++) {
      // About a third are cadres of county bureaus sent down (下沉), living in a county-seat community.
      const cadre = i === 0 || this.r.chance(0.3);
      party.push(
        cadre
          ? this.member(['party_member', 'cadre'], village, this.anyCountyUnit(), undefined, this.home())
          : this.member(['party_member'], village, null),
      );
    }
    grids.forEach((grid, g) => {
      const leader = this.member(this.withParty(['grid_leader'], 0.6), grid, null);
      this.duty(leader, grid, 'grid_leader');
      const medic = g === 0 ? doctor : this.member(['family_doctor', 'grid_medic'], grid, clinic);
      this.duty(medic, grid, 'grid_medic');
      const worker = this.member(this.withParty(['grid_member'], 0.25), grid, null);
      this.duty(worker, grid, 'grid_member');
      for (const m of [leader, worker])
        if (this.staff.members[m]?.roles.includes('party_member')) party.push(m);
    });
    return party;
  }

  private withParty(roles: MemberRole[], p: number): MemberRole[] {
    return this.r.chance(p) ? [...roles, 'party_member'] : roles;
  }

  private anyCountyUnit(): number | null {
    return this.countyUnits.length ? this.r.pick(this.countyUnits) : null;
  }

  private home(): string | null {
    return this.communities.length ? this.r.pick(this.communities).code : null;
  }

  private unit(regionCode: string, name: string): number {
    const contact = personName(this.r);
    this.staff.units.push({
      regionCode,
      name,
      partyOrgName: `${name}${name.endsWith('院') ? '党支部' : '机关党支部'}`,
      partyOrgContact: contact,
      partyOrgMobile: demoMobile(this.r, this.mobiles, DEMO_MOBILE_PREFIX.staff),
    });
    return this.staff.units.length - 1;
  }

  /**
   * Adds a member serving at `at`. The first member whose first role is a demo sign-in's, at that
   * sign-in's region, is that sign-in (its name and mobile): e.g. `doctor` is the first grid's doctor.
   */
  private member(
    roles: MemberRole[],
    at: DemoRegion,
    unit: number | null,
    alsoGrid?: DemoRegion,
    homeRegionCode: string | null = null,
  ): number {
    const account = this.accounts.find(
      (a) =>
        ACCOUNT_ROLE[a.username] === roles[0] &&
        (a.regionCode === at.code || a.regionCode === alsoGrid?.code) &&
        !this.staff.members.some((m) => m.account === a.username),
    );
    this.staff.members.push({
      name: account?.displayName ?? personName(this.r),
      mobile: account?.mobile ?? demoMobile(this.r, this.mobiles, DEMO_MOBILE_PREFIX.staff),
      roles,
      regionCode: at.code,
      unit,
      homeRegionCode,
      account: account?.username ?? null,
    });
    return this.staff.members.length - 1;
  }

  private duty(member: number, at: DemoRegion, role: RegionRole): void {
    this.staff.duties.push({ member, regionCode: at.code, role });
  }
}

/** The first role of the member who is the person behind a demo sign-in placed at the same region. */
const ACCOUNT_ROLE: Record<string, MemberRole> = {
  county: 'cadre',
  town1: 'cadre',
  town2: 'cadre',
  secretary: 'village_secretary',
  doctor: 'village_doctor',
  party: 'party_member',
  gridleader: 'grid_leader',
  gridmember: 'grid_member',
  team: 'volunteer',
};

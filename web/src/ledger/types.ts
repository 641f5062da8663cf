// Shapes of the ledger API (src/ledger/routes.ts) as the console sees them.
import type { Level } from '../app/types.ts';

export type Colour = 'green' | 'yellow' | 'red';
export const COLOURS: readonly Colour[] = ['red', 'yellow', 'green'];

export type Sex = 'M' | 'F';
export type Vaccination = 'full' | 'partial' | 'none';
export type ConditionState = 'stable' | 'unstable';
export type ResidentStatus = 'active' | 'moved_out' | 'deceased';
export type HouseholdStatus = 'occupied' | 'vacant' | 'moved_out';
export type Surveyed = 'yes' | 'no' | 'stale';
export type ResidentSort = 'id' | 'name' | 'birthDate' | 'colour';

export type Condition = { name: string; state: ConditionState };

export type Resident = {
  id: number;
  householdId: number;
  gridId: number;
  name: string;
  /** Masked (340881********1234); the full number only through a reveal. */
  idNumber: string | null;
  idMissing: boolean;
  sex: Sex | null;
  birthDate: string | null;
  age: number | null;
  phones: string[];
  categories: string[];
  conditions: Condition[];
  vaccination: Vaccination | null;
  pregnancyDueDate: string | null;
  medication: string | null;
  notes: string | null;
  status: ResidentStatus;
  colour: Colour;
  colourScore: number;
  colourOverride: Colour | null;
  colourOverrideReason: string | null;
};

export type ResidentRow = Resident & { address: string; gridName: string; lastSurveyedAt: string | null };

export type ResidentPage = {
  /** Counted up to a cap (10,000): `totalCapped` says there are more. */
  total: number;
  totalCapped: boolean;
  page: number;
  pageSize: number;
  items: ResidentRow[];
  /** Send as `after` with the next page number: the next page by keyset (null for other sorts). */
  cursor: number | null;
};

export type ColourChange = {
  at: string;
  actorName: string | null;
  from: Colour | null;
  to: Colour;
  /** 'rule' | 'override' | 'override_lifted' (others shown as they come). */
  source: string;
  score: number | null;
  reason: string | null;
};

export type ResidentDetail = Resident & {
  household: {
    id: number;
    address: string;
    houseNumber: string | null;
    gridName: string;
    /** Township, village and grid names, from the top. */
    place: string[];
    colour: Colour | null;
  } | null;
  colourHistory: ColourChange[];
};

export type Survey = {
  id: number;
  at: string;
  surveyorName: string | null;
  membersConfirmed: number;
  membersAdded: number;
  membersMovedOut: number;
  colour: Colour | null;
  note: string | null;
};

export type Household = {
  id: number;
  gridId: number;
  gridName: string;
  address: string;
  houseNumber: string | null;
  status: HouseholdStatus;
  colour: Colour | null;
  lastSurveyedAt: string | null;
  note: string | null;
};

export type HouseholdDetail = Household & {
  /** Township, village and grid names, from the top. */
  place: string[];
  members: Resident[];
  surveys: Survey[];
};

export type CoverageLine = { known: number; surveyed: number; recent: number; coverage: number | null };

export type Coverage = {
  region: { id: number; name: string; level: Level };
  staleDays: number;
  total: CoverageLine;
  children: (CoverageLine & { id: number; name: string; level: Level })[];
};

export type Category = {
  code: string;
  nameZh: string;
  nameEn: string;
  key: boolean;
  sort: number;
  synonyms: string[];
  /** A retired category is offered for no new entry; residents who have it keep it. */
  active: boolean;
  /** National categories are the same everywhere and read-only. */
  national: boolean;
};

export type RevealField = 'idNumber' | 'phones';
export type Revealed = { idNumber?: string | null; phones?: string[] };

/** What the ledger list asks the server for; every part lives in the page's query string. */
export type LedgerQuery = {
  regionId?: number;
  colour: Colour[];
  category: string[];
  ageMin?: number;
  ageMax?: number;
  surveyed?: Surveyed;
  staleDays?: number;
  q?: string;
  sort?: ResidentSort;
  desc?: boolean;
  page: number;
  pageSize: number;
  /** The previous page's cursor, when this page was reached by "next". */
  after?: number;
};

export type ResidentInput = {
  name?: string;
  idNumber?: string | null;
  sex?: Sex | null;
  birthDate?: string | null;
  phones?: string | null;
  categories?: string[];
  conditions?: Condition[];
  vaccination?: Vaccination | null;
  pregnancyDueDate?: string | null;
  medication?: string | null;
  notes?: string | null;
  status?: ResidentStatus;
};

export type SurveyInput = {
  membersConfirmed: number;
  membersAdded?: number;
  membersMovedOut?: number;
  colour?: Colour | null;
  note?: string | null;
};

// Node-side API session for e2e set-up: signs in over HTTP, keeps the cookie, reads and writes JSON.
import { idCheckDigit } from '../../src/platform/identity.ts';
export type RegionNode = {
  id: number;
  code: string;
  name: string;
  level: string;
  parentId: number | null;
  childCount: number;
};

export type Me = { id: number; username: string; displayName: string; role: string; region: RegionNode };

export class ApiSession {
  private constructor(
    readonly base: string,
    private readonly cookie: string,
    readonly me: Me,
  ) {}

  static async signIn(base: string, login: string, password: string): Promise<ApiSession> {
    const response = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ login, password }),
    });
    if (!response.ok)
      throw new Error(`sign-in as ${login} failed: ${response.status} ${await response.text()}`);
    const cookie = response.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    return new ApiSession(base, cookie, (await response.json()) as Me);
  }

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.base}${path}`, {
      method,
      headers: { Cookie: this.cookie, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return (response.status === 204 ? undefined : await response.json()) as T;
  }

  get<T>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }

  post<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('POST', path, body);
  }

  children(id: number): Promise<RegionNode[]> {
    return this.get<RegionNode[]>(`/api/regions/${id}/children`);
  }
}

/** Tries a wrong password until the server answers 423 (locked); returns how many tries it took. */
export async function lockOut(base: string, login: string, maxTries = 20): Promise<number> {
  for (let tries = 1; tries <= maxTries; tries++) {
    const response = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ login, password: 'definitely-wrong' }),
    });
    if (response.status === 423) return tries;
  }
  throw new Error(`${login} was not locked after ${maxTries} wrong passwords`);
}

/** A valid 18-character ID number of the county, born on `birth` (YYYYMMDD), with sequence `seq`. */
export function idNumber(countyCode: string, birth: string, seq: string): string {
  const body = `${countyCode.slice(0, 6)}${birth}${seq}`;
  return body + idCheckDigit(body);
}

/**
 * Adds a township `NNN` to the county (code stem + NNN000) with one village (NNN001) and a grid
 * per name in it (NNN00100n), through the API as `admin`.
 */
export async function addTownship(
  admin: ApiSession,
  county: RegionNode,
  no: string,
  names: { township: string; village: string; grids: string[] },
): Promise<{ township: RegionNode; village: RegionNode; grids: RegionNode[] }> {
  const stem = county.code.slice(0, 6);
  const add = (parentId: number, code: string, name: string) =>
    admin.post<RegionNode>('/api/regions', { parentId, code, name });
  const township = await add(county.id, `${stem}${no}000`, names.township);
  const village = await add(township.id, `${stem}${no}001`, names.village);
  const grids: RegionNode[] = [];
  for (const [i, name] of names.grids.entries())
    grids.push(await add(village.id, `${stem}${no}00100${i + 1}`, name));
  return { township, village, grids };
}

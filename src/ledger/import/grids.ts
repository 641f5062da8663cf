// Finding the grid a ledger row names, leniently: 第一网格 = 1网格 = 网格1 = 第1网格 = 一网格 within the
// target village, the full grid code anywhere under the target, or 村名 + 网格 above village level.
import { toHalfWidth } from '../../platform/identity.ts';

export interface GridRef {
  id: number;
  code: string;
  name: string;
  countyCode: string;
  villageId: number;
}

export interface VillageRef {
  id: number;
  code: string;
  name: string;
  path: string;
}

const DIGIT: Record<string, number> = {
  零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9,
}; // prettier-ignore

/** 一 → 1, 十二 → 12, 二十 → 20, 二十三 → 23, 一百零五 → 105; undefined when not a numeral. */
export function chineseNumber(s: string): number | undefined {
  if (/^\d+$/.test(s)) return Number(s);
  if (!/^[零〇一二两三四五六七八九十百]+$/.test(s)) return undefined;
  let total = 0;
  let digit = 0;
  for (const ch of s) {
    if (ch === '百') {
      total += (digit || 1) * 100;
      digit = 0;
    } else if (ch === '十') {
      total += (digit || 1) * 10;
      digit = 0;
    } else digit = DIGIT[ch] ?? 0;
  }
  return total + digit;
}

/** The words of a grid label that matter: '第一网格' → '1', '河东片网格' → '河东片'. */
export function gridKey(label: string): string {
  const s = toHalfWidth(label)
    .replace(/\s/g, '')
    .replace(/(网格|格)$/, '')
    .replace(/^网格/, '')
    .replace(/^第/, '')
    .replace(/号$/, '');
  const n = chineseNumber(s);
  return n === undefined ? s.toLowerCase() : String(n);
}

const stem = (villageName: string) =>
  villageName.replace(/(村民委员会|居民委员会|村委会|居委会|社区|村)$/, '');

/** Resolves grid labels against the grids under the import's target region. */
export class GridIndex {
  private byCode = new Map<string, GridRef>();
  private byVillage = new Map<number, Map<string, GridRef>>();
  private villages: VillageRef[];

  constructor(
    grids: GridRef[],
    villages: VillageRef[],
    /** The village whose grids a bare label like 第一网格 means; null above village level. */
    private home: VillageRef | null,
    /** The grid itself when the target is one grid. */
    private onlyGrid: GridRef | null = null,
  ) {
    // Longest names first, so 东门村二组 is not taken for 东门村.
    this.villages = [...villages].sort((a, b) => b.name.length - a.name.length);
    for (const g of grids) this.add(g);
    // The code's own number (…003 → 3) only where no grid's name already says that number.
    for (const g of grids) {
      const keys = this.byVillage.get(g.villageId)!;
      const n = String(Number(g.code.slice(12)));
      if (!keys.has(n)) keys.set(n, g);
    }
  }

  get needsGridColumn(): boolean {
    return this.onlyGrid === null;
  }

  /** The grid a row means, from its grid cell and (above village level) its village cell. */
  resolve(gridLabel: string, villageLabel = ''): GridRef | undefined {
    const label = toHalfWidth(gridLabel).replace(/\s/g, '');
    if (!label) return this.onlyGrid ?? this.soleGrid(this.home);
    const byCode = this.byCode.get(label);
    if (byCode) return byCode;
    if (this.onlyGrid)
      return this.within(this.onlyGrid.villageId, label) === this.onlyGrid ? this.onlyGrid : undefined;
    const village = this.villageOf(villageLabel) ?? this.home;
    if (village) {
      const hit =
        this.within(village.id, label) ?? this.within(village.id, this.stripVillage(label, village));
      if (hit) return hit;
      if (this.home) return undefined;
    }
    // 东门村第一网格 / 东门村-1网格 in a township- or county-wide file.
    for (const v of this.villages) {
      for (const name of [v.name, stem(v.name)]) {
        if (name && label.startsWith(name)) {
          const hit = this.within(v.id, label.slice(name.length).replace(/^[-_/·]/, ''));
          if (hit) return hit;
        }
      }
    }
    return undefined;
  }

  /** The village a new grid would go under (--create-grids): the target village only. */
  get homeVillage(): VillageRef | null {
    return this.home;
  }

  add(g: GridRef): void {
    if (g.code) this.byCode.set(g.code, g);
    let keys = this.byVillage.get(g.villageId);
    if (!keys) this.byVillage.set(g.villageId, (keys = new Map()));
    keys.set(gridKey(g.name), g);
    keys.set(g.name.toLowerCase(), g);
  }

  private within(villageId: number, label: string): GridRef | undefined {
    const keys = this.byVillage.get(villageId);
    if (!keys || !label) return undefined;
    return keys.get(label.toLowerCase()) ?? keys.get(gridKey(label));
  }

  private stripVillage(label: string, v: VillageRef): string {
    for (const name of [v.name, stem(v.name)])
      if (name && label.startsWith(name)) return label.slice(name.length);
    return label;
  }

  private villageOf(label: string): VillageRef | undefined {
    const s = label.replace(/\s/g, '');
    if (!s) return undefined;
    return this.villages.find(
      (v) => v.code === s || v.name === s || (stem(v.name) && stem(v.name) === stem(s)),
    );
  }

  private soleGrid(v: VillageRef | null): GridRef | undefined {
    if (!v) return undefined;
    const grids = new Set(this.byVillage.get(v.id)?.values());
    return grids.size === 1 ? [...grids][0] : undefined;
  }
}

// Chinese place and person names for the demo world, in the style of Anqing (安徽) counties.
import type { Rng } from './prng.ts';

const chars = (s: string): string[] => Array.from(s.replace(/\s/g, ''));
const words = (s: string): string[] => s.split(/\s+/).filter(Boolean);

// Township names of the Dabie mountain counties; the composed names below imitate them.
const TOWNSHIP_STEMS = words(`
  天堂 店前 河图 五河 头陀 来榜 菖蒲 水吼 黄尾 白帽 响肠 冶溪 包家 石关 毛尖山 中关 青天 主簿 姚河 古坊
  温泉 莲云 槎水 源潭 余井 梅城 王河 官庄 黄铺 油坝 龙潭 五庙 塔畈 黄柏 小池 弥陀 寺前 徐桥 新仓 百里
  天华 北中 小市 凉亭 汤泉 石牌 高河 月山 洪铺 平山 金拱 孔城 吕亭 范岗 大关 青草 双港 练潭 罗岭 雷埠
  杨桥 五横 山口 海口 趾凤 千岭 佛图 凉泉 破凉 柳坪 隘口 复兴 许岭 程岭 九姑 高士 陈汉 二郎 黄泥
`);

const STREET_STEMS = words(`
  城关 城东 城西 城南 城北 龙山 菱湖 人民路 华中路 集贤路 德宽路 新河路 玉琳路 石化路 老峰 大桥 龙狮
  双莲 建设路 振风 文峰 孝肃 滨江 梅林 天柱山 文昌 凤凰山 司空山
`);

const COMMUNITY_STEMS = words(`
  东风 朝阳 新华 和平 幸福 文昌 人民 解放 建设 胜利 团结 光明 龙山 凤凰 滨河 东门 西门 南门 北门 花园
  锦绣 长安 安康 振兴 复兴 育才 公园 新村 桥北 桥南 站前 城东 城西 城南 城北 玉虹 钟楼 鼓楼 清风 明月
  桃园 湖滨 江滨 府前 学府 康宁 金桥 银杏 丰收 新街 老街 十字街 月亮湾 桂花 荷花 北关 南关 书院 太平
`);

const VILLAGE_STEMS = words(`
  司空 板舍 龙井 柳畈 杨畈 枫香 瓦屋 桃李 樟树 石佛 马畈 大歇 关山 梅河 黄岭 鹤形 长岭 乐园 道岭 太阳
  杨柳 三合 四合 五星 红星 前进 新建 光荣 东方 双河 三河 石门 金竹 百子 鸡鸣 莲花 天明 仙桃 茶园 茶林
  竹园 杉树 栗树 松山 坳上 岭头 畈上 河西 河东 高桥 汪畈 储畈 花亭 林河 西冲 新屋 老屋 中心 联合 和平
`);

const PLACE_HEADS = chars(`
  天黄白石青古姚包毛冶来五中主店水响大小东西南北上下新高柳桃杉松竹枫梅莲金龙凤虎马牛鹤仙双三九百红碧翠云
  花桂樟槐茶沙长平安太宝乐永兴福和清鸡羊鹿燕官陶泉
`);
const PLACE_HEADS_2 = words(`
  毛尖 羊角 牛角 狮子 老鹰 燕子 凤凰 白云 黄栗 枫树 桃花 金竹 大石 青龙 白马 黄泥 马鞍 观音 仙人 九井
  十里 杨梅 板栗 竹林
`);
const PLACE_TAILS = chars(
  '河溪冲畈岭山岗桥湾塘港埠集店铺关口坪墩圩滩洲庄楼庙寺庵坊岩峰林田园营寨湖泉潭井坝坳尖',
);
// Family settlements (汪家冲, 储家畈) carry the local clans' names, so these lean Anqing.
const CLAN_SURNAMES = chars('王李张刘陈杨黄吴周徐汪程储潘余叶方江胡朱何高姚包檀操查殷詹柯');

const COUNTY_HEADS = chars('宜怀潜太宿望桐枞舒岳皖灵宁安华盛顺昌庆恒嘉德永兴泰和丰平乐长青清临');
const COUNTY_TAILS = chars('山阳江城湖西东宁松源溪川谷原泽安丰河水');
const CITY_HEADS = chars('皖宜怀潜桐岳舒灵盛恒嘉庆');
const CITY_TAILS = chars('庆州阳安宁城');
// Real Anqing-area and nearby names: a demo county must not pass for a real one under a wrong code.
const REAL_NAMES = new Set(
  words(`
    安庆 迎江 大观 宜秀 怀宁 太湖 宿松 望江 岳西 桐城 潜山 枞阳 舒城 庆阳 岳阳 宜州 宜阳 宜城 怀安 庆安
    桐庐 安宁 泰安 永安 长安 德安 临江 临川 清河 永川 嘉兴 泰和 丰城 长沙 平江 和县 泰州 宁国 太和 临泉
  `),
);

// Weights follow the national surname ranking, nudged towards clans common around Anqing (汪, 程, 储, 檀, 操).
const SURNAMES: readonly (readonly [string, number])[] = [
  ['王', 72],
  ['李', 72],
  ['张', 68],
  ['刘', 52],
  ['陈', 46],
  ['杨', 34],
  ['黄', 25],
  ['赵', 21],
  ['吴', 22],
  ['周', 20],
  ['徐', 18],
  ['孙', 15],
  ['马', 13],
  ['朱', 13],
  ['胡', 14],
  ['郭', 12],
  ['何', 12],
  ['高', 11],
  ['林', 10],
  ['罗', 10],
  ['郑', 9],
  ['梁', 8],
  ['谢', 8],
  ['宋', 8],
  ['唐', 7],
  ['许', 7],
  ['韩', 7],
  ['冯', 6],
  ['邓', 6],
  ['曹', 6],
  ['彭', 6],
  ['曾', 5],
  ['田', 5],
  ['董', 5],
  ['潘', 6],
  ['余', 6],
  ['叶', 5],
  ['程', 7],
  ['方', 5],
  ['江', 5],
  ['汪', 9],
  ['储', 6],
  ['檀', 3],
  ['操', 3],
  ['姚', 4],
  ['丁', 4],
  ['钱', 3],
  ['汤', 3],
  ['查', 2],
  ['詹', 2],
];

const GIVEN_MALE = chars('伟强军勇杰涛明超华平刚辉鹏飞斌波宇浩凯健俊峰磊文建国林海志宏成春东亮松柏金德');
const GIVEN_FEMALE = chars('芳娟敏静丽艳娜霞秀英梅琳燕玲婷雪慧颖倩莉兰萍红娇琴洁晶凤云琼月桂');
const GIVEN_EITHER = chars('晓小子思永新安佳欣嘉春秋玉家');

export type Sex = 'M' | 'F';

const SURNAME_LIST = SURNAMES.map(([s]) => s);
const SURNAME_WEIGHTS = SURNAMES.map(([, w]) => w);

/** A surname drawn by the national ranking (a household's family name). */
export function familyName(r: Rng): string {
  return r.weighted(SURNAME_LIST, SURNAME_WEIGHTS);
}

/** A person name: weighted surname (or the one given, for a family) and one or two given-name characters. */
export function personName(r: Rng, sex: Sex = r.chance(0.5) ? 'M' : 'F', family?: string): string {
  const surname = family ?? r.weighted(SURNAME_LIST, SURNAME_WEIGHTS);
  const own = sex === 'M' ? GIVEN_MALE : GIVEN_FEMALE;
  const last = r.pick(own);
  if (r.chance(0.3)) return surname + last;
  // Doubled given names (婷婷, 明明) are common for girls and rare for boys.
  if (r.chance(sex === 'F' ? 0.08 : 0.02)) return surname + last + last;
  let first = r.pick(r.chance(0.3) ? GIVEN_EITHER : own);
  if (first === last) first = r.pick(GIVEN_EITHER);
  return surname + first + last;
}

function composedStem(r: Rng): string {
  const roll = r.next();
  if (roll < 0.55) {
    const head = r.pick(PLACE_HEADS);
    const tail = r.pick(PLACE_TAILS);
    return head === tail ? head + r.pick(PLACE_TAILS.filter((t) => t !== head)) : head + tail;
  }
  if (roll < 0.7) return r.pick(PLACE_HEADS_2) + r.pick(PLACE_TAILS);
  if (roll < 0.85) return r.pick(CLAN_SURNAMES) + '家' + r.pick(PLACE_TAILS);
  return r.pick(CLAN_SURNAMES) + r.pick(PLACE_TAILS);
}

/**
 * Draws until `make` yields a name not in `taken`, then records it.
 * @throws Error when no fresh name turns up; the name space is far larger than any demo needs.
 */
export function uniqueName(taken: Set<string>, make: () => string, tries = 1000): string {
  for (let i = 0; i < tries; i++) {
    const name = make();
    if (!taken.has(name)) {
      taken.add(name);
      return name;
    }
  }
  throw new Error(`no unused name after ${tries} tries (${taken.size} taken)`);
}

/** Stem of a county or district (县/区), e.g. 皖源. */
export function countyStem(r: Rng): string {
  let stem = '';
  do stem = r.pick(COUNTY_HEADS) + r.pick(COUNTY_TAILS);
  while (stem[0] === stem[1] || REAL_NAMES.has(stem));
  return stem;
}

/** Stem of a prefecture-level city (市), e.g. 怀州. */
export function cityStem(r: Rng): string {
  let stem = '';
  do stem = r.pick(CITY_HEADS) + r.pick(CITY_TAILS);
  while (stem[0] === stem[1] || REAL_NAMES.has(stem));
  return stem;
}

export type TownshipKind = 'street' | 'town' | 'xiang';
export const TOWNSHIP_SUFFIX: Record<TownshipKind, string> = { street: '街道', town: '镇', xiang: '乡' };

/** Stem of a township (镇/乡) or street (街道): often a real-style name from the list. */
export function townshipStem(r: Rng, kind: TownshipKind): string {
  if (kind === 'street' && r.chance(0.6)) return r.pick(STREET_STEMS);
  return r.chance(0.45) ? r.pick(TOWNSHIP_STEMS) : composedStem(r);
}

export type VillageKind = 'community' | 'village';
export const VILLAGE_SUFFIX: Record<VillageKind, string> = { community: '社区', village: '村' };

/** Stem of a community (社区) or administrative village (村). */
export function villageStem(r: Rng, kind: VillageKind): string {
  if (kind === 'community') return r.chance(0.8) ? r.pick(COMMUNITY_STEMS) : composedStem(r);
  return r.chance(0.25) ? r.pick(VILLAGE_STEMS) : composedStem(r);
}

const DIGITS = chars('零一二三四五六七八九');

/**
 * 1 → 一, 10 → 十, 21 → 二十一, 105 → 一百零五: the way grids are numbered on notices.
 * @throws RangeError outside 1–999.
 */
export function chineseNumeral(n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > 999) throw new RangeError(`chineseNumeral(${n}): 1–999 only`);
  const digit = (d: number): string => DIGITS[d] ?? '';
  const hundreds = Math.floor(n / 100);
  const tens = Math.floor((n % 100) / 10);
  const ones = n % 10;
  if (hundreds === 0) {
    if (tens === 0) return digit(ones);
    return (tens === 1 ? '' : digit(tens)) + '十' + (ones ? digit(ones) : '');
  }
  let out = digit(hundreds) + '百';
  if (tens === 0 && ones === 0) return out;
  // Inside a larger number ten is spoken 一十 (一百一十), and a missing tens digit becomes 零.
  out += tens === 0 ? '零' : digit(tens) + '十';
  return ones ? out + digit(ones) : out;
}

/** 第一网格, 第二网格, … */
export function gridName(index: number): string {
  return `第${chineseNumeral(index)}网格`;
}

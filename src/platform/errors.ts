// Typed domain errors. Services throw these; the HTTP edge maps them once to problem+json
// (see platform/http.ts). Each code has a fixed status and a message in zh-CN and en.

export type Lang = 'zh-CN' | 'en';

interface Entry {
  status: number;
  zh: string;
  en: string;
}

/** Every error code the platform can answer with. Messages may use {placeholders}. */
export const ERROR_CATALOG = {
  not_found: { status: 404, zh: '不存在或无权查看', en: 'Not found or not permitted' },
  validation_failed: {
    status: 400,
    zh: '提交的内容有误，请检查后重试',
    en: 'The request has invalid fields',
  },
  conflict: { status: 409, zh: '数据已被修改，请刷新后重试', en: 'The data changed; reload and try again' },
  forbidden: { status: 403, zh: '当前角色无权执行此操作', en: 'Your role may not do this' },
  internal: { status: 500, zh: '服务器内部错误', en: 'Internal server error' },
  rate_limited: { status: 429, zh: '操作过于频繁，请稍后再试', en: 'Too many requests; try again later' },

  'auth.required': { status: 401, zh: '请先登录', en: 'Please sign in' },
  'auth.invalid_credentials': { status: 401, zh: '账号或密码错误', en: 'Wrong username or password' },
  'auth.locked': {
    status: 423,
    zh: '连续登录失败次数过多，账号已锁定，请于 {until} 后重试',
    en: 'Too many failed sign-ins; the account is locked until {until}',
  },
  'auth.inactive': { status: 401, zh: '账号已停用', en: 'This account is disabled' },
  'auth.wrong_password': { status: 400, zh: '当前密码不正确', en: 'The current password is wrong' },
  'auth.weak_password': {
    status: 400,
    zh: '密码至少 8 位，且须包含字母和数字',
    en: 'A password needs at least 8 characters with letters and digits',
  },

  'region.code_invalid': {
    status: 400,
    zh: '区划代码“{code}”无效：{reason}',
    en: 'Region code "{code}" is invalid: {reason}',
  },
  'region.code_taken': {
    status: 409,
    zh: '区划代码“{code}”已存在',
    en: 'Region code "{code}" already exists',
  },
  'region.parent_mismatch': {
    status: 400,
    zh: '区划代码“{code}”不属于上级“{parent}”',
    en: 'Region code "{code}" does not belong under "{parent}"',
  },
  'region.parent_missing': {
    status: 400,
    zh: '上级区划“{parent}”不存在，请先导入上级',
    en: 'Parent region "{parent}" does not exist; add it first',
  },
  'region.level_invalid': {
    status: 400,
    zh: '{child}不能直接设在{parent}下',
    en: 'A {child} cannot sit directly under a {parent}',
  },
  'region.name_taken': {
    status: 409,
    zh: '同一上级下已有名为“{name}”的区划',
    en: 'A region named "{name}" already exists under the same parent',
  },
  'region.not_empty': {
    status: 409,
    zh: '“{name}”下还有下级区划或数据，不能删除',
    en: '"{name}" still holds regions or data and cannot be deleted',
  },
  'region.cycle': {
    status: 409,
    zh: '不能把区划移到它自己或它的下级之下',
    en: 'A region cannot move under itself or its descendants',
  },
  'region.root_only': {
    status: 400,
    zh: '只有管理员可以创建顶级区划',
    en: 'Only an administrator may create a top-level region',
  },

  'account.username_taken': {
    status: 409,
    zh: '用户名“{username}”已被使用',
    en: 'Username "{username}" is taken',
  },
  'account.mobile_taken': {
    status: 409,
    zh: '手机号已被其他账号使用',
    en: 'The mobile number is used by another account',
  },

  'ledger.resident_exists': {
    status: 409,
    zh: '该身份证号的居民已在台账中（{where}），请直接编辑或迁入',
    en: 'A resident with this ID number is already in the ledger ({where}); edit or move them instead',
  },
  'ledger.household_not_empty': {
    status: 409,
    zh: '该户还有在册人员，请先迁出或注销',
    en: 'The household still has active members; move them out first',
  },
  'ledger.rules_invalid': {
    status: 400,
    zh: '三色规则有误，未保存',
    en: 'The colour rules are invalid and were not saved',
  },
  'ledger.rules_scope': {
    status: 403,
    zh: '只有县级及以上账号可以修改本县三色规则',
    en: 'Only county-level accounts may change the county colour rules',
  },
  'ledger.category_scope': {
    status: 403,
    zh: '人员类别按县设置，只有县级及以上账号可以修改本县的人员类别',
    en: 'Categories are set per county; only county-level accounts may change them',
  },
  'ledger.category_exists': {
    status: 409,
    zh: '“{word}”已被人员类别“{name}”使用，请换一个',
    en: '"{word}" is already used by the category "{name}"; choose another',
  },
  'ledger.category_national': {
    status: 409,
    zh: '“{name}”是全国统一的人员类别，不能修改',
    en: '"{name}" is a national category and cannot be changed',
  },
  'staff.mobile_taken': {
    status: 409,
    zh: '本县已有登记该手机号的人员（{where}），请直接编辑该人员',
    en: 'A member with this mobile number is already registered in the county ({where}); edit them instead',
  },
  'staff.account_linked': {
    status: 409,
    zh: '该账号已关联人员（{where}）',
    en: 'This account is already linked to a member ({where})',
  },
  'staff.member_inactive': {
    status: 409,
    zh: '人员“{name}”已停用，请先启用',
    en: 'The member "{name}" is deactivated; reactivate them first',
  },
  'staff.role_level': {
    status: 400,
    zh: '“{role}”只能设在{level}上',
    en: 'The role "{role}" can only be held for a {level}',
  },
  'staff.responsibility_ended': {
    status: 409,
    zh: '该包联关系已于 {toDate} 结束',
    en: 'This responsibility already ended on {toDate}',
  },
  'staff.unit_name_taken': {
    status: 409,
    zh: '该区划下已有名为“{name}”的单位',
    en: 'A unit named "{name}" already exists in this region',
  },
  'staff.unit_cycle': {
    status: 409,
    zh: '不能把单位设为它自己或它的下级单位的下级',
    en: 'A unit cannot sit under itself or one of its sub-units',
  },
  'staff.team_name_taken': {
    status: 409,
    zh: '该区划下已有名为“{name}”的小分队',
    en: 'A team named "{name}" already exists in this region',
  },
  'staff.team_inactive': {
    status: 409,
    zh: '小分队“{name}”已解散，不能再添加队员',
    en: 'The team "{name}" is disbanded; no members can be added',
  },
  'staff.county_mismatch': {
    status: 400,
    zh: '人员与{what}不在同一个县',
    en: 'The member and the {what} are in different counties',
  },
  'pairing.county_only': {
    status: 400,
    zh: '请选择县及以下的区域（配对按县进行）',
    en: 'Choose a county or a region inside one; pairing works county by county',
  },
  'pairing.proposal_closed': {
    status: 409,
    zh: '该配对方案已确认或作废',
    en: 'This pairing proposal was already confirmed or discarded',
  },
  'order.need_unknown': { status: 400, zh: '未知的需求类型“{code}”', en: 'Unknown need type "{code}"' },
  'order.invalid_transition': {
    status: 409,
    zh: '工单当前为“{from}”，不能执行“{event}”',
    en: 'The order is {from}; it cannot {event}',
  },
  'order.note_required': {
    status: 400,
    zh: '退单、延期或无法办理须填写原因',
    en: 'Returning, holding or failing an order needs a reason',
  },
  'order.reason_required': {
    status: 400,
    zh: '{event}须填写原因',
    en: 'To {event}, give a reason',
  },
  'order.hold_until_required': {
    status: 400,
    zh: '请选择延期至的日期和时间',
    en: 'Choose the date and time to extend the order to',
  },
  'order.hold_until_past': {
    status: 400,
    zh: '延期至的时间须晚于现在',
    en: 'The new deadline must be later than now',
  },
  'order.hold_until_early': {
    status: 400,
    zh: '延期至的时间须晚于当前办结时限（{due}）',
    en: 'The new deadline must be later than the current one ({due})',
  },
  'order.hold_pending': {
    status: 409,
    zh: '已有一份延期申请待审批，请等待派单人员答复',
    en: 'A request for more time is already waiting for the dispatcher',
  },
  'order.hold_none': {
    status: 409,
    zh: '该工单没有待审批的延期申请',
    en: 'This order has no request for more time waiting',
  },
  'order.assignee_required': {
    status: 400,
    zh: '请选择接单人员或小分队',
    en: 'Choose a member or a team to dispatch to',
  },
  'order.assignee_unknown': {
    status: 400,
    zh: '找不到该接单人员或小分队：须是本县在岗的人员或小分队',
    en: 'No such member or team: dispatch to an active one of the same county',
  },
  'card.not_found': { status: 404, zh: '此连心卡已失效或不存在', en: 'This card is no longer valid' },
  'import.unreadable': {
    status: 400,
    zh: '无法读取文件：{reason}',
    en: 'The file cannot be read: {reason}',
  },
  'import.file_type': {
    status: 400,
    zh: '只能导入 .xlsx 或 .csv 文件，“{name}”不是；旧版 Excel 的 .xls 文件请先在 Excel 或 WPS 中“另存为” .xlsx',
    en: 'Only .xlsx and .csv files can be imported, and “{name}” is neither; save an old .xls workbook as .xlsx first',
  },
  'import.header_missing': {
    status: 400,
    zh: '找不到表头（需要列：{columns}）',
    en: 'No header row found (columns needed: {columns})',
  },
  'import.rows_invalid': {
    status: 400,
    zh: '有 {count} 行数据有误，未导入任何数据',
    en: '{count} rows are invalid; nothing was imported',
  },
  'import.too_large': {
    status: 413,
    zh: '文件过大（上限 {max} MB）',
    en: 'The file is too large (at most {max} MB)',
  },
  'import.job_state': {
    status: 409,
    zh: '导入任务当前状态为“{state}”，不能提交',
    en: 'The import is {state} and cannot be committed now',
  },
  'import.interrupted': {
    status: 409,
    zh: '导入中断，未写入任何数据，请重新确认',
    en: 'The import was interrupted and nothing was written; please confirm it again',
  },
  'import.file_gone': {
    status: 410,
    zh: '上传的文件已不在服务器上，请重新上传',
    en: 'The uploaded file is no longer on the server; upload it again',
  },
} satisfies Record<string, Entry>;

export type ErrorCode = keyof typeof ERROR_CATALOG;

/** Values for {placeholders}; a value worded per language picks the request's. */
export type Params = Record<string, string | number | { zh: string; en: string }>;

/** Messages for problems with one field (or one cell of an import). */
export const FIELD_CATALOG = {
  required: { zh: '必填', en: 'is required' },
  too_long: { zh: '不能超过 {max} 个字符', en: 'must be at most {max} characters' },
  too_short: { zh: '至少 {min} 个字符', en: 'must be at least {min} characters' },
  format: { zh: '格式不正确', en: 'has the wrong format' },
  type: { zh: '类型不正确，应为 {type}', en: 'must be a {type}' },
  range: { zh: '超出允许范围', en: 'is out of range' },
  age_band: {
    zh: '最小年龄（{min}）不能大于最大年龄（{max}）',
    en: 'the lowest age ({min}) is above the highest ({max})',
  },
  enum: { zh: '取值须为：{allowed}', en: 'must be one of: {allowed}' },
  unknown: { zh: '不认识的字段', en: 'is not a known field' },
  code_invalid: { zh: '区划代码无效：{reason}', en: 'invalid region code: {reason}' },
  duplicate: { zh: '与第 {row} 行重复', en: 'duplicates row {row}' },
  parent_missing: { zh: '上级区划 {parent} 不存在', en: 'parent region {parent} does not exist' },
  name_mismatch: {
    zh: '已存在的区划名称为“{existing}”',
    en: 'the existing region is named "{existing}"',
  },
  grid_unknown: {
    zh: '找不到网格“{grid}”（可核对网格名称，或选择自动创建网格）',
    en: 'no grid "{grid}" here (check the name, or choose to create missing grids)',
  },
  grid_needs_village: {
    zh: '找不到网格“{grid}”：导入到乡镇或县时，请在“所属村”列写明村名，或把网格写成“东门村第一网格”的样子',
    en: 'no grid "{grid}": importing above village level, name the village in a 所属村 column or write the grid as 东门村第一网格',
  },
  grid_required: { zh: '缺少所属网格', en: 'the grid is missing' },
  household_required: { zh: '缺少住址或门牌号', en: 'the address or house number is missing' },
  resident_elsewhere: {
    zh: '该身份证号的居民已在其他地区的台账中，请由对方迁出后再导入',
    en: 'a resident with this ID number is in another region’s ledger; ask them to move the person out first',
  },
  colour_milder: {
    zh: '标记的“{marked}”低于规则评定的“{rule}”，未采纳（降低颜色须由医生调整）',
    en: 'the marked {marked} is milder than the rule’s {rule} and was not applied (a doctor may lower it)',
  },
  colour_not_permitted: {
    zh: '标记的“{marked}”高于规则评定的“{rule}”，但当前角色无权调整颜色，未采纳',
    en: 'the marked {marked} is above the rule’s {rule}, but your role may not set colours; not applied',
  },
  mobile_invalid: {
    zh: '手机号码“{value}”不正确（应为 11 位，以 13–19 开头）',
    en: 'the mobile number "{value}" is wrong (11 digits starting 13–19)',
  },
  region_level: { zh: '须为{allowed}', en: 'must be a {allowed}' },
  role_unknown: {
    zh: '不认识的身份“{words}”（可填：{allowed}）',
    en: 'unknown roles "{words}" (known: {allowed})',
  },
  unit_unknown: {
    zh: '找不到单位“{unit}”（可先添加该单位，或选择自动创建单位）',
    en: 'no unit "{unit}" (add it first, or choose to create missing units)',
  },
  unit_ambiguous: {
    zh: '有多个名为“{unit}”的单位，无法确定是哪一个',
    en: 'several units are named "{unit}"; cannot tell which one',
  },
  region_unknown: {
    zh: '在“{target}”下找不到“{name}”',
    en: 'no "{name}" under "{target}"',
  },
  region_ambiguous: {
    zh: '“{name}”有多个同名区划，请填写区划代码',
    en: 'several regions are named "{name}"; give the code instead',
  },
  mobile_elsewhere: {
    zh: '该手机号已登记在本县其他地区的人员名下，请联系对方调整',
    en: 'this mobile number belongs to a member registered elsewhere in the county; ask them to change it',
  },
  category_unknown: {
    zh: '人员类别“{words}”不在本县类别中，已记入备注',
    en: 'the categories "{words}" are not known in this county and were added to the notes',
  },
} satisfies Record<string, { zh: string; en: string }>;

export type FieldCode = keyof typeof FIELD_CATALOG;

/** A problem with one field of the input, or one row/column of an import (row as Excel shows it). */
export type FieldError = {
  path: string;
  params?: Params;
  row?: number;
} & (
  | { code: FieldCode; message?: undefined }
  /** A code of a rule module (e.g. 'id.checksum') with its own worded message. */
  | { code: string; message: { zh: string; en: string } }
);

export interface RenderedFieldError {
  path: string;
  code: string;
  message: string;
  row?: number;
}

export function renderField(e: FieldError, lang: Lang): RenderedFieldError {
  const entry = e.message ?? FIELD_CATALOG[e.code as FieldCode];
  const message = fill(lang === 'en' ? entry.en : entry.zh, e.params, lang);
  const out: RenderedFieldError = { path: e.path, code: e.code, message };
  if (e.row !== undefined) out.row = e.row;
  return out;
}

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly params: Params = {},
    readonly errors?: FieldError[],
  ) {
    super(render(code, params, 'en'));
    this.name = 'DomainError';
  }
  get status(): number {
    return ERROR_CATALOG[this.code].status;
  }
  messageIn(lang: Lang): string {
    return render(this.code, this.params, lang);
  }
}

export function render(code: ErrorCode, params: Params, lang: Lang): string {
  const entry: Entry = ERROR_CATALOG[code];
  return fill(lang === 'en' ? entry.en : entry.zh, params, lang);
}

function fill(template: string, params: Params | undefined, lang: Lang): string {
  return template.replace(/\{(\w+)\}/g, (_, k: string) => {
    const v = params?.[k];
    if (v === undefined) return `{${k}}`;
    return typeof v === 'object' ? (lang === 'en' ? v.en : v.zh) : String(v);
  });
}

export const notFound = (): DomainError => new DomainError('not_found');

export function invalid(errors: FieldError[]): DomainError {
  return new DomainError('validation_failed', {}, errors);
}

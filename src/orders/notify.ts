// Composing the notifications an order sends: who gets what, on which channel. Written into the
// outbox in the caller's transaction; delivery (SMS with retries, console live push) is elsewhere.
import type { Executor } from '../db/engine.ts';
import * as repo from './repo.ts';
import type { DueOrderRow } from './repo.ts';

const URGENCY_ZH = { normal: '一般', urgent: '紧急', critical: '非常紧急' } as const;

/** One formatter for every notice (toLocaleString would build a new one each call, ~0.1 ms). */
const SHANGHAI = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  hour12: false,
  month: 'numeric',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

export function shanghai(d: Date): string {
  return SHANGHAI.format(d);
}

export interface Recipient {
  memberId: number | null;
  mobile: string | null;
}

export type NoticeKind =
  | 'dispatched'
  | 'escalated'
  | 'reminder'
  | 'returned'
  | 'unrouted'
  | 'reopened'
  | 'resolved'
  | 'hold_requested'
  | 'hold_approved'
  | 'hold_denied';

export function noticeText(
  kind: NoticeKind,
  o: DueOrderRow,
  needName: string,
  residentLabel: string,
): string {
  const what = `${residentLabel}的“${needName}”诉求（${URGENCY_ZH[o.urgency]}，#${o.id}）`;
  switch (kind) {
    case 'dispatched':
      return `【连心】${what}已派给您，请于 ${shanghai(o.acceptDueAt)} 前签收。`;
    case 'escalated':
      return `【连心】督办：${what}${o.acceptedAt ? '超时未办结' : '超时未签收'}，已上报至您，请督促处理。`;
    case 'reminder':
      return o.acceptedAt
        ? `【连心】提醒：${what}将于 ${shanghai(o.resolveDueAt)} 到期，请及时办结。`
        : `【连心】提醒：${what}将于 ${shanghai(o.acceptDueAt)} 签收到期，请及时签收。`;
    case 'returned':
      return `【连心】${what}被退回，请重新派单。`;
    case 'unrouted':
      return `【连心】${what}暂无对应联系人，请尽快派单。`;
    case 'reopened':
      return `【连心】${what}群众反馈未解决，已重新打开，请于 ${shanghai(o.acceptDueAt)} 前签收。`;
    case 'resolved':
      return `【连心】您的“${needName}”诉求（#${o.id}）已办结，如未解决请扫连心卡反馈。`;
    case 'hold_requested':
      return `【连心】${what}承办人申请延期至 ${shanghai(o.holdRequestedUntil ?? o.resolveDueAt)}，请审批。`;
    case 'hold_approved':
      return `【连心】${what}已批准延期，请于 ${shanghai(o.resolveDueAt)} 前办结。`;
    case 'hold_denied':
      return `【连心】${what}延期申请未获批准，请于 ${shanghai(o.resolveDueAt)} 前办结。`;
  }
}

/** Each recipient gets the message in the console (if a member) and by SMS (if a mobile is known). */
export async function notify(
  ex: Executor,
  o: Pick<DueOrderRow, 'id' | 'countyCode'>,
  kind: NoticeKind,
  text: string,
  to: Recipient[],
  at: Date,
): Promise<void> {
  await repo.insertNotifications(ex, noticeRows(o, kind, text, to, at));
}

/** The outbox rows notify() writes, for callers that write many orders' notices in one statement. */
export function noticeRows(
  o: Pick<DueOrderRow, 'id' | 'countyCode'>,
  kind: NoticeKind,
  text: string,
  to: Recipient[],
  at: Date,
): repo.NoticeRow[] {
  return to.flatMap((r) => [
    ...(r.memberId !== null
      ? [
          {
            countyCode: o.countyCode,
            memberId: r.memberId,
            channel: 'console' as const,
            orderId: o.id,
            kind,
            text,
            createdAt: at,
            sentAt: at,
          },
        ]
      : []),
    ...(r.mobile
      ? [
          {
            countyCode: o.countyCode,
            memberId: r.memberId,
            mobile: r.mobile,
            channel: 'sms' as const,
            orderId: o.id,
            kind,
            text,
            createdAt: at,
            nextAttemptAt: at,
          },
        ]
      : []),
  ]);
}

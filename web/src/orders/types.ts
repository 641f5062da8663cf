// Shapes of the service-loop API (src/orders/routes.ts) as the console sees them; the words
// themselves (states, urgencies, channels) are the server's own vocabulary module.
import type { Channel, OrderState, Urgency } from '../../../src/orders/vocabulary.ts';

export { OPEN_STATES, ORDER_STATES, URGENCIES } from '../../../src/orders/vocabulary.ts';
export type { OrderState, Urgency };

export type OrderEvent =
  | 'dispatch'
  | 'accept'
  | 'start'
  | 'resolve'
  | 'close'
  | 'return'
  | 'hold'
  | 'resume'
  | 'cancel'
  | 'fail'
  | 'reopen'
  | 'duplicate'
  | 'request_hold'
  | 'deny_hold';

export type Named = { zh: string; en: string };

type OrderRow = {
  id: number;
  residentId: number;
  gridId: number;
  needCode: string;
  needName: Named;
  urgency: Urgency;
  channel: Channel;
  description: string | null;
  state: OrderState;
  assigneeMemberId: number | null;
  assigneeTeamId: number | null;
  assigneeName: string | null;
  assigneeTeamName: string | null;
  acceptDueAt: string;
  resolveDueAt: string;
  escalationLevel: number;
  overdueAccept: boolean;
  overdueResolve: boolean;
  overdue: boolean;
  acceptedAt: string | null;
  resolvedAt: string | null;
  closedAt: string | null;
  /** A pending 延期 request: when it was made, the time asked for, by whom (member id), why. */
  holdRequestedAt: string | null;
  holdRequestedUntil: string | null;
  holdRequestedBy: number | null;
  holdRequestReason: string | null;
  solved: boolean | null;
  rating: number | null;
  feedback: string | null;
  createdAt: string;
  updatedAt: string;
};

/** A row of "my orders" or the board. */
export type OrderItem = OrderRow & {
  residentName: string;
  residentPhones: string[];
  address: string | null;
  gridName: string;
};

export type TimelineEvent = {
  id: number;
  at: string;
  kind: string;
  fromState: OrderState | null;
  toState: OrderState | null;
  actorName: string | null;
  note: string | null;
  data: Record<string, unknown> | null;
};

export type ContactRole = 'help' | 'health' | 'livelihood';

export type OrderDetail = OrderRow & {
  resident: { id: number; name: string; address: string | null; phones: string[] } | null;
  contacts: { role: ContactRole; member: { id: number; name: string; mobile: string } | null }[];
  parties: { memberId: number; level: number; reason: string; name: string }[];
  events: TimelineEvent[];
  /** The pending 延期 request as the page shows it: who asked, until when, why. */
  holdRequest: { at: string; until: string; reason: string | null; byName: string | null } | null;
  actions: (OrderEvent | 'feedback')[];
  canCall: boolean;
};

export type NeedType = {
  code: string;
  nameZh: string;
  nameEn: string;
  route: 'help' | 'health' | 'livelihood' | 'team';
};

export type BoardFilter = {
  regionId?: number;
  states: OrderState[];
  needCodes: string[];
  urgency: Urgency[];
  overdueOnly: boolean;
};

export type TransitionInput = {
  event: OrderEvent;
  note?: string | null;
  memberId?: number;
  teamId?: number;
  /** request_hold and hold: the time asked for or granted (延期至), ISO. */
  until?: string | null;
};

export type Notice = {
  id: number;
  memberId: number | null;
  orderId: number | null;
  kind:
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
  text: string;
  createdAt: string;
};

export type SmsStatus = 'pending' | 'sent' | 'failed';
export type SmsMessage = {
  id: number;
  orderId: number | null;
  memberName: string | null;
  mobile: string | null;
  kind: string;
  text: string;
  createdAt: string;
  sentAt: string | null;
  failedAt: string | null;
  attempts: number;
  lastError: string | null;
  status: SmsStatus;
};

/** What the board's pickers need of residents, members and teams. */
export type ResidentHit = {
  id: number;
  name: string;
  idNumber: string | null;
  phones: string[];
  address: string;
  gridName: string;
};
export type MemberHit = { id: number; name: string; mobile: string; roles: string[] };
export type TeamHit = { id: number; name: string; members?: { id: number; name: string }[] };

/** Router state of a link to an order page: the tab it was opened from, and that page's address. */
export type CameFrom = { tab: 'mine' | 'board' | 'sms'; path: string };

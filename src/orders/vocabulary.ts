// The service loop's words, shared by the server and the console (web/src/orders/types.ts imports
// this file): pure data, no imports, so the browser bundle takes nothing else of the server.

export const URGENCIES = ['normal', 'urgent', 'critical'] as const;
export type Urgency = (typeof URGENCIES)[number];
/** Who a need goes to: the resident's help (party member), health (doctor) or livelihood contact, or a team. */
export const ROUTES = ['help', 'health', 'livelihood', 'team'] as const;
export type Route = (typeof ROUTES)[number];
/** How an order came in: the card's QR page, the hotline, a visit, the console. */
export const CHANNELS = ['card', 'hotline', 'visit', 'console'] as const;
export type Channel = (typeof CHANNELS)[number];
export const ORDER_STATES = [
  'submitted',
  'dispatched',
  'accepted',
  'in_progress',
  'on_hold',
  'resolved',
  'closed',
  'returned',
  'reopened',
  'cancelled',
  'failed',
  'duplicate',
] as const;
export type OrderState = (typeof ORDER_STATES)[number];

/** States in which someone still owes the resident something. */
export const OPEN_STATES: readonly OrderState[] = [
  'submitted',
  'dispatched',
  'accepted',
  'in_progress',
  'on_hold',
  'returned',
  'reopened',
];

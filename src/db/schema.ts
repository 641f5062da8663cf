// Every feature's tables in one namespace, for drizzle and drizzle-kit. Add a feature's schema here.
export * from '../regions/schema.ts';
export * from '../platform/auth/schema.ts';
export * from '../platform/audit/schema.ts';
export * from '../platform/import-jobs/schema.ts';
export * from '../ledger/schema.ts';
export * from '../staff/schema.ts';
export * from '../pairing/schema.ts';
export * from '../orders/schema.ts';

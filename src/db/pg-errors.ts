// Recognising PostgreSQL errors by SQLSTATE, whether drizzle wrapped them or not.

interface PgError {
  code?: string;
  constraint?: string;
}

function pgErrorOf(err: unknown): PgError | undefined {
  let e: unknown = err;
  for (let depth = 0; e && depth < 3; depth++) {
    const c = (e as PgError).code;
    if (typeof c === 'string' && /^[0-9A-Z]{5}$/.test(c)) return e as PgError;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** A unique constraint was violated (optionally: this one). */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  const pg = pgErrorOf(err);
  return pg?.code === '23505' && (constraint === undefined || pg.constraint === constraint);
}

/** A row is still referenced by another table's foreign key. */
export function isForeignKeyViolation(err: unknown): boolean {
  return pgErrorOf(err)?.code === '23503';
}

/** Serialization failure or deadlock: the transaction may be retried. */
export function isRetryable(err: unknown): boolean {
  const code = pgErrorOf(err)?.code;
  return code === '40001' || code === '40P01';
}

/**
 * Conversions at the repository boundary: domain values (numbers in sales
 * units, Date, boolean) to column values (thousandths, epoch ms, 0/1) and back,
 * plus the few database errors the repositories turn into domain errors.
 */
import { DomainError } from '../catalog/errors.ts';
import { toThousandths } from '../catalog/quantities.ts';

/** 0.5 kg → 500, rounded as the catalog's rules count, so 0.1 + 0.2 does not leak into storage. */
export function toMilli(quantity: number): number {
  if (!Number.isFinite(quantity) || quantity < 0) {
    throw new DomainError('QUANTITY_INVALID', { quantity });
  }
  return toThousandths(quantity);
}

export function fromMilli(milli: number): number {
  return milli / 1000;
}

export function toEpoch(at: Date): number {
  const ms = at.getTime();
  if (Number.isNaN(ms)) throw new DomainError('INVALID_INPUT', { field: 'date' });
  return ms;
}

export function fromEpoch(ms: number): Date {
  return new Date(Number(ms));
}

export function toFlag(value: boolean): number {
  return value ? 1 : 0;
}

/** The lookup key of a name: case-insensitive for every letter, not only ASCII. */
export function nameKey(name: string): string {
  return name.trim().toLocaleLowerCase('de-DE');
}

const germanCollator = new Intl.Collator('de-DE');

/**
 * Sorts by a text field the way a German reader expects. Done in JS rather than
 * ORDER BY because SQLite and PostgreSQL collate text differently.
 */
export function sortByGerman<T>(rows: T[], text: (row: T) => string | null): T[] {
  return rows.sort((a, b) => {
    const x = text(a);
    const y = text(b);
    if (x === y) return 0;
    if (x === null) return 1;
    if (y === null) return -1;
    return germanCollator.compare(x, y);
  });
}

export type ConstraintKind = 'unique' | 'foreign_key' | 'check';

/** Which integrity rule a driver error reports, on better-sqlite3 and pg alike; null for other errors. */
export function constraintViolation(error: unknown): ConstraintKind | null {
  const code = (error as { code?: unknown } | null)?.code;
  switch (code) {
    case 'SQLITE_CONSTRAINT_UNIQUE':
    case 'SQLITE_CONSTRAINT_PRIMARYKEY':
    case '23505':
      return 'unique';
    case 'SQLITE_CONSTRAINT_FOREIGNKEY':
    case '23503':
      return 'foreign_key';
    case 'SQLITE_CONSTRAINT_CHECK':
    case '23514':
      return 'check';
    default:
      return null;
  }
}

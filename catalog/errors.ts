/**
 * The one catalogue of domain error codes. Every code has a user-facing message
 * in every locale under `errors.<CODE>` (tests/locales.test.ts enforces it).
 */
export const DOMAIN_ERROR_CODES = [
  'OUT_OF_STOCK',
  'CYCLE_CLOSED',
  'NO_OPEN_CYCLE',
  'UNKNOWN_PRODUCT',
  'UNKNOWN_OFFER',
  'UNKNOWN_ORDER',
  'UNKNOWN_PICKUP_POINT',
  'UNKNOWN_PRODUCER',
  'UNKNOWN_CUSTOMER',
  'QUANTITY_STEP',
  'QUANTITY_INVALID',
  'OVER_MAXIMUM',
  'EMPTY_CART',
  'NOT_ALLOWED',
  'ORDER_NOT_CHANGEABLE',
  'PRICE_INVALID',
  'INVALID_INPUT',
  'CONFLICT',
] as const;

export type DomainErrorCode = (typeof DOMAIN_ERROR_CODES)[number];

/** Values a message may interpolate: names, quantities, cents. */
export type ErrorDetails = Record<string, string | number | null | undefined | object>;

/**
 * A refusal the user can be told about. `details` carries what the message
 * needs (e.g. `{ product: 'Senfgurken', available: 4 }`); never a secret.
 */
export class DomainError extends Error {
  readonly code: DomainErrorCode;
  readonly details: ErrorDetails;

  constructor(code: DomainErrorCode, details: ErrorDetails = {}, message?: string) {
    super(message ?? `${code} ${JSON.stringify(details)}`);
    this.name = 'DomainError';
    this.code = code;
    this.details = details;
  }
}

export function isDomainError(error: unknown, code?: DomainErrorCode): error is DomainError {
  return error instanceof DomainError && (code === undefined || error.code === code);
}

/**
 * For `.catch`: a refusal (no week yet, an unknown offer) becomes `fallback`;
 * anything else, such as a database that is gone, still fails the turn. Catching
 * everything would read a lost connection as "no week" and act on it (empty the
 * cart), and the turn would then be saved as if that were so.
 */
export function whenRefused<T>(fallback: T): (error: unknown) => T {
  return (error) => {
    if (!isDomainError(error)) throw error;
    return fallback;
  };
}

/** Out-of-stock details: which offers could not be served and what is left. */
export interface ShortageDetail {
  offerId: number;
  productName: string;
  requested: number;
  available: number;
}

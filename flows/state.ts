/**
 * The saved conversation: plain JSON only, so any instance can continue it
 * after a restart. `pending` is the one open question, if any.
 */
import type { CartLine, Language, Unit } from '../catalog/types.ts';
import type { StockLineInput } from '../catalog/marketplace.ts';
import type { Choice, Expectation, Reply } from './types.ts';

export type Pending =
  | { kind: 'consent'; then: 'checkout' | null }
  | { kind: 'name'; then: 'checkout' | null }
  | { kind: 'pickup_point'; then: 'checkout' | 'settings' }
  | { kind: 'pick_offer'; offerIds: number[]; quantity: number | null; unit: Unit | null }
  | { kind: 'quantity'; offerId: number }
  | { kind: 'reduce_to'; offerId: number; quantity: number }
  | { kind: 'checkout_confirm'; cycleId: number; pickupPointId: number; pickupFrom: string; token: string }
  | { kind: 'order_action'; orderId: number }
  | { kind: 'cancel_confirm'; orderId: number }
  | { kind: 'delete_confirm' }
  | { kind: 'speech_confirm'; transcript: string; previous: Pending | null }
  | { kind: 'phone_number' }
  | { kind: 'stock_preview'; lines: StockLineInput[] }
  | { kind: 'reminder_channel' };

/** What was said last, for "wiederholen" / keypad 9. */
export interface LastPrompt {
  replies: Reply[];
  choices: Choice[];
  expect: Expectation;
}

export interface ConversationState {
  v: 1;
  language: Language;
  /** Set once the sender has agreed to the privacy note and become a customer. */
  customerId: number | null;
  /** For callers with a withheld number who keyed it in. */
  phone: string | null;
  cart: CartLine[];
  /** The cycle the cart belongs to; a cart never crosses the cutoff. */
  cartCycleId: number | null;
  /** When set, checkout changes this placed order instead of placing a new one. */
  editOrderId: number | null;
  pickupPointId: number | null;
  pending: Pending | null;
  /** When the pending question was asked (ISO). */
  askedAt: string | null;
  last: LastPrompt | null;
  /** Consecutive turns we did not understand (or silences on the phone). */
  misunderstood: number;
  /** Offer ids the customer last talked about, for "doch lieber 3". */
  focusOfferId: number | null;
  /** Category browse position, for "weitere". */
  page: { list: string; offset: number } | null;
  /**
   * The main menu last shown. A chat may keep it on screen (Telegram's reply
   * keyboard), so its labels still count as those choices turns later.
   */
  menu: Choice[] | null;
}

export function newConversation(language: Language = 'de'): ConversationState {
  return {
    v: 1, language, customerId: null, phone: null, cart: [], cartCycleId: null, editOrderId: null, pickupPointId: null,
    pending: null, askedAt: null, last: null, misunderstood: 0, focusOfferId: null, page: null, menu: null,
  };
}

/** Accepts whatever was stored; anything unreadable starts afresh rather than failing the turn. */
export function restoreConversation(stored: unknown): ConversationState {
  if (stored && typeof stored === 'object' && (stored as { v?: unknown }).v === 1) {
    return { ...newConversation(), ...(stored as Partial<ConversationState>) } as ConversationState;
  }
  return newConversation();
}

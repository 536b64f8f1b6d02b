/**
 * The saved conversation: plain, versioned JSON, so any instance can continue it
 * after a restart. `agenda` holds what is still to be settled, in order: its head
 * is the question asked last (when `askedAt` is set), the rest wait their turn.
 * `stack` holds the dialogs waiting for a dialog they began to end.
 */
import type { CartLine, Identity, Language } from '../catalog/types.ts';
import type { Choice, Expectation, Json, Reply } from './types.ts';

/** An open question: which dialog asked it, which of its questions, and what it needs to read the answer. */
export interface OpenQuestion {
  dialog: string;
  question: string;
  args: Json;
  /** When it was asked (ISO); null while it waits on the agenda. */
  askedAt: string | null;
}

/** A dialog waiting for the one it began: where its result goes back to. */
export interface Frame {
  dialog: string;
  resume: string;
  args: Json;
}

/** What was said last, for "wiederholen" / keypad 9. */
export interface LastPrompt {
  replies: Reply[];
  choices: Choice[];
  expect: Expectation;
}

export const STATE_VERSION = 2;

export interface ConversationState {
  v: typeof STATE_VERSION;
  language: Language;
  /** Set once the sender has agreed to the privacy note and become a customer. */
  customerId: number | null;
  /**
   * A caller with a withheld number: the number they proved (flows/identity.ts),
   * or the call's own identity when they order without one. Never a number merely keyed in.
   */
  caller: Identity | null;
  /** On the phone: whose PIN ("producer:3", "staff:5") was keyed in right in this call, or how often it was wrong. */
  pin: { holder: string; ok: boolean; wrong: number } | null;
  /** On the phone: numbers a withheld caller had us text a code to or call back in this call. */
  verifications: number;
  cart: CartLine[];
  /** The cycle the cart belongs to; a cart never crosses the cutoff. */
  cartCycleId: number | null;
  /** When set, checkout changes this placed order instead of placing a new one. */
  editOrderId: number | null;
  pickupPointId: number | null;
  agenda: OpenQuestion[];
  stack: Frame[];
  /** Speech heard with low confidence, read back before it counts. */
  unsure: { transcript: string } | null;
  last: LastPrompt | null;
  /** Consecutive turns we did not understand (or silences on the phone). */
  misunderstood: number;
  /** Offer ids the customer last talked about, for "doch lieber 3". */
  focusOfferId: number | null;
  /**
   * A list longer than one page: its choices from `offset` on are the next pages ("weitere"). Saved as
   * the choices not shown yet, from 0; a conversation saved earlier keeps the whole list and an offset.
   */
  page: { choices: Choice[]; offset: number; expect: Expectation } | null;
  /** The prompts before the last one, newest last, with the questions open then: keypad * goes back to them. */
  trail: Array<{ last: LastPrompt; agenda: OpenQuestion[]; page: ConversationState['page'] }>;
  /**
   * The main menu last shown. A chat may keep it on screen (Telegram's reply
   * keyboard), so its labels still count as those choices turns later.
   */
  menu: Choice[] | null;
  /** A producer or staff member chose to order as a customer (flows/shopping.ts), until they go back to work. */
  shopping: boolean;
}

export function newConversation(language: Language = 'de'): ConversationState {
  return {
    v: STATE_VERSION, language, customerId: null, caller: null, pin: null, verifications: 0, cart: [], cartCycleId: null, editOrderId: null, pickupPointId: null,
    agenda: [], stack: [], unsure: null, last: null, misunderstood: 0, focusOfferId: null, page: null, trail: [], menu: null,
    shopping: false,
  };
}

/** Accepts whatever was stored; anything unreadable starts afresh rather than failing the turn. */
export function restoreConversation(stored: unknown): ConversationState {
  if (!stored || typeof stored !== 'object') return newConversation();
  const version = (stored as { v?: unknown }).v;
  if (version === STATE_VERSION) return { ...newConversation(), ...(stored as Partial<ConversationState>) } as ConversationState;
  if (version === 1) return fromVersion1(stored as V1State);
  return newConversation();
}

// ---------------------------------------------------------------------------
// Version 1 (until December 2026): one `pending` question, whose `then` said where to continue.

type V1Pending = { kind: string; then?: 'checkout' | 'settings' | null; [key: string]: unknown };

interface V1State extends Omit<ConversationState, 'v' | 'agenda' | 'stack' | 'unsure'> {
  v: 1;
  pending: V1Pending | null;
  askedAt: string | null;
}

/** The dialog and question each version-1 question became, and which of its fields are the question's arguments. */
const V1_QUESTIONS: Record<string, { dialog: string; question: string; args: string[] }> = {
  consent: { dialog: 'onboarding', question: 'consent', args: [] },
  name: { dialog: 'onboarding', question: 'name', args: [] },
  pickup_point: { dialog: 'pickup', question: 'point', args: [] },
  pick_offer: { dialog: 'cart', question: 'pickOffer', args: ['offerIds', 'quantity', 'unit', 'text'] },
  quantity: { dialog: 'cart', question: 'quantity', args: ['offerId'] },
  reduce_to: { dialog: 'cart', question: 'reduceTo', args: ['offerId', 'quantity'] },
  checkout_confirm: { dialog: 'checkout', question: 'confirm', args: ['cycleId', 'pickupPointId', 'pickupFrom', 'token'] },
  order_action: { dialog: 'orders', question: 'action', args: ['orderId'] },
  cancel_confirm: { dialog: 'orders', question: 'cancel', args: ['orderId'] },
  delete_confirm: { dialog: 'settings', question: 'delete', args: [] },
  reminder_channel: { dialog: 'settings', question: 'reminderChannel', args: [] },
  stock_preview: { dialog: 'producer', question: 'preview', args: ['lines'] },
};

/** Where a version-1 `then: 'checkout'` continued: checkout resumes after consent, name or pickup point. */
const V1_CHECKOUT_RESUMES: Record<string, string> = { consent: 'afterOnboarding', name: 'afterOnboarding', pickup_point: 'afterPickup' };

function fromVersion1(old: V1State): ConversationState {
  const { pending, askedAt, v: _v, ...kept } = old as V1State & { pending: V1Pending | null };
  // Version 1 kept a browse position by list name; the next page then starts afresh.
  const state: ConversationState = { ...newConversation(), ...(kept as Partial<ConversationState>), page: null, v: STATE_VERSION };
  let question = pending;
  if (question?.kind === 'speech_confirm') {
    state.unsure = { transcript: String(question.transcript ?? '') };
    question = (question.previous as V1Pending | null) ?? null;
  }
  const mapped = question ? V1_QUESTIONS[question.kind] : undefined;
  if (question && mapped) {
    const args: Record<string, Json> = {};
    for (const name of mapped.args) args[name] = (question[name] ?? null) as Json;
    state.agenda = [{ dialog: mapped.dialog, question: mapped.question, args, askedAt }];
    const resume = V1_CHECKOUT_RESUMES[question.kind];
    if (question.then === 'checkout' && resume) state.stack = [{ dialog: 'checkout', resume, args: null }];
  }
  return state;
}

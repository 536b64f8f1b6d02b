/**
 * The channel-neutral dialogue engine: one turn over the saved state.
 * Input is an InboundEvent, output the new plain-JSON state and a TurnResult
 * of message keys and choices. Never throws for anything a user can send.
 */
import { isDomainError } from '../catalog/errors.ts';
import type { Identity } from '../catalog/types.ts';
import { handleChoice } from './choices.ts';
import { handlePending, yesNo } from './pending.ts';
import { routeIntent } from './router.ts';
import { greet, mainMenu, offerHuman, sayError } from './menu.ts';
import type { Understanding, VocabularyEntry } from './nlu/types.ts';
import { newConversation, restoreConversation, type ConversationState } from './state.ts';
import { choice, Turn, type FlowDeps } from './turn.ts';
import type { InboundEvent, TurnResult } from './types.ts';

/** A question left open longer than this is dropped with a short note. */
const QUESTION_TTL_MS = 3 * 60 * 60 * 1000;
/** Speech below this confidence is read back before it counts. */
const SPEECH_CONFIDENCE = 0.5;
/** Longer messages are cut before understanding; nobody orders in an essay. */
const MAX_TEXT = 2000;

export interface EngineTurn {
  state: ConversationState;
  result: TurnResult;
}

/** What the user did this turn, after keypad and number mapping. */
export type Input =
  | { kind: 'start' }
  | { kind: 'silence' }
  | { kind: 'choice'; id: string }
  | { kind: 'text'; text: string; understanding: Understanding }
  | { kind: 'location'; lat: number; lon: number }
  | { kind: 'contact'; phone: string; own: boolean };

export type Engine = ReturnType<typeof createEngine>;

const ENGLISH_OPENING = /^\s*(hello|hi|hey|good (morning|afternoon|evening)|english|in english|i'?d like|do you have|what do you have)\b/i;

/** German first; a conversation that opens in English is answered in English. */
function firstLanguage(event: InboundEvent): 'de' | 'en' {
  const { payload } = event;
  const text = payload.type === 'text' ? payload.text : payload.type === 'speech' ? payload.transcript : '';
  return ENGLISH_OPENING.test(text) ? 'en' : 'de';
}

export function createEngine(deps: FlowDeps) {
  let vocabulary: { signature: string; entries: VocabularyEntry[] } = { signature: '', entries: [] };

  /** The recogniser caches per vocabulary array, so keep one array while the offer's names stay the same. */
  async function currentVocabulary(t: Turn): Promise<VocabularyEntry[]> {
    const offers =
      t.role.kind === 'producer'
        ? await t.market.producerOffers(t.role.producer.id).catch(() => [])
        : await t.market.weekOffer().catch(() => []);
    const signature = offers.map((o) => `${o.id}:${o.productName}`).join('|');
    if (signature !== vocabulary.signature) {
      vocabulary = {
        signature,
        entries: offers.map((o) => ({
          offerId: o.id, productName: o.productName, category: o.category, unit: o.unit, producerName: o.producerName,
        })),
      };
    }
    return vocabulary.entries;
  }

  async function understand(t: Turn, text: string): Promise<Understanding> {
    return deps.recogniser.understand(text.slice(0, MAX_TEXT), {
      language: t.state.language,
      vocabulary: await currentVocabulary(t),
      places: deps.locator.placeNames(),
      role: t.role.kind,
    });
  }

  async function toInput(t: Turn, event: InboundEvent): Promise<Input | 'repeat' | 'human' | 'confirm_speech'> {
    const { payload } = event;
    const state = t.state;
    const numeric = state.pending?.kind === 'quantity' || state.pending?.kind === 'phone_number';
    switch (payload.type) {
      case 'start':
      case 'silence':
        return { kind: payload.type };
      case 'repeat':
        return 'repeat';
      case 'choice':
        return { kind: 'choice', id: payload.id.slice(0, 64) };
      case 'location':
        return { kind: 'location', lat: payload.lat, lon: payload.lon };
      case 'contact':
        return { kind: 'contact', phone: payload.phone, own: payload.own };
      case 'digits': {
        const digits = payload.digits.replace(/[^0-9*#]/g, '').replace(/#$/, '');
        if (digits === '9' && !numeric) return 'repeat';
        if (digits === '0' && !numeric) return 'human';
        const index = Number(digits) - 1;
        if (!numeric && /^\d$/.test(digits) && state.last && index >= 0 && index < state.last.choices.length) {
          return { kind: 'choice', id: state.last.choices[index].id };
        }
        return { kind: 'text', text: digits, understanding: await understand(t, digits) };
      }
      case 'speech': {
        const transcript = payload.transcript.trim();
        if (!transcript) return { kind: 'silence' };
        if (payload.confidence < SPEECH_CONFIDENCE && state.pending?.kind !== 'speech_confirm') {
          state.pending = { kind: 'speech_confirm', transcript: transcript.slice(0, 200), previous: state.pending };
          state.askedAt = t.now.toISOString();
          return 'confirm_speech';
        }
        return { kind: 'text', text: transcript, understanding: await understand(t, transcript) };
      }
      case 'text': {
        const text = payload.text.replace(/[\u0000-\u0008\u000B-\u001F\u007F]/g, '').trim();
        if (!text) return { kind: 'silence' };
        const index = /^\d$/.test(text) ? Number(text) - 1 : -1;
        if (!numeric && state.last && index >= 0 && index < state.last.choices.length) {
          return { kind: 'choice', id: state.last.choices[index].id };
        }
        const understanding = await understand(t, text);
        // "wiederholen" is keypad 9 in words: the same side-effect-free re-render.
        return understanding.intent === 'repeat' ? 'repeat' : { kind: 'text', text, understanding };
      }
    }
  }

  /** Drops a question left open for hours and a cart whose week has closed. */
  async function tidy(t: Turn): Promise<void> {
    const state = t.state;
    if (state.pending && state.askedAt && t.now.getTime() - Date.parse(state.askedAt) > QUESTION_TTL_MS) {
      t.settle();
      t.say('common.questionExpired');
    }
    if (state.cart.length > 0) {
      const week = await t.market.currentWeek().catch(() => null);
      if (!week || !week.open || week.cycle.id !== state.cartCycleId) {
        state.cart = [];
        state.cartCycleId = null;
        state.editOrderId = null;
        t.say('cart.expired');
      }
    }
  }

  async function dispatch(t: Turn, input: Input): Promise<boolean> {
    const pending = t.state.pending;
    if (pending?.kind === 'speech_confirm') {
      const yes = yesNo(input);
      if (yes !== null) {
        t.state.pending = pending.previous;
        if (!yes) {
          t.say('common.sayAgain');
          if (t.state.last) t.offer(t.state.last.choices, t.state.last.expect);
          return true;
        }
        return dispatch(t, { kind: 'text', text: pending.transcript, understanding: await understand(t, pending.transcript) });
      }
      t.state.pending = pending.previous;
    }
    switch (input.kind) {
      case 'start':
        await greet(t);
        return true;
      case 'silence':
        return false;
      case 'choice':
        return handleChoice(t, input.id);
      case 'location':
      case 'contact':
        return (await handlePending(t, input)) || routeIntent(t, input);
      case 'text': {
        const global = ['help', 'cancel', 'back', 'repeat', 'human'].includes(input.understanding.intent);
        if (!global && t.state.pending && (await handlePending(t, input))) return true;
        return routeIntent(t, input);
      }
    }
  }

  return {
    /** Runs one turn. `stored` is whatever was saved last (or null for a new conversation). */
    async turn(stored: unknown, event: InboundEvent): Promise<EngineTurn> {
      const state = stored === null ? newConversation(firstLanguage(event)) : restoreConversation(stored);
      const now = deps.clock.now();
      const identity: Identity | null =
        event.identity ?? (state.phone ? { kind: 'phone', value: state.phone } : null);
      const market = deps.market.forTurn(now);
      const role = await market.identify(identity);
      if (role.kind === 'customer' && role.customer) {
        state.customerId = role.customer.id;
        state.language = role.customer.language;
      } else if (role.kind === 'customer' && state.customerId !== null) {
        // The customer was erased (or the identity unlinked): start afresh.
        Object.assign(state, newConversation(state.language));
      }
      const t = new Turn({ ...deps, market }, state, event.channel, role, now, identity, event.profileName ?? null);
      try {
        await tidy(t);
        const input = await toInput(t, event);
        if (input === 'repeat') return { state, result: await repeatLast(t) };
        if (input === 'human') {
          await offerHuman(t);
        } else if (input === 'confirm_speech') {
          const pending = state.pending as { transcript: string };
          t.say('common.speechConfirm', { text: { raw: pending.transcript } });
          t.offer([choice('yes', 'common.yes'), choice('no', 'common.no')], 'yes_no');
        } else {
          const understood = await dispatch(t, input);
          if (understood) {
            state.misunderstood = 0;
          } else {
            state.misunderstood += 1;
            await notUnderstood(t, input.kind === 'silence');
          }
        }
      } catch (error) {
        if (!isDomainError(error)) throw error;
        sayError(t, error);
        if (t.choices.length === 0) await mainMenu(t, { intro: false });
      }
      // The phone's recogniser listens for this week's products whenever the turn names nothing else.
      if (t.spoken && t.speechHints.length === 0) t.speechHints = (await currentVocabulary(t)).map((entry) => entry.productName);
      if (t.replies.length > 0) state.last = { replies: t.replies, choices: t.choices, expect: t.result().expect };
      return { state, result: t.result() };
    },
  };

  async function repeatLast(t: Turn): Promise<TurnResult> {
    if (t.state.last) {
      for (const reply of t.state.last.replies) t.replies.push(reply);
      t.offer(t.state.last.choices, t.state.last.expect);
    } else {
      await mainMenu(t, { intro: true });
    }
    return t.result();
  }

  /** Re-asks; after two misses more slowly with the options, after three a person is offered. */
  async function notUnderstood(t: Turn, silence: boolean): Promise<void> {
    const misses = t.state.misunderstood;
    if (misses >= 3) {
      t.say(silence ? 'common.silenceThird' : 'common.notUnderstoodThird');
      await offerHuman(t, { ask: true });
      return;
    }
    t.say(silence ? 'common.silence' : 'common.notUnderstood');
    if (misses >= 2) t.slow = true;
    const last = t.state.last;
    if (last && last.choices.length > 0) {
      for (const reply of last.replies.slice(-1)) t.replies.push(reply);
      t.offer(last.choices, last.expect);
    } else if (t.state.pending && last) {
      for (const reply of last.replies.slice(-1)) t.replies.push(reply);
      t.expect = last.expect;
    } else {
      await mainMenu(t, { intro: false });
    }
  }
}

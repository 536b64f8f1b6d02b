/**
 * The channel-neutral dialogue engine: one turn over the saved state. Input is an
 * InboundEvent, output the new plain-JSON state and a TurnResult of message keys
 * and choices. It owns the whole turn: reading an answer against the labels the
 * medium showed, the open question first, then the dialogs of the registry.
 * Never throws for anything a user can send.
 */
import { isDomainError, whenRefused } from '../catalog/errors.ts';
import { yesNo, yesNoChoices } from './answers.ts';
import { createRegistry, type Answer, type Dialog, type Phrase, type Registry, type TextInput } from './dialog.ts';
import { DIALOGS, home as defaultHome } from './dialogs.ts';
import { speaker } from './identity.ts';
import { foldUmlauts, normalizeText } from './nlu/normalize.ts';
import type { Understanding, VocabularyEntry } from './nlu/types.ts';
import type { Renderer } from './render.ts';
import { newConversation, restoreConversation, type ConversationState } from './state.ts';
import { actingRole } from './shopping.ts';
import { cleanText } from './text.ts';
import { Turn, type FlowDeps, type Home } from './turn.ts';
import type { Choice, InboundEvent, Medium, TurnResult, UnsupportedKind } from './types.ts';

/** A question left open longer than this is dropped with a short note. */
const QUESTION_TTL_MS = 3 * 60 * 60 * 1000;
/** Speech below this confidence is read back before it counts. */
const SPEECH_CONFIDENCE = 0.5;
/** Longer messages are cut before understanding; nobody orders in an essay. */
const MAX_TEXT = 2000;
/** An answer longer than this is a sentence, not a choice's label. */
const MAX_CHOICE_ANSWER = 120;
/** Normalised labels kept for matching answers to choices. */
const MATCH_FORMS_KEPT = 2000;
/** Words around a choice that say nothing about which one: "na der dorfladen", "ich nehme die festen bitte". */
const FILLERS = new Set([
  'na', 'nu', 'also', 'aeh', 'aehm', 'hm', 'hmm', 'ja', 'doch', 'lieber', 'bitte', 'danke', 'ich', 'nehme', 'nehm', 'haette', 'moechte', 'gern', 'gerne',
  'die', 'der', 'das', 'den', 'dem', 'des', 'ein', 'eine', 'einen', 'mal', 'dann', 'the', 'a', 'an', 'one', 'please', 'i', 'ill', 'take', 'id', 'like',
]);
/** "der zweite", "the third": a place in the list just offered. */
const ORDINALS = new Map([
  ['erste', 0], ['ersten', 0], ['erster', 0], ['zweite', 1], ['zweiten', 1], ['zweiter', 1], ['dritte', 2], ['dritten', 2], ['dritter', 2],
  ['vierte', 3], ['vierten', 3], ['vierter', 3], ['first', 0], ['second', 1], ['third', 2], ['fourth', 3],
]);
/** Unanswered prompts on the phone after which the call is ended: asked again twice, then a person offered. */
const SILENCES_BEFORE_HANGING_UP = 3;

/** Goodbye on the phone: said in any question, it ends the call politely. */
const GOODBYE = /\b(auf wiederh(oe|o)ren|auf wiedersehen|tschue?ss|tschau|ciao|bye|goodbye|good bye)\b/;

/** Prompts kept for keypad * ("back"), newest last. */
const TRAIL_KEPT = 5;
/** Questions answered on the side: the open question stays open and is asked again after the answer. */
const ASIDE_INTENTS = new Set(['help', 'ask_deadline', 'ask_organic', 'ask_allergens', 'ask_delivery', 'ask_van', 'ask_hours', 'ask_about_us']);
/** Intents that leave an open question (it is asked again afterwards where that makes sense). */
const GLOBAL_INTENTS = new Set(['cancel', 'back', 'repeat', 'human', ...ASIDE_INTENTS]);

export interface EngineDeps extends FlowDeps {
  renderer: Renderer;
  /** The dialogs to dispatch through; the service's own by default. */
  dialogs?: readonly Dialog[];
  home?: Home;
}

export interface EngineTurn {
  state: ConversationState;
  result: TurnResult;
}

/** What the user did this turn, after keypad, number and label mapping. */
type Input =
  | { kind: 'start' }
  | { kind: 'silence' }
  | { kind: 'choice'; id: string; pressed: boolean }
  | TextInput
  | { kind: 'location'; lat: number; lon: number }
  | { kind: 'contact'; phone: string; own: boolean }
  | { kind: 'unsupported'; what: UnsupportedKind };

export type Engine = ReturnType<typeof createEngine>;

/** The label of the choice at `index` of those offered last turn, in match form. */
type LabelAt = (index: number) => string;

const ENGLISH_OPENING = /^\s*(hello|hi|hey|good (morning|afternoon|evening)|english|in english|i'?d like|do you have|what do you have)\b/i;

/** German first; a conversation that opens in English is answered in English. */
function firstLanguage(event: InboundEvent): 'de' | 'en' {
  const { payload } = event;
  const text = payload.type === 'text' ? payload.text : payload.type === 'speech' ? payload.transcript : '';
  return ENGLISH_OPENING.test(text) ? 'en' : 'de';
}

export function createEngine(deps: EngineDeps) {
  const registry: Registry = createRegistry(deps.dialogs ?? DIALOGS);
  const home = deps.home ?? defaultHome;
  const { renderer } = deps;
  /**
   * What every turn's dialogs work with, built once; a turn only puts its own view of the marketplace in.
   * Not spread anew with keys added each turn: V8 keeps whatever an object made by a spread and then given
   * a key its source lacks points to alive through young-generation collections, so every turn's
   * marketplace, with all its closures held, was copied into the old generation and doubled their cost.
   */
  const turnDeps = { ...deps, dialogs: registry, home };
  let vocabulary: VocabularyEntry[] = [];

  /**
   * The recogniser caches per vocabulary array, so keep one array while the offers' ids and names stay the same
   * (compared one by one: joining them into a signature cost every understood message a string of the whole week).
   */
  async function currentVocabulary(t: Turn): Promise<VocabularyEntry[]> {
    const offers =
      t.role.kind === 'producer'
        ? await t.market.producerOffers(t.role.producer.id).catch(whenRefused([]))
        : await t.market.weekOffer().catch(whenRefused([]));
    const same = offers.length === vocabulary.length && offers.every((o, i) => o.id === vocabulary[i].offerId && o.productName === vocabulary[i].productName);
    if (!same) {
      vocabulary = offers.map((o) => ({
        offerId: o.id, productName: o.productName, category: o.category, unit: o.unit, producerName: o.producerName,
      }));
    }
    return vocabulary;
  }

  async function understand(t: Turn, text: string): Promise<Understanding> {
    return deps.recogniser.understand(text.slice(0, MAX_TEXT), {
      language: t.state.language,
      vocabulary: await currentVocabulary(t),
      places: deps.locator.placeNames(),
      role: t.role.kind,
    });
  }

  async function textInput(t: Turn, text: string): Promise<TextInput> {
    return { kind: 'text', text, understanding: await understand(t, text) };
  }

  const matchForms = new Map<string, string>();
  const matchForm = (text: string): string => {
    let form = matchForms.get(text);
    if (form === undefined) {
      form = foldUmlauts(normalizeText(text));
      if (matchForms.size >= MATCH_FORMS_KEPT) matchForms.clear();
      matchForms.set(text, form);
    }
    return form;
  };

  /** One-word place names in match form, worked out once: "Lübben" said is Lübben, never the Lübbenau in a label. */
  let placeWords: Set<string> | null = null;
  const isPlaceWord = (word: string): boolean => {
    placeWords ??= new Set(deps.locator.placeNames().map((name) => foldUmlauts(normalizeText(name))).filter((name) => !name.includes(' ')));
    return placeWords.has(word);
  };

  /** A choice's label as the medium showed it, in match form. */
  function labelForm(state: ConversationState, choice: Choice, medium: Medium): string {
    return matchForm(renderer.text(state.language, medium, choice.label.key, choice.label.params));
  }

  /**
   * The labels of the choices offered last turn, in match form, by their place in the list: each is worked
   * out once however often an answer is compared with it, and only when it is (the choices are parsed anew
   * every turn, so there is nothing to keep beyond the answer).
   */
  function offeredLabels(state: ConversationState, medium: Medium): LabelAt {
    const offered = state.last?.choices ?? [];
    const forms: string[] = [];
    return (index) => (forms[index] ??= labelForm(state, offered[index], medium));
  }

  /** A typed or spoken answer that is one of the offered choices' labels, as the medium showed them, is that choice. */
  function choiceByLabel(state: ConversationState, said: string, medium: Medium, labelOf: LabelAt): Choice | undefined {
    if (said.length > MAX_CHOICE_ANSWER) return undefined;
    const key = matchForm(said);
    const hits = (state.last?.choices ?? []).filter((_, index) => {
      const label = labelOf(index);
      return label.length >= 3 && (key === label || (label.length >= 6 && ` ${key} `.includes(` ${label} `)));
    });
    if (hits.length === 1) return hits[0];
    // A main-menu button a chat kept on screen, pressed turns later: only its exact label counts.
    return medium === 'written' && hits.length === 0 ? state.menu?.find((c) => labelForm(state, c, medium) === key) : undefined;
  }

  /**
   * "die festen", "na der dorfladen", "der zweite": an answer that names one of the choices just offered by a
   * word of its own, or by its place in the list. Only for short answers without numbers, and only when exactly
   * one choice fits, so that "2 Gläser Honig" is still read as an order.
   */
  function choiceByWords(state: ConversationState, said: string, labelOf: LabelAt): Choice | undefined {
    const offered = state.last?.expect === 'choice' ? state.last.choices : [];
    // A question ("Habt ihr Eier?") or anything with a number is no pick from a list.
    if (offered.length === 0 || /[\d?]/.test(said)) return undefined;
    const words = matchForm(said).split(' ').filter((word) => word.length > 0 && !FILLERS.has(word));
    if (words.length === 0 || words.length > 3) return undefined;
    if (words.length === 1 && ORDINALS.has(words[0])) return offered[ORDINALS.get(words[0])!];
    const stems = words.map((word) => (word.length > 5 && !isPlaceWord(word) ? word.replace(/(en|es|er|em|e|n|s)$/, '') : word));
    if (stems.some((stem) => stem.length < 4)) return undefined;
    const hits = offered.filter((_, index) => {
      const labelWords = labelOf(index).split(' ');
      // "die festen" is the festkochend ones; a place said names its own place only.
      return stems.every((stem) => labelWords.some((word) => (isPlaceWord(stem) ? word === stem : word.startsWith(stem))));
    });
    return hits.length === 1 ? hits[0] : undefined;
  }

  /** The n-th choice just offered, for a keyed or typed digit. */
  function numbered(t: Turn, text: string): Input | null {
    const index = /^\d$/.test(text) ? Number(text) - 1 : -1;
    const offered = t.state.last?.choices ?? [];
    return index >= 0 && index < offered.length ? { kind: 'choice', id: offered[index].id, pressed: false } : null;
  }

  async function toInput(t: Turn, event: InboundEvent, medium: Medium): Promise<Input | 'repeat' | 'repeatSlowly' | 'back' | 'human' | 'confirm_speech'> {
    const { payload } = event;
    const state = t.state;
    // A question that wants a number or a phone number takes digits as digits, not as choices.
    const numeric = t.question !== null && (state.last?.expect === 'number' || state.last?.expect === 'phone');
    switch (payload.type) {
      case 'start':
      case 'silence':
        return { kind: payload.type };
      case 'repeat':
        return 'repeat';
      case 'choice':
        return { kind: 'choice', id: payload.id.slice(0, 64), pressed: true };
      case 'location':
        return { kind: 'location', lat: payload.lat, lon: payload.lon };
      case 'contact':
        return { kind: 'contact', phone: payload.phone, own: payload.own };
      case 'unsupported':
        return { kind: 'unsupported', what: payload.kind };
      case 'digits': {
        const digits = payload.digits.replace(/[^0-9*#]/g, '').replace(/#$/, '');
        if (digits === '') return { kind: 'silence' };
        if (digits === '*') return 'back';
        if (!numeric) {
          if (digits === '9') return 'repeat';
          if (digits === '0') return 'human';
          const choice = numbered(t, digits);
          if (choice) return choice;
        }
        return textInput(t, digits);
      }
      case 'speech': {
        const transcript = payload.transcript.trim();
        if (!transcript) return { kind: 'silence' };
        if (payload.confidence < SPEECH_CONFIDENCE && !state.unsure) {
          state.unsure = { transcript: transcript.slice(0, 200) };
          return 'confirm_speech';
        }
        const labels = offeredLabels(state, medium);
        const byLabel = choiceByLabel(state, transcript, medium, labels) ?? choiceByWords(state, transcript, labels);
        if (byLabel) return { kind: 'choice', id: byLabel.id, pressed: false };
        const input = await textInput(t, transcript);
        // "wie bitte": said again, and more slowly.
        return input.understanding.intent === 'repeat' ? 'repeatSlowly' : input;
      }
      case 'text': {
        const text = cleanText(payload.text, MAX_TEXT).trim();
        if (!text) return { kind: 'silence' };
        const labels = offeredLabels(state, medium);
        const byLabel = choiceByLabel(state, text, medium, labels) ?? (numeric ? undefined : choiceByWords(state, text, labels));
        if (byLabel) return { kind: 'choice', id: byLabel.id, pressed: false };
        const choice = numeric ? null : numbered(t, text);
        if (choice) return choice;
        const input = await textInput(t, text);
        // "wiederholen" is keypad 9 in words: the same side-effect-free re-render.
        return input.understanding.intent === 'repeat' ? 'repeat' : input;
      }
    }
  }

  /** Drops questions left open for hours and a cart whose week has closed. */
  async function tidy(t: Turn): Promise<void> {
    const state = t.state;
    const asked = t.question?.askedAt;
    if (asked && t.now.getTime() - Date.parse(asked) > QUESTION_TTL_MS) {
      t.reset();
      t.say('common.questionExpired');
    }
    if (state.cart.length > 0) {
      const week = await t.market.currentWeek().catch(whenRefused(null));
      if (!week || !week.open || week.cycle.id !== state.cartCycleId) {
        state.cart = [];
        state.cartCycleId = null;
        state.editOrderId = null;
        t.say('cart.expired');
      }
    }
  }

  const allowed = (t: Turn, roles: readonly string[] | undefined) => roles === undefined || roles.includes(t.role.kind);

  /** The open question's dialog reads the answer first; false when it is no answer to it. */
  async function answerQuestion(t: Turn, answer: Answer): Promise<boolean> {
    const open = t.question;
    const handler = open && registry.question(open.dialog, open.question);
    if (!open || !handler) return false;
    return handler.answer(t, answer, open.args);
  }

  async function pressChoice(t: Turn, answer: Extract<Answer, { kind: 'choice' }>): Promise<boolean> {
    if (await answerQuestion(t, answer)) return true;
    const { handler } = registry.handlerOf(answer.choice.kind);
    if (!allowed(t, handler.roles)) return staleChoice(t);
    await handler.handle(t, answer.choice.payload);
    return true;
  }

  async function staleChoice(t: Turn): Promise<boolean> {
    await t.stale();
    return true;
  }

  /** The dialogs' handlers of an intent in order; what none takes is offered as 'unknown' (a product, a place). */
  async function byIntent(t: Turn, input: TextInput): Promise<boolean> {
    const intent = input.understanding.intent;
    for (const handler of registry.intentHandlers(intent)) {
      if (allowed(t, handler.roles) && (await handler.handle(t, input))) return true;
    }
    if (intent === 'unknown') return false;
    for (const handler of registry.intentHandlers('unknown')) {
      if (allowed(t, handler.roles) && (await handler.handle(t, input))) return true;
    }
    return false;
  }

  /** A message no open question took: a dialog's own phrases, then the recogniser's intent. */
  async function route(t: Turn, input: TextInput): Promise<boolean> {
    for (const phrase of registry.phrases() as Phrase[]) {
      if (allowed(t, phrase.roles) && phrase.matches(input) && (await phrase.handle(t, input))) return true;
    }
    const intent = input.understanding.intent;
    const handlers = registry.intentHandlers(intent);
    if (handlers.length > 0 && handlers.every((h) => !allowed(t, h.roles))) {
      await t.refuseRole();
      return true;
    }
    if (ASIDE_INTENTS.has(intent)) {
      // Help, "bis wann kann ich bestellen?", "liefert ihr?" … answer and leave the open question open, asked again.
      if (intent === 'help') await home.help(t);
      else {
        await byIntent(t, input);
        await home.backToWhereWeWere(t);
      }
      return true;
    }
    // Anything else understood starts afresh; not understood, the open question is asked again, so it stays open.
    const open = { agenda: t.state.agenda, stack: t.state.stack };
    t.reset();
    const understood = await byIntent(t, input);
    if (!understood && t.state.agenda.length === 0 && t.state.stack.length === 0) Object.assign(t.state, open);
    return understood;
  }

  async function dispatch(t: Turn, input: Input): Promise<boolean> {
    if (input.kind === 'start') {
      await t.greet();
      return true;
    }
    if (input.kind === 'silence') return false;
    if (input.kind === 'unsupported') {
      await home.cannotUse(t, input.what);
      return true;
    }
    let answer: Answer;
    if (input.kind === 'choice') {
      const choice = registry.decodeChoice(input.id);
      if (!choice) return staleChoice(t);
      answer = { kind: 'choice', choice, pressed: input.pressed };
    } else {
      answer = input;
    }
    const unsure = t.state.unsure;
    if (unsure) {
      t.state.unsure = null;
      const yes = yesNo(answer);
      if (yes === false) {
        t.say('common.sayAgain');
        if (t.state.last) t.reoffer(t.state.last.choices, t.state.last.expect);
        return true;
      }
      if (yes === true) return dispatch(t, await textInput(t, unsure.transcript));
    }
    switch (answer.kind) {
      case 'choice':
        return pressChoice(t, answer);
      case 'location':
        if (await answerQuestion(t, answer)) return true;
        // A question that wants something else stays open: a location shared now must not put the pickup points in its place.
        if (t.question) {
          await home.cannotUse(t, 'location');
          return true;
        }
        for (const dialog of registry.dialogs) if (dialog.onLocation && (await dialog.onLocation(t, answer.lat, answer.lon))) return true;
        return false;
      case 'contact':
        if (await answerQuestion(t, answer)) return true;
        for (const dialog of registry.dialogs) if (dialog.onContact && (await dialog.onContact(t, answer.phone, answer.own))) return true;
        return false;
      case 'text':
        if (t.spoken && GOODBYE.test(foldUmlauts(answer.understanding.normalized)) && !/\d/.test(answer.text)) {
          t.reset();
          await t.begin('bye');
          return true;
        }
        if (!GLOBAL_INTENTS.has(answer.understanding.intent) && (await answerQuestion(t, answer))) return true;
        return route(t, answer);
    }
  }

  /** When the question asked is settled and others wait on the agenda, the next one is asked. */
  async function askNext(t: Turn): Promise<void> {
    while (!t.question && t.state.agenda.length > 0 && t.status === 'waiting') {
      const next = t.state.agenda.shift()!;
      const handler = registry.question(next.dialog, next.question);
      if (handler) await handler.prompt(t, next.args);
    }
  }

  return {
    registry,
    /** Runs one turn. `stored` is whatever was saved last (or null for a new conversation). */
    async turn(stored: unknown, event: InboundEvent, medium: Medium = event.channel === 'voice' ? 'spoken' : 'written'): Promise<EngineTurn> {
      const state = stored === null ? newConversation(firstLanguage(event)) : restoreConversation(stored);
      const now = deps.clock.now();
      const market = deps.market.forTurn(now);
      const spoken = await speaker(market, event, state);
      const identity = spoken.identity;
      const role = await actingRole(market, spoken.role, state);
      if (role.kind === 'customer' && role.customer) {
        state.customerId = role.customer.id;
        state.language = role.customer.language;
      } else if (role.kind === 'customer' && state.customerId !== null) {
        // The customer was erased (or the identity unlinked): start afresh.
        Object.assign(state, newConversation(state.language));
      }
      const t = new Turn({ ...turnDeps, market }, state, event.channel, role, now, identity, event.profileName ?? null, event.receivedAt);
      // Where keypad * goes back to, should this turn say something new (only the phone has a * key).
      const before = t.spoken && state.last ? { last: state.last, agenda: structuredClone(state.agenda), page: state.page } : null;
      let understood = true;
      try {
        await tidy(t);
        const input = await toInput(t, event, medium);
        if (input === 'repeat' || input === 'repeatSlowly') {
          t.slow = input === 'repeatSlowly';
          return { state, result: await repeatLast(t) };
        }
        if (input === 'back') return { state, result: await goBack(t) };
        if (input === 'human') {
          await home.offerHuman(t);
        } else if (input === 'confirm_speech') {
          t.say('common.speechConfirm', { text: { raw: state.unsure?.transcript ?? '' } });
          t.offer(yesNoChoices('common.yes', 'common.no'), 'yes_no');
        } else {
          understood = await dispatch(t, input);
          if (understood) {
            state.misunderstood = 0;
            await askNext(t);
          } else {
            state.misunderstood += 1;
            await notUnderstood(t, input.kind === 'silence');
          }
          // Whatever a dialog did, nobody is left without a reply.
          if (t.replies.length === 0 && t.status === 'waiting') await t.mainMenu();
        }
      } catch (error) {
        if (!isDomainError(error)) throw error;
        t.sayError(error);
        if (t.choices.length === 0) await t.mainMenu();
      }
      // The phone's recogniser listens for this week's products whenever the turn names nothing else.
      if (t.spoken && t.speechHints.length === 0) t.speechHints = (await currentVocabulary(t)).map((entry) => entry.productName);
      // A page with only choices ("weitere") is a prompt too: its digits must mean what it offered.
      const result = t.result();
      if (result.replies.length > 0 || result.choices.length > 0) {
        if (before && understood) state.trail = [...state.trail, before].slice(-TRAIL_KEPT);
        state.last = { replies: result.replies, choices: result.choices, expect: result.expect };
      }
      return { state, result };
    },
  };

  async function repeatLast(t: Turn): Promise<TurnResult> {
    if (t.state.last) {
      for (const reply of t.state.last.replies) t.replies.push(reply);
      t.reoffer(t.state.last.choices, t.state.last.expect);
    } else {
      await t.mainMenu({ intro: true });
    }
    return t.result();
  }

  /** Keypad *: the prompt before this one again, with the question that was open then. */
  async function goBack(t: Turn): Promise<TurnResult> {
    const previous = t.state.trail.pop();
    if (!previous) return repeatLast(t);
    t.state.agenda = previous.agenda;
    t.state.page = previous.page;
    t.state.last = previous.last;
    for (const reply of previous.last.replies) t.replies.push(reply);
    t.reoffer(previous.last.choices, previous.last.expect);
    return t.result();
  }

  /** Re-asks; after two misses more slowly with the options, after three a person is offered. */
  async function notUnderstood(t: Turn, silence: boolean): Promise<void> {
    const misses = t.state.misunderstood;
    if (silence && t.spoken && misses > SILENCES_BEFORE_HANGING_UP) {
      // Nobody answers even the offer of a person: the line is ended kindly instead of asking forever.
      t.say('common.silenceHangUp');
      t.status = 'ended';
      return;
    }
    if (misses >= 3) {
      t.say(silence ? 'common.silenceThird' : 'common.notUnderstoodThird');
      await home.offerHuman(t, { ask: true });
      return;
    }
    t.say(silence ? 'common.silence' : 'common.notUnderstood');
    if (misses >= 2) t.slow = true;
    const last = t.state.last;
    if (last && last.choices.length > 0) {
      for (const reply of last.replies.slice(-1)) t.replies.push(reply);
      t.reoffer(last.choices, last.expect);
    } else if (t.question && last) {
      for (const reply of last.replies.slice(-1)) t.replies.push(reply);
      t.expect = last.expect;
    } else {
      await t.mainMenu();
    }
  }
}

/**
 * A dialog is one module: the intents it answers, the choices it offers (with
 * typed payloads), the questions it asks and how it reads their answers. One
 * registry collects them, and the engine dispatches only through it.
 *
 *   const my = declareDialog('cart', {
 *     choices: { add: { offerId: int, quantity: amount } },
 *     questions: { quantity: args<{ offerId: number }>() },
 *   });
 *   export const cart = my.define({
 *     choices: { add: { handle: (t, { offerId, quantity }) => … } },
 *     questions: { quantity: { answer: (t, input, { offerId }) => …, prompt: (t, { offerId }) => … } },
 *   });
 *
 * `define` demands a handler for every declared choice and question, so the
 * compiler rejects one without. A choice travels as its tag and its fields
 * joined by ":" (≤ 64 bytes, Telegram's limit); `decodeChoice` is the only
 * place that reads one back, and anything unknown or malformed is refused there.
 */
import type { Role } from '../catalog/marketplace.ts';
import type { Intent, Understanding } from './nlu/types.ts';
import type { Choice, Json, Reply } from './types.ts';
import type { QuestionRef, ResumeRef, Turn } from './turn.ts';

export type RoleKind = Role['kind'];
export type { Json, ResumeRef };

// ---------------------------------------------------------------------------
// Typed choice payloads

/** One field of a choice's payload, as it travels in callback data. */
export interface Field<T> {
  encode(value: T): string;
  /** null when the text is not a value of this field (a forged or stale button). */
  decode(text: string): T | null;
}

/** A whole number such as an id or a timestamp. */
export const int: Field<number> = {
  encode: (value) => String(Math.trunc(value)),
  decode: (text) => (/^\d{1,15}$/.test(text) ? Number(text) : null),
};

/** A positive amount with up to three decimals (1, 0.5, 2.25). */
export const amount: Field<number> = {
  encode: (value) => String(value),
  decode: (text) => (/^\d{1,7}(\.\d{1,3})?$/.test(text) && Number(text) > 0 ? Number(text) : null),
};

/** A string of digits kept as written (an order code keeps its leading zeros). */
export const digits: Field<string> = {
  encode: (value) => value,
  decode: (text) => (/^\d{1,12}$/.test(text) ? text : null),
};

/** A short key naming one thing a message showed (a read-back, an order), so that its buttons answer only that. */
export const key: Field<string> = {
  encode: (value) => value,
  decode: (text) => (/^[A-Za-z0-9_-]{1,24}$/.test(text) ? text : null),
};

/** One of a closed set of words. */
export function oneOf<T extends string>(values: readonly T[]): Field<T> {
  return {
    encode: (value) => value,
    decode: (text) => (values.includes(text as T) ? (text as T) : null),
  };
}

export type Fields = Record<string, Field<never> | Field<unknown>>;
type FieldValue<F> = F extends Field<infer T> ? T : never;
export type PayloadOf<F extends Fields> = { [K in keyof F]: FieldValue<F[K]> };

/** Telegram refuses callback data over 64 bytes. */
export const MAX_CHOICE_BYTES = 64;
const SEPARATOR = ':';

/** A kind of choice: its tag on the wire and the fields of its payload. */
export class ChoiceKind<F extends Fields = Fields> {
  /** The payload's fields in the order they travel. */
  private readonly keys: string[];

  constructor(
    readonly dialog: string,
    readonly name: string,
    readonly tag: string,
    readonly fields: F,
  ) {
    this.keys = Object.keys(fields);
  }

  /** The choice to offer, labelled. */
  make(payload: PayloadOf<F>, label: Reply): Choice {
    let id = this.tag;
    for (const key of this.keys) {
      const text = (this.fields[key] as Field<unknown>).encode((payload as Record<string, unknown>)[key]);
      if (text.includes(SEPARATOR)) throw new Error(`choice ${this.tag}: field ${key} may not contain "${SEPARATOR}"`);
      id += SEPARATOR + text;
    }
    // UTF-8 takes at most three bytes for a UTF-16 unit: only a long id needs its bytes counted.
    if (id.length * 3 > MAX_CHOICE_BYTES && Buffer.byteLength(id) > MAX_CHOICE_BYTES) {
      throw new Error(`choice ${id} is longer than ${MAX_CHOICE_BYTES} bytes`);
    }
    return { id, label };
  }

  /** The payload when `id` is a choice of this kind (e.g. one offered last turn), else null. */
  match(id: string): PayloadOf<F> | null {
    const [tag, ...parts] = id.split(SEPARATOR);
    return tag === this.tag ? this.read(parts) : null;
  }

  /** This kind's payload from the parts of a wire id after its tag; null when malformed. */
  read(parts: string[]): PayloadOf<F> | null {
    const keys = this.keys;
    if (parts.length !== keys.length) return null;
    const payload: Record<string, unknown> = {};
    for (const [index, key] of keys.entries()) {
      const value = (this.fields[key] as Field<unknown>).decode(parts[index]);
      if (value === null) return null;
      payload[key] = value;
    }
    return payload as PayloadOf<F>;
  }
}

/** A choice as it came back: its kind and its checked payload. */
export interface PickedChoice {
  kind: ChoiceKind;
  payload: Record<string, unknown>;
}

/** The payload when `picked` is a choice of `kind`, else null. */
export function picked<F extends Fields>(input: Answer, kind: ChoiceKind<F>): PayloadOf<F> | null {
  if (input.kind !== 'choice' || input.choice.kind !== (kind as unknown as ChoiceKind)) return null;
  return input.choice.payload as PayloadOf<F>;
}

// ---------------------------------------------------------------------------
// Questions

/** Declares a question's arguments (stored with it in the agenda) by type only. */
export function args<A extends object = Record<string, never>>(): A {
  return undefined as unknown as A;
}

/** A question a dialog asks; its answer comes back to the same dialog. */
export class QuestionKind<A = unknown> implements QuestionRef<A> {
  declare readonly argsType: A;
  constructor(
    readonly dialog: string,
    readonly name: string,
  ) {}
}

// ---------------------------------------------------------------------------
// What a dialog receives

/** A message as the engine understood it. */
export interface TextInput {
  kind: 'text';
  text: string;
  understanding: Understanding;
}

/** Anything that can answer an open question. */
export type Answer =
  | TextInput
  | {
      kind: 'choice';
      choice: PickedChoice;
      /**
       * True when the choice came with its own id, from a button on the message that offered it (Telegram);
       * false when a number, a label or a word was read against the choices offered last, which
       * the person may not have seen yet when they answered.
       */
      pressed: boolean;
    }
  | { kind: 'location'; lat: number; lon: number }
  | { kind: 'contact'; phone: string; own: boolean };

type Awaitable<T> = T | Promise<T>;

export interface IntentHandler {
  /** Only these roles; others asking get "nur für Erzeuger / Abholstellen". Any role when absent. */
  roles?: RoleKind[];
  /** False when the message is not for this dialog after all, so the next one may take it. */
  handle(t: Turn, input: TextInput): Awaitable<boolean>;
}

/** A dialog's own way of recognising a message, checked before the recogniser's intents. */
export interface Phrase extends IntentHandler {
  matches(input: TextInput): boolean;
}

export interface ChoiceHandler<P> {
  /** Only these roles may press it; to others it is a stale button. Any role when absent. */
  roles?: RoleKind[];
  handle(t: Turn, payload: P): Awaitable<unknown>;
}

export interface QuestionHandler<A> {
  /** True when `input` answers the question; false lets the message be read as something else. */
  answer(t: Turn, input: Answer, args: A): Awaitable<boolean>;
  /** Asks it (again): when it comes up from the agenda, or after a digression. */
  prompt(t: Turn, args: A): Awaitable<void>;
}

/** Called with what a dialog begun by this one ended with. */
export type ResumeHandler = (t: Turn, result: Json, args: Json) => Awaitable<void>;

type ChoiceSpecs = Record<string, Fields>;
type QuestionSpecs = Record<string, unknown>;

export interface Handlers<C extends ChoiceSpecs, Q extends QuestionSpecs, R extends string> {
  /** Starting the dialog (its button is the dialog id itself, e.g. "cart"). */
  begin?: (t: Turn, args: Json) => Awaitable<void>;
  intents?: Partial<Record<Intent, IntentHandler>>;
  phrases?: Phrase[];
  /** A location shared when no question asked for one. */
  onLocation?: (t: Turn, lat: number, lon: number) => Awaitable<boolean>;
  /** A contact shared when no question asked for one. */
  onContact?: (t: Turn, phone: string, own: boolean) => Awaitable<boolean>;
  choices: { [K in keyof C]: ChoiceHandler<PayloadOf<C[K]>> };
  questions: { [K in keyof Q]: QuestionHandler<Q[K]> };
  resumes?: { [K in R]: ResumeHandler };
}

/** A dialog as the registry holds it. */
export interface Dialog {
  id: string;
  begin?: (t: Turn, args: Json) => Awaitable<void>;
  intents: Partial<Record<Intent, IntentHandler>>;
  phrases: Phrase[];
  onLocation?: (t: Turn, lat: number, lon: number) => Awaitable<boolean>;
  onContact?: (t: Turn, phone: string, own: boolean) => Awaitable<boolean>;
  choices: Map<ChoiceKind, ChoiceHandler<Record<string, unknown>>>;
  questions: Map<string, QuestionHandler<unknown>>;
  resumes: Record<string, ResumeHandler>;
}

export interface Declared<C extends ChoiceSpecs, Q extends QuestionSpecs, R extends string> {
  id: string;
  choice: { [K in keyof C]: ChoiceKind<C[K]> };
  question: { [K in keyof Q]: QuestionKind<Q[K]> };
  resume: { [K in R]: ResumeRef };
  define(handlers: Handlers<C, Q, R>): Dialog;
}

/**
 * Declares a dialog's choices, questions and resume points. A choice's tag is its
 * name unless `tags` says otherwise (the tags of buttons already on people's screens).
 */
export function declareDialog<C extends ChoiceSpecs = Record<never, Fields>, Q extends QuestionSpecs = Record<never, unknown>, R extends string = never>(
  id: string,
  spec: { choices?: C; questions?: Q; resumes?: readonly R[]; tags?: Partial<Record<keyof C, string>> },
): Declared<C, Q, R> {
  const choice = {} as Record<string, ChoiceKind>;
  for (const [name, fields] of Object.entries(spec.choices ?? {})) {
    choice[name] = new ChoiceKind(id, name, spec.tags?.[name] ?? name, fields);
  }
  const question = {} as Record<string, QuestionKind>;
  for (const name of Object.keys(spec.questions ?? {})) question[name] = new QuestionKind(id, name);
  const resume = {} as Record<string, ResumeRef>;
  for (const name of spec.resumes ?? []) resume[name] = { dialog: id, name };
  return {
    id,
    choice: choice as Declared<C, Q, R>['choice'],
    question: question as Declared<C, Q, R>['question'],
    resume: resume as Declared<C, Q, R>['resume'],
    define(handlers) {
      const choices = new Map<ChoiceKind, ChoiceHandler<Record<string, unknown>>>();
      for (const [name, kind] of Object.entries(choice)) {
        choices.set(kind, (handlers.choices as Record<string, ChoiceHandler<Record<string, unknown>>>)[name]);
      }
      return {
        id,
        begin: handlers.begin,
        intents: handlers.intents ?? {},
        phrases: handlers.phrases ?? [],
        onLocation: handlers.onLocation,
        onContact: handlers.onContact,
        choices,
        questions: new Map(Object.entries(handlers.questions as Record<string, QuestionHandler<unknown>>)),
        resumes: (handlers.resumes ?? {}) as Record<string, ResumeHandler>,
      };
    },
  };
}

// ---------------------------------------------------------------------------
// The registry

export interface Registry {
  readonly dialogs: readonly Dialog[];
  dialog(id: string): Dialog | undefined;
  /** A wire id back to its choice; null for anything unknown, stale or forged. */
  decodeChoice(id: string): PickedChoice | null;
  handlerOf(kind: ChoiceKind): { dialog: Dialog; handler: ChoiceHandler<Record<string, unknown>> };
  question(dialog: string, name: string): QuestionHandler<unknown> | undefined;
  /** The handlers of an intent, in registration order. */
  intentHandlers(intent: Intent): IntentHandler[];
  phrases(): Phrase[];
  /** The choice that begins a dialog: its id is the dialog's id. */
  beginChoice(dialog: string, label: Reply): Choice;
  moreChoice(): Choice;
}

/** Collects dialogs; refuses two dialogs or choices under one tag, so a button can only ever mean one thing. */
export function createRegistry(dialogs: readonly Dialog[]): Registry {
  const byId = new Map<string, Dialog>();
  const byTag = new Map<string, { kind: ChoiceKind; dialog: Dialog; handler: ChoiceHandler<Record<string, unknown>> }>();
  const claim = (tag: string, what: string) => {
    if (byTag.has(tag) || (byId.has(tag) && what !== `dialog ${tag}`)) throw new Error(`two things are called "${tag}": ${what}`);
  };
  for (const dialog of dialogs) {
    if (byId.has(dialog.id)) throw new Error(`dialog ${dialog.id} is registered twice`);
    byId.set(dialog.id, dialog);
  }
  for (const dialog of dialogs) {
    for (const [kind, handler] of dialog.choices) {
      claim(kind.tag, `a choice of ${dialog.id}`);
      if (kind.tag === 'more') throw new Error(`two things are called "more": a choice of ${dialog.id} and the next page`);
      if (kind.tag.includes(SEPARATOR)) throw new Error(`choice tag ${kind.tag} may not contain "${SEPARATOR}"`);
      byTag.set(kind.tag, { kind, dialog, handler });
    }
  }
  const beginKinds = new Map<string, ChoiceKind>();
  for (const dialog of dialogs) {
    if (!dialog.begin) continue;
    const kind = new ChoiceKind(dialog.id, 'begin', dialog.id, {});
    beginKinds.set(dialog.id, kind);
    byTag.set(dialog.id, {
      kind,
      dialog,
      // A dialog's own button starts it afresh: whatever was open is left.
      handler: { handle: (t) => t.reset().begin(dialog.id) },
    });
  }
  // "weitere": the next page of the list offered last; the question it belongs to stays open.
  const more = new ChoiceKind('registry', 'more', 'more', {});
  byTag.set(more.tag, {
    kind: more,
    dialog: { id: 'registry', intents: {}, phrases: [], choices: new Map(), questions: new Map(), resumes: {} },
    handler: {
      handle(t) {
        const page = t.state.page;
        if (!page) return t.stale();
        t.say(t.spoken ? 'common.nextPageSpoken' : 'common.nextPage');
        t.offer(page.choices, page.expect, page.offset);
        return undefined;
      },
    },
  });
  const intentHandlers = new Map<Intent, IntentHandler[]>();
  for (const dialog of dialogs) {
    for (const [intent, handler] of Object.entries(dialog.intents) as Array<[Intent, IntentHandler]>) {
      intentHandlers.set(intent, [...(intentHandlers.get(intent) ?? []), handler]);
    }
  }
  const phrases = dialogs.flatMap((d) => d.phrases);

  return {
    dialogs,
    dialog: (id) => byId.get(id),
    decodeChoice(id) {
      if (Buffer.byteLength(id) > MAX_CHOICE_BYTES) return null;
      const [tag, ...parts] = id.split(SEPARATOR);
      const entry = byTag.get(tag);
      const payload = entry?.kind.read(parts);
      return entry && payload ? { kind: entry.kind, payload } : null;
    },
    handlerOf(kind) {
      const entry = byTag.get(kind.tag);
      if (!entry || entry.kind !== kind) throw new Error(`choice ${kind.tag} is not registered`);
      return entry;
    },
    question: (dialog, name) => byId.get(dialog)?.questions.get(name),
    intentHandlers: (intent) => intentHandlers.get(intent) ?? [],
    phrases: () => phrases,
    moreChoice: () => more.make({}, { key: 'common.more' }),
    beginChoice(dialog, label) {
      const kind = beginKinds.get(dialog);
      if (!kind) throw new Error(`dialog ${dialog} cannot be begun by a button`);
      return kind.make({}, label);
    },
  };
}

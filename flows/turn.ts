/**
 * What a dialog works with during one turn: the state, who is speaking, the
 * marketplace, the registry (to begin and end other dialogs by id), and a
 * builder for the replies.
 */
import type { DomainError } from '../catalog/errors.ts';
import type { Marketplace, Role } from '../catalog/marketplace.ts';
import type { Clock } from '../catalog/ports.ts';
import type { Handout } from '../catalog/handout.ts';
import type { ProducerStock } from '../catalog/producer-stock.ts';
import type { Channel, Customer, Identity, Language } from '../catalog/types.ts';
import type { Recogniser } from './nlu/types.ts';
import type { ConversationState, OpenQuestion } from './state.ts';
import type { Choice, Expectation, Json, Reply, ReplyParam, TurnResult, TurnStatus, UnsupportedKind } from './types.ts';

export interface Office {
  phone: string;
  /** The hours as a person says them, e.g. "Montag bis Freitag von 8 bis 16 Uhr", in the caller's language. */
  hours(language: Language): string;
  isOpen(at: Date): boolean;
  /** When a person can next be reached; null when never. */
  nextOpening(at: Date): Date | null;
}

/** Place lookup for "ich wohne in Straupitz", "15913". */
export interface Locator {
  locate(query: string): { lat: number; lon: number; label: string } | null;
  placeNames(): string[];
}

/** The dialog every conversation comes home to: greeting, main menus, help and a person. */
export interface Home {
  greet(t: Turn): Promise<void>;
  mainMenu(t: Turn, options: { intro: boolean }): Promise<void>;
  help(t: Turn): Promise<void>;
  offerHuman(t: Turn, options?: { ask?: boolean }): Promise<void>;
  /** Something sent that cannot be used here (a voice note, a photo, an edit, a location no question asked for): what to do instead, then the open question again. */
  cannotUse(t: Turn, what: UnsupportedKind | 'location'): Promise<void>;
  /** After an answer on the side: the open question again, or the menu. */
  backToWhereWeWere(t: Turn): Promise<void>;
}

export interface FlowDeps {
  market: Marketplace;
  /** A producer's own week: confirmed stock changes, new products, removals, sales. */
  stock: ProducerStock;
  /** A pickup point's handout: the list, orders by code or name, marks and their undo. */
  handout: Handout;
  recogniser: Recogniser;
  clock: Clock;
  office: Office;
  locator: Locator;
}

/** A question by the dialog that asks it; `argsType` carries the type of what it is asked with. */
export interface QuestionRef<A> {
  readonly dialog: string;
  readonly name: string;
  readonly argsType: A;
}

/** Where a begun dialog's result goes back to: a dialog and one of its resume points. */
export interface ResumeRef {
  dialog: string;
  name: string;
}

/** What a turn needs of the registry (flows/dialog.ts): dialogs by id, and the buttons that begin them. */
export interface DialogDirectory {
  dialog(id: string):
    | { begin?: (t: Turn, args: Json) => unknown; resumes: Record<string, (t: Turn, result: Json, args: Json) => unknown> }
    | undefined;
  beginChoice(dialog: string, label: Reply): Choice;
  /** A dialog's question, to ask it again. */
  question(dialog: string, name: string): { prompt(t: Turn, args: Json): unknown } | undefined;
  /** "weitere": the next page of the list offered last. */
  moreChoice(): Choice;
}

/** What a turn needs beyond the flows' own dependencies: the dialogs to dispatch through. */
export interface TurnDeps extends FlowDeps {
  dialogs: DialogDirectory;
  home: Home;
}

/** Choices one medium shows at once; the phone keypad offers 1–4 (9 repeats, 0 is a person). */
export function maxChoices(channel: Channel): number {
  return channel === 'voice' ? 4 : 8;
}

export class Turn {
  readonly replies: Reply[] = [];
  choices: Choice[] = [];
  expect: Expectation = 'text';
  status: TurnStatus = 'waiting';
  speechHints: string[] = [];
  /** The choices offered are the main menu. */
  menu = false;
  handoff: TurnResult['handoff'];
  slow = false;

  constructor(
    readonly deps: TurnDeps,
    readonly state: ConversationState,
    readonly channel: Channel,
    public role: Role,
    readonly now: Date,
    /** Who is speaking; null for a withheld number not yet keyed in. */
    public identity: Identity | null = null,
    readonly profileName: string | null = null,
    /** When the message arrived, which may be before this turn began (turns of one sender wait for each other). */
    readonly receivedAt: Date = now,
  ) {}

  get language(): Language {
    return this.state.language;
  }

  get spoken(): boolean {
    return this.channel === 'voice';
  }

  get customer(): Customer | null {
    return this.role.kind === 'customer' ? this.role.customer : null;
  }

  get market(): Marketplace {
    return this.deps.market;
  }

  say(key: string, params?: Record<string, ReplyParam>): this {
    this.replies.push(params ? { key, params } : { key });
    return this;
  }

  /**
   * Offers choices; the medium decides how they look. Later calls replace earlier ones.
   * More than a medium shows at once come in pages, the last place of each being "weitere";
   * what is not shown yet is kept, so the next page is exactly the rest of what was offered
   * (only that: the conversation is saved every turn, the pages shown need not be).
   */
  offer(choices: Choice[], expect: Expectation = 'choice', offset = 0): this {
    const room = maxChoices(this.channel);
    const rest = choices.slice(offset);
    if (rest.length > room) {
      this.choices = [...rest.slice(0, room - 1), this.deps.dialogs.moreChoice()];
      this.state.page = { choices: rest.slice(room - 1), offset: 0, expect };
    } else {
      this.choices = rest;
      this.state.page = null;
    }
    this.expect = expect;
    this.menu = false;
    return this;
  }

  /** Offers again exactly what was offered before (a repeat): the page of a long list stays where it was. */
  reoffer(choices: Choice[], expect: Expectation): this {
    this.choices = choices;
    this.expect = expect;
    this.menu = false;
    return this;
  }

  /** Offers the main menu: a chat may show it as a keyboard that stays at hand (see ConversationState.menu). */
  offerMenu(choices: Choice[]): this {
    this.offer(choices);
    this.menu = true;
    this.state.menu = this.choices;
    return this;
  }

  /** The button that begins a dialog (e.g. "cart"): pressing it leaves any open question. */
  beginChoice(dialog: string, key: string, params?: Record<string, ReplyParam>): Choice {
    return this.deps.dialogs.beginChoice(dialog, params ? { key, params } : { key });
  }

  // ------------------------------------------------------------------ questions

  /** The question asked last and still open, if any. */
  get question(): OpenQuestion | null {
    const head = this.state.agenda[0];
    return head && head.askedAt !== null ? head : null;
  }

  /** True while the question asked last is `question`. */
  asking(question: QuestionRef<unknown>): boolean {
    const open = this.question;
    return open !== null && open.dialog === question.dialog && open.question === question.name;
  }

  /** Opens a question (in place of the one asked before); its answer goes to its dialog next turn. */
  ask<A>(question: QuestionRef<A>, args: A, expect: Expectation = 'text'): this {
    const open: OpenQuestion = { dialog: question.dialog, question: question.name, args: (args ?? null) as Json, askedAt: this.now.toISOString() };
    if (this.question) this.state.agenda[0] = open;
    else this.state.agenda.unshift(open);
    if (this.choices.length === 0 || expect !== 'choice') this.expect = expect;
    return this;
  }

  /** Puts a question on the agenda, to be asked once those before it are settled. */
  queue<A>(question: QuestionRef<A>, args: A): this {
    this.state.agenda.push({ dialog: question.dialog, question: question.name, args: (args ?? null) as Json, askedAt: null });
    return this;
  }

  /** The question asked last is answered (or dropped); what waits on the agenda stays. */
  settle(): this {
    if (this.question) this.state.agenda.shift();
    return this;
  }

  /** Leaves everything open: the agenda and the dialogs waiting for a result. */
  reset(): this {
    this.state.agenda = [];
    this.state.stack = [];
    return this;
  }

  // ------------------------------------------------------------------ dialogs

  /**
   * Begins a dialog by id. With `resume`, the dialog's result comes back to that
   * point of the calling dialog when it ends (botbuilder's beginDialog/endDialog).
   */
  async begin(dialog: string, args: Json = null, resume?: ResumeRef, resumeArgs: Json = null): Promise<void> {
    const target = this.deps.dialogs.dialog(dialog);
    if (!target?.begin) throw new Error(`dialog ${dialog} cannot be begun`);
    if (resume) this.state.stack.push({ dialog: resume.dialog, resume: resume.name, args: resumeArgs });
    await target.begin(this, args);
  }

  /** Ends the current dialog with `result`: the dialog that began it resumes; with none waiting, `otherwise` runs. */
  async end(result: Json, otherwise?: () => unknown): Promise<void> {
    const frame = this.state.stack.pop();
    const resume = frame && this.deps.dialogs.dialog(frame.dialog)?.resumes[frame.resume];
    if (frame && resume) await resume(this, result, frame.args);
    else await otherwise?.();
  }

  greet(): Promise<void> {
    return this.deps.home.greet(this);
  }

  /** The menu that fits who is speaking. */
  mainMenu(options: { intro: boolean } = { intro: false }): Promise<void> {
    return this.deps.home.mainMenu(this, options);
  }

  /** A button of an earlier message (or one forged): "nicht mehr aktuell", then the open question again, else the menu. Never an action. */
  async stale(): Promise<void> {
    this.say('common.staleButton');
    const open = this.question;
    const question = open && this.deps.dialogs.question(open.dialog, open.question);
    if (open && question) await question.prompt(this, open.args);
    else await this.mainMenu();
  }

  /** "Das dürfen nur registrierte Erzeuger oder Abholstellen", then the menu; to a producer or staff member shopping: the way back. */
  async refuseRole(): Promise<void> {
    if (this.state.shopping) {
      this.say('shopping.stillShopping');
      this.offer([this.beginChoice('work', 'shopping.backToWork')]);
      return;
    }
    this.say('errors:NOT_ALLOWED', { phone: { phone: this.deps.office.phone } });
    await this.mainMenu();
  }

  /** A domain refusal in the user's words. */
  sayError(error: DomainError): this {
    const details = error.details;
    const params: Record<string, ReplyParam> = {};
    if (typeof details.product === 'string') params.product = { raw: details.product };
    if (typeof details.code === 'string') params.code = { digits: details.code };
    if (typeof details.maximum === 'number' && typeof details.unit === 'string') {
      params.maximum = { quantity: details.maximum, unit: details.unit };
    }
    if (typeof details.step === 'number' && typeof details.unit === 'string') params.step = { quantity: details.step, unit: details.unit };
    params.phone = { phone: this.deps.office.phone };
    return this.say(`errors:${error.code}`, params);
  }

  result(): TurnResult {
    return {
      status: this.status,
      language: this.state.language,
      replies: this.replies,
      choices: this.choices,
      expect: this.choices.length > 0 && this.expect === 'text' ? 'choice' : this.expect,
      speechHints: this.speechHints,
      ...(this.handoff ? { handoff: this.handoff } : {}),
      ...(this.slow ? { slow: true } : {}),
      ...(this.menu && this.choices.length > 0 ? { menu: true } : {}),
      ...(this.spoken ? { reachable: this.deps.office.isOpen(this.now) } : {}),
    };
  }
}

/** A choice labelled with a name as written (a product, a pickup point). */
export function named(name: string): Reply {
  return { key: 'common.name', params: { name: { raw: name } } };
}

/** A label from a message key. */
export function label(key: string, params?: Record<string, ReplyParam>): Reply {
  return params ? { key, params } : { key };
}

/**
 * What a flow handler works with during one turn: the state, who is speaking,
 * the marketplace, and a builder for the replies.
 */
import type { Marketplace, Role } from '../catalog/marketplace.ts';
import type { Clock } from '../catalog/ports.ts';
import type { Channel, Customer, Identity, Language } from '../catalog/types.ts';
import type { Recogniser, Understanding } from './nlu/types.ts';
import type { ConversationState, Pending } from './state.ts';
import type { Choice, Expectation, Reply, ReplyParam, TurnResult, TurnStatus } from './types.ts';

export interface Office {
  phone: string;
  /** The hours as a person says them, e.g. "Montag bis Freitag von 8 bis 16 Uhr", in the caller's language. */
  hours(language: Language): string;
  isOpen(at: Date): boolean;
}

/** Place lookup for "ich wohne in Straupitz", "15913". */
export interface Locator {
  locate(query: string): { lat: number; lon: number; label: string } | null;
  placeNames(): string[];
}

export interface FlowDeps {
  market: Marketplace;
  recogniser: Recogniser;
  clock: Clock;
  office: Office;
  locator: Locator;
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
    readonly deps: FlowDeps,
    readonly state: ConversationState,
    readonly channel: Channel,
    public role: Role,
    readonly now: Date,
    /** Who is speaking; null for a withheld number not yet keyed in. */
    public identity: Identity | null = null,
    readonly profileName: string | null = null,
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

  /** Offers choices; the medium decides how they look. Later calls replace earlier ones. */
  offer(choices: Choice[], expect: Expectation = 'choice'): this {
    this.choices = choices.slice(0, maxChoices(this.channel));
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

  /** Opens a question; its answer goes to the pending handler next turn. */
  ask(pending: Pending, expect: Expectation = 'text'): this {
    this.state.pending = pending;
    this.state.askedAt = this.now.toISOString();
    if (this.choices.length === 0 || expect !== 'choice') this.expect = expect;
    return this;
  }

  settle(): this {
    this.state.pending = null;
    this.state.askedAt = null;
    return this;
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
    };
  }
}

/** A choice whose label is a message key. */
export function choice(id: string, key: string, params?: Record<string, ReplyParam>): Choice {
  return { id, label: params ? { key, params } : { key } };
}

/** A choice labelled with a name as written (a product, a pickup point). */
export function namedChoice(id: string, name: string): Choice {
  return { id, label: { key: 'common.name', params: { name: { raw: name } } } };
}

export type Understand = (text: string) => Promise<Understanding>;

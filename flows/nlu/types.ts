/**
 * The recogniser contract: text (typed or transcribed) in, intent and entities out.
 * The embedded recogniser implements it offline; Dialogflow is optional behind it.
 */
import type { Category, Language, Unit } from '../../catalog/types.ts';

export const INTENTS = [
  // everywhere
  'greet', 'help', 'cancel', 'back', 'repeat', 'human', 'yes', 'no', 'thanks',
  // customers
  'browse', 'ask_product', 'pickup_info', 'add_to_cart', 'remove_from_cart', 'change_quantity',
  'show_cart', 'checkout', 'repeat_last_order', 'my_orders', 'cancel_order', 'change_order',
  'choose_pickup', 'reminders_on', 'reminders_off', 'set_language', 'my_data', 'delete_data', 'ask_deadline',
  // asked before buying: organic, allergens, delivery, the van's stops, opening hours, who we are
  'ask_organic', 'ask_allergens', 'ask_delivery', 'ask_van', 'ask_hours', 'ask_about_us',
  // producers
  'stock_post', 'stock_update', 'picklist',
  // pickup point staff
  'handout_list', 'mark_picked_up', 'mark_no_show',
  'unknown',
] as const;
export type Intent = (typeof INTENTS)[number];

/** One offer of this week, as the recogniser needs to know it. */
export interface VocabularyEntry {
  offerId: number;
  productName: string;
  category: Category;
  unit: Unit;
  producerName: string;
}

/** A product mention with its quantity, e.g. "2 Gläser Senfgurken". */
export interface ItemMention {
  /** The words that named the product, as written. */
  text: string;
  /** Best matches from the vocabulary, best first; one entry when unambiguous, up to 4 when several fit. */
  matches: Array<{ offerId: number; productName: string; score: number }>;
  /** In the offer's unit when `unit` is absent, else in `unit`; e.g. "ein Pfund" → 500 g. */
  quantity: number | null;
  unit: Unit | null;
}

export interface Entities {
  items: ItemMention[];
  /** A bare number ("drei", "3", "1,5"). */
  number: number | null;
  /** An amount of money said or written ("6,50", "sechs fünfzig"). */
  priceCents: number | null;
  /** Five-digit German postcode. */
  postcode: string | null;
  /** A place name from the gazetteer given in context. */
  place: string | null;
  /** Digits that look like an order code (3–6 digits, not a postcode when a postcode is plausible). */
  orderCode: string | null;
  /** ISO weekday 1–7. */
  weekday: number | null;
  category: Category | null;
  /** Named producer from the vocabulary. */
  producerName: string | null;
  language: Language | null;
  /** A kind of product named that matched nothing on this week's offer, as written ("Schrippen"). */
  missingKind: string | null;
  /** "ausverkauft", "nichts mehr". */
  soldOut: boolean;
  /** The text looked like a phone number; E.164 when it could be normalised. */
  phone: string | null;
}

export interface Understanding {
  intent: Intent;
  /** 0..1 */
  confidence: number;
  entities: Entities;
  /** The text after normalisation (lower case, umlauts kept, punctuation folded). */
  normalized: string;
}

export interface UnderstandContext {
  language: Language;
  vocabulary: VocabularyEntry[];
  /** Place names (villages, towns) known to the pickup-point finder. */
  places: string[];
  /** The speaker is a registered producer: stock lines and updates take precedence. */
  role?: 'customer' | 'producer' | 'staff';
}

export interface Recogniser {
  understand(text: string, context: UnderstandContext): Promise<Understanding>;
}

/** One line of a producer's weekly stock post, e.g. "Senfgurken 40 Glas 3,50". */
export type StockLine =
  | {
      ok: true;
      raw: string;
      lineNumber: number;
      productName: string;
      quantity: number;
      unit: Unit;
      priceCents: number;
      /** "250 ml", "10er" — kept in the product name's description. */
      packSize: string | null;
    }
  | { ok: false; raw: string; lineNumber: number; reason: 'no_quantity' | 'no_price' | 'no_name' | 'unreadable' };

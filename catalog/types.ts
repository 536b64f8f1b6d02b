/**
 * The domain of the Digitaler Marktplatz Spreewald: who sells what this week,
 * where it is handed out, and who ordered it.
 *
 * Money is integer cents (EUR). Instants are `Date` (UTC); they are defined and
 * shown in Europe/Berlin by `catalog/time.ts`. Quantities are plain numbers in
 * the offer's sales unit (0.5 kg is 0.5); storage keeps them as exact thousandths.
 */

export const UNITS = ['piece', 'jar', 'bottle', 'bunch', 'bag', 'pack', 'kg', 'g', 'l'] as const;
/** Sales unit: Stück, Glas, Flasche, Bund, Beutel, Packung, kg, g, Liter. */
export type Unit = (typeof UNITS)[number];

export const CATEGORIES = [
  'pickles', 'oil', 'dairy', 'condiments', 'potatoes', 'eggs', 'honey',
  'fish', 'meat', 'bread', 'fruit', 'vegetables', 'drinks',
] as const;
export type Category = (typeof CATEGORIES)[number];

export const LANGUAGES = ['de', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

export const CHANNELS = ['telegram', 'whatsapp', 'voice', 'sms', 'demo', 'cli'] as const;
/** Where a message came from or goes to. `demo` is the local test page, `cli` the terminal chat. */
export type Channel = (typeof CHANNELS)[number];

export interface Producer {
  id: number;
  name: string;
  village: string;
  /** E.164, e.g. +4935461234567 */
  phone: string;
  telegramId: string | null;
  active: boolean;
}

export interface Product {
  id: number;
  producerId: number;
  name: string;
  category: Category;
  description: string;
  unit: Unit;
  organic: boolean;
  /** As the producer wrote them, e.g. "Senf, Sellerie"; '' when not given. */
  allergens: string;
  /** As the producer wrote them, e.g. "Gurken, Essig, Senfsaat"; '' when not given. */
  ingredients: string;
}

export const PICKUP_POINT_KINDS = ['farm_shop', 'village_store', 'van_stop'] as const;
/** Hofladen, Dorfladen (inhabergeführter Lebensmittelmarkt), Verkaufswagen-Halt. */
export type PickupPointKind = (typeof PICKUP_POINT_KINDS)[number];

/** A weekly opening window in local time (Europe/Berlin). weekday: ISO, 1 = Monday … 7 = Sunday. */
export interface WeeklyWindow {
  weekday: number;
  /** "HH:MM" */
  from: string;
  /** "HH:MM" */
  to: string;
}

export interface PickupPoint {
  id: number;
  name: string;
  kind: PickupPointKind;
  address: string;
  postcode: string;
  place: string;
  lat: number;
  lon: number;
  windows: WeeklyWindow[];
  /** For van stops: the route's name and the stop's position on it (1-based). */
  vanRoute: string | null;
  routePosition: number | null;
}

export interface Staff {
  id: number;
  pickupPointId: number;
  name: string;
  phone: string | null;
  telegramId: string | null;
}

export type CycleStatus = 'open' | 'closed';

export interface OrderCycle {
  id: number;
  /** e.g. "2026-W49" */
  label: string;
  opensAt: Date;
  cutoffAt: Date;
  status: CycleStatus;
}

/** When a pickup point hands out orders of one cycle. */
export interface PickupSlot {
  cycleId: number;
  pickupPointId: number;
  from: Date;
  to: Date;
}

export interface Offer {
  id: number;
  cycleId: number;
  productId: number;
  priceCents: number;
  /** What is still available (reservations already taken off). */
  available: number;
  /** Orders are multiples of this (e.g. 0.5 kg). */
  step: number;
  maxPerOrder: number | null;
}

/** An offer with what a customer needs to see beside it. */
export interface OfferView extends Offer {
  productName: string;
  category: Category;
  description: string;
  unit: Unit;
  organic: boolean;
  allergens: string;
  ingredients: string;
  producerId: number;
  producerName: string;
  village: string;
}

/** `call`: one phone call whose caller withheld their number and ordered without proving one. */
export const IDENTITY_KINDS = ['telegram', 'whatsapp', 'phone', 'call'] as const;
export type IdentityKind = (typeof IDENTITY_KINDS)[number];

/** How a customer is reached: telegram user id, an E.164 number for whatsapp/phone, or a call's own id. */
export interface Identity {
  kind: IdentityKind;
  value: string;
}

export const REMINDER_CHANNELS = ['telegram', 'whatsapp', 'call', 'sms'] as const;
export type ReminderChannel = (typeof REMINDER_CHANNELS)[number];

export interface Customer {
  id: number;
  name: string | null;
  language: Language;
  preferredPickupPointId: number | null;
  reminderChannel: ReminderChannel | null;
  /** Opted in to "Das Angebot der Woche ist da". */
  weeklyNews: boolean;
  consentAt: Date | null;
  identities: Identity[];
  createdAt: Date;
}

export const ORDER_STATUSES = ['placed', 'cancelled', 'ready', 'picked_up', 'no_show'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export interface OrderItem {
  offerId: number;
  productId: number;
  productName: string;
  producerName: string;
  unit: Unit;
  quantity: number;
  /** Frozen at order time. */
  unitPriceCents: number;
  lineCents: number;
}

export interface Order {
  id: number;
  /** Digits only, unique within the cycle: easy to read aloud and key in. */
  code: string;
  customerId: number;
  cycleId: number;
  pickupPointId: number;
  pickupFrom: Date;
  pickupTo: Date;
  status: OrderStatus;
  channel: Channel;
  createdAt: Date;
  items: OrderItem[];
  totalCents: number;
}

/** One line a customer wants: an offer and how much of it. */
export interface CartLine {
  offerId: number;
  quantity: number;
}

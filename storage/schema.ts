/**
 * The tables as Kysely sees them. Instants are epoch milliseconds (UTC),
 * quantities exact integer thousandths of the sales unit, flags 0/1: the same
 * column types on SQLite and PostgreSQL. Conversion to domain values happens in
 * the repositories (storage/codec.ts).
 */
import type { Generated } from 'kysely';

export interface ProducerRow {
  id: Generated<number>;
  name: string;
  /** Lower-cased name for case-insensitive lookup (SQLite's lower() folds only ASCII). */
  name_key: string;
  village: string;
  phone: string;
  telegram_id: string | null;
  active: number;
}

export interface ProductRow {
  id: Generated<number>;
  producer_id: number;
  name: string;
  name_key: string;
  category: string;
  description: string;
  unit: string;
  organic: number;
  /** As the producer wrote them ("Senf, Sellerie"); '' when not given. */
  allergens: Generated<string>;
  ingredients: Generated<string>;
}

export interface PickupPointRow {
  id: Generated<number>;
  name: string;
  kind: string;
  address: string;
  postcode: string;
  place: string;
  lat: number;
  lon: number;
  /** JSON array of WeeklyWindow. */
  windows: string;
  van_route: string | null;
  route_position: number | null;
}

export interface StaffRow {
  id: Generated<number>;
  pickup_point_id: number;
  name: string;
  phone: string | null;
  telegram_id: string | null;
}

export interface CycleRow {
  id: Generated<number>;
  label: string;
  opens_at: number;
  cutoff_at: number;
  status: string;
  /** Last order sequence number handed out in this cycle; order codes derive from it. */
  order_seq: Generated<number>;
}

export interface CycleSlotRow {
  cycle_id: number;
  pickup_point_id: number;
  from_at: number;
  to_at: number;
}

export interface OfferRow {
  id: Generated<number>;
  cycle_id: number;
  product_id: number;
  price_cents: number;
  available: number;
  step: number;
  max_per_order: number | null;
}

export interface CustomerRow {
  id: Generated<number>;
  name: string | null;
  language: string;
  preferred_pickup_point_id: number | null;
  reminder_channel: string | null;
  weekly_news: number;
  consent_at: number | null;
  created_at: number;
  /** When the customer last wrote to us; WhatsApp allows free-form messages for 24 h after. */
  last_inbound_at: number | null;
}

export interface CustomerIdentityRow {
  kind: string;
  value: string;
  customer_id: number;
}

export interface OrderRow {
  id: Generated<number>;
  code: string;
  customer_id: number;
  cycle_id: number;
  pickup_point_id: number;
  pickup_from: number;
  pickup_to: number;
  status: string;
  channel: string;
  created_at: number;
  total_cents: number;
  request_key: string | null;
}

export interface OrderItemRow {
  id: Generated<number>;
  order_id: number;
  position: number;
  offer_id: number;
  product_id: number;
  product_name: string;
  producer_name: string;
  unit: string;
  quantity: number;
  unit_price_cents: number;
  line_cents: number;
}

export interface ConversationRow {
  key: string;
  /** JSON text. */
  state: string;
  version: number;
  updated_at: number;
}

export interface DeliveryRow {
  key: string;
  at: number;
  /** The turn's reply while not yet settled (sent or handed to the outbox); JSON, see bot/replies.ts. */
  reply: string | null;
}

export interface OutboxRow {
  id: Generated<number>;
  key: string;
  kind: string;
  customer_id: number | null;
  channel: string;
  address: string;
  language: string;
  /** JSON text of the OutboxPayload. */
  payload: string;
  due_at: number;
  not_after: number | null;
  state: Generated<string>;
  attempts: Generated<number>;
  last_error: string | null;
  sent_at: number | null;
  /** When the message last went to 'sending'; a claim this old was left by a crashed process. */
  claimed_at: number | null;
}

export interface PhoneVerificationRow {
  id: Generated<number>;
  request_key: string;
  phone: string;
  method: string;
  /** scrypt hash of the code; null for a callback. */
  code_hash: string | null;
  attempts: Generated<number>;
  created_at: number;
  expires_at: number;
  verified_at: number | null;
}

export interface PinRow {
  holder_kind: string;
  holder_id: number;
  /** scrypt hash of the PIN. */
  hash: string;
  failures: Generated<number>;
  set_at: number;
}

export interface Schema {
  producers: ProducerRow;
  products: ProductRow;
  pickup_points: PickupPointRow;
  staff: StaffRow;
  cycles: CycleRow;
  cycle_slots: CycleSlotRow;
  offers: OfferRow;
  customers: CustomerRow;
  customer_identities: CustomerIdentityRow;
  orders: OrderRow;
  order_items: OrderItemRow;
  conversations: ConversationRow;
  deliveries: DeliveryRow;
  outbox: OutboxRow;
  phone_verifications: PhoneVerificationRow;
  pins: PinRow;
}

export type SqlDialect = 'sqlite' | 'postgres';

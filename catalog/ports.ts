/**
 * Ports: the small interfaces the domain needs from storage. `storage/`
 * implements them for SQLite and PostgreSQL; nothing here names a driver.
 *
 * Every method that changes more than one row is atomic. Methods that refuse
 * throw `DomainError` (catalog/errors.ts) with a stable code.
 */
import type {
  Category, Channel, Customer, Identity, Language, Offer, OfferView, Order, OrderCycle, OrderItem,
  OrderStatus, PickupPoint, PickupPointKind, PickupSlot, Producer, Product, ReminderChannel, Staff,
  Unit, WeeklyWindow,
} from './types.ts';
import type { NewOutboxMessage, OutboxRepository } from './outbox.ts';

export interface Clock {
  now(): Date;
}

/**
 * Why a repository call failed when the database itself is the reason, not the
 * call: `connection_lost` when the connection broke while in use (a fresh one
 * may work at once), `unavailable` when the database cannot be reached or stayed
 * busy or locked past its timeout. Either way nothing of that call was committed
 * (except perhaps a commit whose answer was lost with its connection), and the
 * same call may work later.
 */
export type DatabaseFault = 'connection_lost' | 'unavailable';

export interface NewProducer {
  name: string;
  village: string;
  phone: string;
  telegramId?: string | null;
}

export interface ProducerRepository {
  add(input: NewProducer): Promise<Producer>;
  get(id: number): Promise<Producer | null>;
  /** Case-insensitive exact name. */
  findByName(name: string): Promise<Producer | null>;
  findByTelegramId(telegramId: string): Promise<Producer | null>;
  findByPhone(e164: string): Promise<Producer | null>;
  list(): Promise<Producer[]>;
}

export interface NewProduct {
  producerId: number;
  name: string;
  category: Category;
  description?: string;
  unit: Unit;
  organic?: boolean;
  allergens?: string;
  ingredients?: string;
}

/** What a producer may change of a product from a stock post. */
export type ProductPatch = Partial<Pick<Product, 'organic' | 'allergens' | 'ingredients'>>;

export interface ProductRepository {
  add(input: NewProduct): Promise<Product>;
  update(id: number, patch: ProductPatch): Promise<Product>;
  get(id: number): Promise<Product | null>;
  listByProducer(producerId: number): Promise<Product[]>;
  /** Case-insensitive exact name within one producer's products. */
  findByName(producerId: number, name: string): Promise<Product | null>;
}

export interface NewPickupPoint {
  name: string;
  kind: PickupPointKind;
  address: string;
  postcode: string;
  place: string;
  lat: number;
  lon: number;
  windows: WeeklyWindow[];
  vanRoute?: string | null;
  routePosition?: number | null;
}

export interface PickupPointRepository {
  add(input: NewPickupPoint): Promise<PickupPoint>;
  get(id: number): Promise<PickupPoint | null>;
  list(): Promise<PickupPoint[]>;
}

export interface NewStaff {
  pickupPointId: number;
  name: string;
  phone?: string | null;
  telegramId?: string | null;
}

export interface StaffRepository {
  add(input: NewStaff): Promise<Staff>;
  findByTelegramId(telegramId: string): Promise<Staff | null>;
  findByPhone(e164: string): Promise<Staff | null>;
  listByPickupPoint(pickupPointId: number): Promise<Staff[]>;
}

export interface NewCycle {
  label: string;
  opensAt: Date;
  cutoffAt: Date;
  slots: Array<{ pickupPointId: number; from: Date; to: Date }>;
}

export interface CycleRepository {
  create(input: NewCycle): Promise<OrderCycle>;
  get(id: number): Promise<OrderCycle | null>;
  /** The newest cycle with opensAt <= at (open or closed), or null. */
  current(at: Date): Promise<OrderCycle | null>;
  list(): Promise<OrderCycle[]>;
  setStatus(id: number, status: OrderCycle['status']): Promise<void>;
  slots(cycleId: number): Promise<PickupSlot[]>;
}

export interface OfferInput {
  priceCents: number;
  available: number;
  step: number;
  maxPerOrder: number | null;
}

export interface OfferFilter {
  category?: Category;
  producerId?: number;
  /** Only offers with something left. */
  inStock?: boolean;
}

export interface OfferRepository {
  /** Creates the offer of a product in a cycle, or replaces its price, quantity, step and maximum. */
  upsert(cycleId: number, productId: number, input: OfferInput): Promise<Offer>;
  get(id: number): Promise<OfferView | null>;
  findByProduct(cycleId: number, productId: number): Promise<OfferView | null>;
  list(cycleId: number, filter?: OfferFilter): Promise<OfferView[]>;
  /** Patch price and/or what is left (sold out = 0). */
  update(id: number, patch: Partial<Pick<Offer, 'priceCents' | 'available' | 'maxPerOrder'>>): Promise<Offer>;
  /**
   * Takes an offer out of its cycle. False (nothing changed) when an order
   * holds it: orders keep their offer, so such an offer can only be sold out.
   */
  remove(id: number): Promise<boolean>;
}

export interface NewCustomer {
  name?: string | null;
  language?: Language;
  identity: Identity;
}

export type CustomerPatch = Partial<
  Pick<Customer, 'name' | 'language' | 'preferredPickupPointId' | 'reminderChannel' | 'weeklyNews' | 'consentAt'>
>;

export interface CustomerRepository {
  create(input: NewCustomer): Promise<Customer>;
  get(id: number): Promise<Customer | null>;
  /** The customers with these ids that exist, in no particular order; for jobs over a whole cycle. */
  getMany(ids: number[]): Promise<Customer[]>;
  findByIdentity(identity: Identity): Promise<Customer | null>;
  update(id: number, patch: CustomerPatch): Promise<Customer>;
  /** Links another identity (e.g. a shared phone number); no-op when already linked to this customer. */
  addIdentity(id: number, identity: Identity): Promise<void>;
  /** Erases personal data: name, identities, preferences. Orders stay, anonymised. */
  erase(id: number): Promise<void>;
  list(): Promise<Customer[]>;
  /** Notes that the customer behind `identity` wrote at `at` (no-op for an unknown identity or an older time). */
  recordInbound(identity: Identity, at: Date): Promise<void>;
  /** When the customer last wrote, as recorded by `recordInbound`; null when never. */
  lastInboundAt(id: number): Promise<Date | null>;
}

/** What the domain hands storage to write one order. Prices are already frozen. */
export interface OrderRecord {
  customerId: number;
  cycleId: number;
  pickupPointId: number;
  pickupFrom: Date;
  pickupTo: Date;
  channel: Channel;
  createdAt: Date;
  items: Array<Omit<OrderItem, 'lineCents'>>;
  /**
   * Makes placing idempotent: a second call with the same key returns the
   * first order and changes nothing.
   */
  requestKey?: string | null;
}

export interface PickListRow {
  pickupPointId: number;
  pickupPointName: string;
  productId: number;
  productName: string;
  unit: Unit;
  quantity: number;
}

export interface HandoutEntry {
  orderId: number;
  orderCode: string;
  status: OrderStatus;
  customerName: string | null;
  pickupFrom: Date;
  pickupTo: Date;
  items: OrderItem[];
  totalCents: number;
}

/** Where and when an order is picked up: what a change of day or point writes. */
export interface OrderPickup {
  pickupPointId: number;
  pickupFrom: Date;
  pickupTo: Date;
}

export interface OrderRepository {
  /**
   * Reserves every line's quantity and writes the order, or does nothing:
   * each offer's `available` is decremented only where it stays >= 0.
   * Throws DomainError OUT_OF_STOCK with `details.shortages: ShortageDetail[]`.
   * Assigns a digits-only code unique within the cycle.
   */
  place(record: OrderRecord): Promise<Order>;
  /** Sets status placed → cancelled and returns the stock, atomically. */
  cancel(orderId: number): Promise<Order>;
  /**
   * Replaces the items of a placed order (and, when given, its pickup point and window): returns the old quantities and
   * reserves the new ones, all or nothing (OUT_OF_STOCK as in place).
   */
  replaceItems(orderId: number, items: Array<Omit<OrderItem, 'lineCents'>>, pickup?: OrderPickup): Promise<Order>;
  /** Moves an order from one of `from` to `to`; returns null when its status was not in `from`. */
  transition(orderId: number, from: OrderStatus[], to: OrderStatus): Promise<Order | null>;
  get(id: number): Promise<Order | null>;
  findByCode(cycleId: number, code: string): Promise<Order | null>;
  listByCustomer(customerId: number): Promise<Order[]>;
  /** The customer's newest order that was not cancelled. */
  lastOfCustomer(customerId: number): Promise<Order | null>;
  listByCycle(cycleId: number): Promise<Order[]>;
  /** Quantities per pickup point and product of one producer's offers, orders not cancelled. */
  pickList(cycleId: number, producerId: number): Promise<PickListRow[]>;
  /** Orders to hand out at one pickup point, not cancelled, by customer name. */
  handoutList(cycleId: number, pickupPointId: number): Promise<HandoutEntry[]>;
}

export interface StoredConversation {
  state: unknown;
  version: number;
  updatedAt: Date;
}

/** Per (channel, sender) dialogue state, with optimistic versioning. */
export interface ConversationRepository {
  load(key: string): Promise<StoredConversation | null>;
  /**
   * Writes when the stored version still equals `expectedVersion` (null: must
   * not exist yet). Returns the new version, or null when someone else wrote first.
   */
  save(key: string, state: unknown, expectedVersion: number | null, at: Date): Promise<number | null>;
  /**
   * A turn's save: records `deliveryKey` as done and saves the state in one
   * transaction. 'duplicate' (nothing written) when the delivery was done before;
   * null (nothing written) when someone else saved the conversation first.
   */
  saveTurn(
    key: string, state: unknown, expectedVersion: number | null, at: Date, deliveryKey: string,
    /** What the turn will say, kept with the delivery until it is settled (DeliveryLog.settleReplies); null: nothing to keep. */
    reply?: string | null,
  ): Promise<number | null | 'duplicate'>;
  delete(key: string): Promise<void>;
}

/** Remembers provider deliveries so that a re-delivery has no second effect. */
export interface DeliveryLog {
  /** True the first time a key is seen, false for every repeat. */
  claim(key: string, at: Date): Promise<boolean>;
  /** Whether a delivery was already done (claimed, or saved with a turn). */
  seen(key: string): Promise<boolean>;
  /** Forgets deliveries recorded before `before`; returns how many. */
  prune(before: Date): Promise<number>;
  /** Forgets the replies kept with these deliveries: they were sent, or handed to the outbox. */
  settleReplies(keys: readonly string[]): Promise<void>;
  /** Replies kept with deliveries recorded before `before` and never settled, oldest first: their process did not finish them. */
  unsettledReplies(before: Date, limit: number): Promise<Array<{ key: string; reply: string }>>;
}

/** How a keyed-in number is proved: a one-time code by SMS, or a call back to it. */
export type VerificationMethod = 'sms' | 'call';

export interface NewVerification {
  /** Makes starting idempotent: the same key again returns the first verification and sends nothing. */
  requestKey: string;
  phone: string;
  method: VerificationMethod;
  /** The code's scrypt hash (catalog/secrets.ts); null for a callback. */
  codeHash: string | null;
  createdAt: Date;
  expiresAt: Date;
}

export interface Verification extends NewVerification {
  id: number;
  /** Codes keyed in so far, right or wrong. */
  attempts: number;
  verifiedAt: Date | null;
}

export interface VerificationRepository {
  /**
   * Records the verification and the message that carries it (the code's SMS,
   * the callback) in one transaction. A request key seen before writes nothing
   * and returns the earlier verification with `created: false`.
   */
  start(verification: NewVerification, message: NewOutboxMessage): Promise<{ verification: Verification; created: boolean }>;
  get(id: number): Promise<Verification | null>;
  /** Verifications of `phone` started at or after `since`. */
  countSince(phone: string, since: Date): Promise<number>;
  /**
   * Counts one code attempt, atomically, while fewer than `max` were made and
   * the verification is not done; null (nothing counted) otherwise.
   */
  countAttempt(id: number, max: number): Promise<Verification | null>;
  markVerified(id: number, at: Date): Promise<void>;
}

/** Whose phone PIN: a producer's or a pickup point staff member's. */
export interface PinHolder {
  kind: 'producer' | 'staff';
  id: number;
}

export interface StoredPin {
  /** The PIN's scrypt hash. */
  hash: string;
  /** Wrong PINs keyed in since it was set or last keyed in right. */
  failures: number;
}

export interface PinRepository {
  get(holder: PinHolder): Promise<StoredPin | null>;
  /** Sets (or replaces) the PIN; the count of failures starts again at 0. */
  set(holder: PinHolder, hash: string, at: Date): Promise<void>;
  /** Counts a wrong PIN; returns the failures after it. */
  countFailure(holder: PinHolder): Promise<number>;
  resetFailures(holder: PinHolder): Promise<void>;
}

/** The repositories one database provides; `transaction` is not offered: atomic work lives behind methods. */
export interface Repositories {
  producers: ProducerRepository;
  products: ProductRepository;
  pickupPoints: PickupPointRepository;
  staff: StaffRepository;
  cycles: CycleRepository;
  offers: OfferRepository;
  customers: CustomerRepository;
  orders: OrderRepository;
  conversations: ConversationRepository;
  deliveries: DeliveryLog;
  outbox: OutboxRepository;
  verifications: VerificationRepository;
  pins: PinRepository;
}

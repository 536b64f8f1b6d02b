/**
 * Every port of catalog/ports.ts on one Kysely instance. The same code serves
 * SQLite and PostgreSQL: the schema, not the queries, absorbs the differences.
 */
import type { Kysely } from 'kysely';
import type { Clock, Repositories } from '../../catalog/ports.ts';
import type { Schema } from '../schema.ts';
import { createConversationRepository } from './conversations.ts';
import { createCustomerRepository } from './customers.ts';
import { createCycleRepository } from './cycles.ts';
import { createDeliveryLog } from './deliveries.ts';
import { createOfferRepository } from './offers.ts';
import { createOrderRepository } from './orders.ts';
import { createOutboxRepository } from './outbox.ts';
import { createPickupPointRepository } from './pickup-points.ts';
import { createPinRepository } from './pins.ts';
import { createProducerRepository } from './producers.ts';
import { createProductRepository } from './products.ts';
import { createStaffRepository } from './staff.ts';
import { createVerificationRepository } from './verifications.ts';

const systemClock: Clock = { now: () => new Date() };

export interface RepositoryOptions {
  /** Stamps rows the ports give no time for (a customer's createdAt). */
  clock?: Clock;
  /**
   * A value that changes whenever the database changed (storage/sqlite.ts);
   * when given, reads of the week's offer are cached until it moves.
   */
  changeStamp?: () => string;
}

/** The repositories over `db`. */
export function createRepositories(db: Kysely<Schema>, options: RepositoryOptions = {}): Repositories {
  return {
    producers: createProducerRepository(db, options.changeStamp),
    products: createProductRepository(db),
    pickupPoints: createPickupPointRepository(db),
    staff: createStaffRepository(db, options.changeStamp),
    cycles: createCycleRepository(db, options.changeStamp),
    offers: createOfferRepository(db, options.changeStamp),
    customers: createCustomerRepository(db, options.clock ?? systemClock),
    orders: createOrderRepository(db),
    conversations: createConversationRepository(db),
    deliveries: createDeliveryLog(db),
    outbox: createOutboxRepository(db),
    verifications: createVerificationRepository(db),
    pins: createPinRepository(db),
  };
}

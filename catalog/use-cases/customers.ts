/** Customers and identity: who is writing, registering, preferences, linked identities and erasure. */
import { DomainError } from '../errors.ts';
import type { CustomerPatch } from '../ports.ts';
import type { Customer, Identity, Language, Producer, Staff } from '../types.ts';
import type { MarketplaceDeps } from './week.ts';

/** Who is writing: decides which commands are theirs. */
export type Role =
  | { kind: 'producer'; producer: Producer }
  | { kind: 'staff'; staff: Staff }
  | { kind: 'customer'; customer: Customer | null };

export interface Customers {
  /** Who an identity belongs to: producers and staff first, then customers. */
  identify(identity: Identity | null): Promise<Role>;
  /** The customer behind an identity, even where that identity is also a producer's or staff member's. */
  customerOf(identity: Identity): Promise<Customer | null>;
  /** Makes a customer of someone who agreed to the privacy note. */
  registerCustomer(identity: Identity, input: { name?: string | null; language: Language }): Promise<Customer>;
  /** Changes preferences or the name (tidied; INVALID_INPUT when nothing is left of it). */
  updateCustomer(customerId: number, patch: CustomerPatch): Promise<Customer>;
  /** Links a further identity, e.g. the phone number shared on Telegram; CONFLICT when it is someone else's. */
  linkIdentity(customerId: number, identity: Identity): Promise<void>;
  /** Erases personal data; placed orders stay, anonymised. */
  eraseCustomer(customerId: number): Promise<void>;
  /** A customer by id; null when erased or unknown. */
  customer(customerId: number): Promise<Customer | null>;
}

/**
 * A name as it goes on the pickup list: one space between words, a word said twice in a row
 * once ("müller müller"), and a name given all in lower case (as speech recognition writes it)
 * with capitals ("anna schulz" → "Anna Schulz"); a name typed with capitals stays as typed.
 */
export function tidyName(raw: string): string {
  const words = raw.replace(/\s+/g, ' ').trim().split(' ').filter((word, index, all) => index === 0 || word.toLowerCase() !== all[index - 1].toLowerCase());
  const lowerCase = words.join(' ') === words.join(' ').toLowerCase();
  const tidy = lowerCase ? words.map((word) => word.replace(/(^|-)(\p{L})/gu, (_, dash: string, letter: string) => dash + letter.toUpperCase())) : words;
  return tidy.join(' ').slice(0, 80);
}

export function customersOver({ repos, clock }: MarketplaceDeps): Customers {
  return {
    async identify(identity) {
      if (!identity) return { kind: 'customer', customer: null };
      if (identity.kind === 'telegram') {
        const producer = await repos.producers.findByTelegramId(identity.value);
        if (producer?.active) return { kind: 'producer', producer };
        const staff = await repos.staff.findByTelegramId(identity.value);
        if (staff) return { kind: 'staff', staff };
      } else if (identity.kind !== 'call') {
        const producer = await repos.producers.findByPhone(identity.value);
        if (producer?.active) return { kind: 'producer', producer };
        const staff = await repos.staff.findByPhone(identity.value);
        if (staff) return { kind: 'staff', staff };
      }
      return { kind: 'customer', customer: await repos.customers.findByIdentity(identity) };
    },

    async customerOf(identity) {
      return repos.customers.findByIdentity(identity);
    },

    async registerCustomer(identity, input) {
      const existing = await repos.customers.findByIdentity(identity);
      const customer = existing ?? (await repos.customers.create({ identity, name: input.name ?? null, language: input.language }));
      return repos.customers.update(customer.id, { consentAt: clock.now(), language: input.language });
    },

    async updateCustomer(customerId, patch) {
      if (patch.name !== undefined && patch.name !== null) {
        const name = tidyName(patch.name);
        if (!name) throw new DomainError('INVALID_INPUT', { field: 'name' });
        patch = { ...patch, name };
      }
      return repos.customers.update(customerId, patch);
    },

    customer: (customerId) => repos.customers.get(customerId),

    async linkIdentity(customerId, identity) {
      const other = await repos.customers.findByIdentity(identity);
      if (other && other.id !== customerId) throw new DomainError('CONFLICT', { identity: identity.kind });
      await repos.customers.addIdentity(customerId, identity);
    },

    async eraseCustomer(customerId) {
      await repos.customers.erase(customerId);
    },
  };
}

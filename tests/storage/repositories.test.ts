import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DomainError, type ShortageDetail } from '../../catalog/errors.ts';
import type { Repositories } from '../../catalog/ports.ts';
import { orderCodeIsValid } from '../../catalog/order-code.ts';
import { openDatabase } from '../../storage/database.ts';
import { forEachDatabase, openTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { line, orderOf, PICKUP, seedWeek, type Week } from './fixtures.ts';

forEachDatabase('repositories', (target) => {
  let database: TestDatabase;
  let repositories: Repositories;
  let week: Week;

  beforeEach(async () => {
    database = await openTestDatabase(target, { clock: { now: () => new Date('2026-11-30T10:00:00Z') } });
    repositories = database.repositories;
    week = await seedWeek(repositories);
  });
  afterEach(() => database.dispose());

  const available = async (offerId: number) => (await repositories.offers.get(offerId))!.available;

  describe('producers', () => {
    it('finds a producer by id, telegram id, phone and by name regardless of case, umlauts included', async () => {
      const { oelmuehle, gurkenhof } = week.producers;
      expect(await repositories.producers.get(oelmuehle.id)).toEqual({
        id: oelmuehle.id, name: 'Ölmühle Straupitz', village: 'Straupitz', phone: '+4935475200', telegramId: null, active: true,
      });
      expect((await repositories.producers.findByName('ÖLMÜHLE straupitz'))?.id).toBe(oelmuehle.id);
      expect((await repositories.producers.findByTelegramId('5001'))?.id).toBe(gurkenhof.id);
      expect((await repositories.producers.findByPhone('+4935421100'))?.id).toBe(gurkenhof.id);
      expect(await repositories.producers.get(9999)).toBeNull();
      expect(await repositories.producers.findByName('Ölmühle')).toBeNull();
    });

    it('lists producers in German alphabetical order', async () => {
      await repositories.producers.add({ name: 'Zanderfischerei Kaupen', village: 'Burg', phone: '+4935603300' });
      const names = (await repositories.producers.list()).map((producer) => producer.name);
      expect(names).toEqual(['Gurkenhof Lehde', 'Ölmühle Straupitz', 'Zanderfischerei Kaupen']);
    });
  });

  describe('products', () => {
    it('adds products only for known producers', async () => {
      await expect(repositories.products.add({ producerId: 9999, name: 'Quark', category: 'dairy', unit: 'pack' }))
        .rejects.toMatchObject({ code: 'UNKNOWN_PRODUCER' });
    });

    it('reads products by id, by producer and by name within one producer', async () => {
      const { senfgurken, kartoffeln, leinoel } = week.products;
      expect(await repositories.products.get(kartoffeln.id)).toEqual({
        id: kartoffeln.id, producerId: week.producers.gurkenhof.id, name: 'Kartoffeln', category: 'potatoes',
        description: '', unit: 'kg', organic: true, allergens: '', ingredients: '',
      });
      expect((await repositories.products.listByProducer(week.producers.gurkenhof.id)).map((p) => p.name))
        .toEqual(['Kartoffeln', 'Senfgurken']);
      expect((await repositories.products.findByName(week.producers.gurkenhof.id, 'SENFGURKEN'))?.id).toBe(senfgurken.id);
      expect((await repositories.products.findByName(week.producers.oelmuehle.id, 'leinöl'))?.id).toBe(leinoel.id);
      expect(await repositories.products.findByName(week.producers.oelmuehle.id, 'Senfgurken')).toBeNull();
      expect(await repositories.products.get(9999)).toBeNull();
    });

    it('keeps what a producer says of a product: organic, allergens, ingredients', async () => {
      const { senfgurken } = week.products;
      const changed = await repositories.products.update(senfgurken.id, { organic: true, allergens: 'Senf', ingredients: 'Gurken, Essig, Senfsaat' });
      expect(changed).toMatchObject({ name: 'Senfgurken', organic: true, allergens: 'Senf', ingredients: 'Gurken, Essig, Senfsaat' });
      expect(await repositories.products.get(senfgurken.id)).toEqual(changed);
      expect(await repositories.products.update(senfgurken.id, { allergens: '' })).toMatchObject({ organic: true, allergens: '' });
      const added = await repositories.products.add({
        producerId: week.producers.gurkenhof.id, name: 'Gurkensalat', category: 'pickles', unit: 'jar', allergens: 'Sellerie',
      });
      expect(added).toMatchObject({ allergens: 'Sellerie', ingredients: '', organic: false });
      await expect(repositories.products.update(9999, { organic: true })).rejects.toMatchObject({ code: 'UNKNOWN_PRODUCT' });
    });
  });

  describe('pickup points and staff', () => {
    it('keeps opening windows, coordinates and the van route', async () => {
      const stop = await repositories.pickupPoints.get(week.pickupPoints.vanStop.id);
      expect(stop).toEqual(week.pickupPoints.vanStop);
      expect(stop).toMatchObject({ vanRoute: 'Tour Nord', routePosition: 2, windows: [{ weekday: 6, from: '09:00', to: '09:30' }] });
      expect((await repositories.pickupPoints.get(week.pickupPoints.hofladen.id))?.lat).toBe(51.8712345);
      expect((await repositories.pickupPoints.list()).map((point) => point.name)).toEqual(['Burg Kauper', 'Hofladen Lehde']);
      expect(await repositories.pickupPoints.get(9999)).toBeNull();
    });

    it('finds staff by telegram id and phone and lists them per pickup point', async () => {
      const hofladen = week.pickupPoints.hofladen.id;
      const marta = await repositories.staff.add({ pickupPointId: hofladen, name: 'Marta', phone: '+4915100001' });
      const jens = await repositories.staff.add({ pickupPointId: hofladen, name: 'Jens', telegramId: '7007' });
      expect(await repositories.staff.findByPhone('+4915100001')).toEqual({ ...marta, telegramId: null });
      expect((await repositories.staff.findByTelegramId('7007'))?.id).toBe(jens.id);
      expect(await repositories.staff.findByTelegramId('0')).toBeNull();
      expect((await repositories.staff.listByPickupPoint(hofladen)).map((member) => member.name)).toEqual(['Jens', 'Marta']);
      expect(await repositories.staff.listByPickupPoint(week.pickupPoints.vanStop.id)).toEqual([]);
      await expect(repositories.staff.add({ pickupPointId: 9999, name: 'Niemand' }))
        .rejects.toMatchObject({ code: 'UNKNOWN_PICKUP_POINT' });
    });
  });

  describe('cycles', () => {
    it('stores a cycle with its pickup slots', async () => {
      expect(await repositories.cycles.get(week.cycle.id)).toEqual({
        id: week.cycle.id, label: '2026-W49', opensAt: new Date('2026-11-30T06:00:00Z'),
        cutoffAt: new Date('2026-12-03T11:00:00Z'), status: 'open',
      });
      expect(await repositories.cycles.slots(week.cycle.id)).toEqual([
        { cycleId: week.cycle.id, pickupPointId: week.pickupPoints.hofladen.id, from: PICKUP.from, to: PICKUP.to },
        {
          cycleId: week.cycle.id, pickupPointId: week.pickupPoints.vanStop.id,
          from: new Date('2026-12-05T08:00:00Z'), to: new Date('2026-12-05T08:30:00Z'),
        },
      ]);
      expect(await repositories.cycles.get(9999)).toBeNull();
    });

    it('finds the newest cycle already opened, and closes cycles', async () => {
      const next = await repositories.cycles.create({
        label: '2026-W50', opensAt: new Date('2026-12-07T06:00:00Z'), cutoffAt: new Date('2026-12-10T11:00:00Z'), slots: [],
      });
      expect(await repositories.cycles.current(new Date('2026-11-29T12:00:00Z'))).toBeNull();
      expect((await repositories.cycles.current(new Date('2026-11-30T06:00:00Z')))?.id).toBe(week.cycle.id);
      expect((await repositories.cycles.current(new Date('2026-12-08T00:00:00Z')))?.id).toBe(next.id);
      await repositories.cycles.setStatus(week.cycle.id, 'closed');
      expect((await repositories.cycles.list()).map((cycle) => [cycle.label, cycle.status]))
        .toEqual([['2026-W49', 'closed'], ['2026-W50', 'open']]);
      await expect(repositories.cycles.setStatus(9999, 'closed')).rejects.toBeInstanceOf(DomainError);
    });

    it('refuses a second cycle with the same label', async () => {
      await expect(repositories.cycles.create({ label: '2026-W49', opensAt: new Date(), cutoffAt: new Date(), slots: [] }))
        .rejects.toMatchObject({ code: 'CONFLICT' });
    });
  });

  describe('offers', () => {
    it('takes an offer nobody ordered out of the week, and keeps one an order holds', async () => {
      const { senfgurken, leinoel } = week.offers;
      await repositories.orders.place(orderOf(week, [line(senfgurken, 1)]));
      expect(await repositories.offers.remove(leinoel.id)).toBe(true);
      expect(await repositories.offers.get(leinoel.id)).toBeNull();
      expect((await repositories.offers.list(week.cycle.id)).map((offer) => offer.productName)).toEqual(['Kartoffeln', 'Senfgurken']);
      expect(await repositories.offers.remove(senfgurken.id)).toBe(false);
      expect(await repositories.offers.get(senfgurken.id)).toMatchObject({ available: 9 });
      await expect(repositories.offers.remove(leinoel.id)).rejects.toMatchObject({ code: 'UNKNOWN_OFFER' });
    });

    it('shows an offer with its product and producer', async () => {
      const { leinoel } = week.products;
      expect(await repositories.offers.get(week.offers.leinoel.id)).toEqual({
        id: week.offers.leinoel.id, cycleId: week.cycle.id, productId: leinoel.id, priceCents: 690, available: 4, step: 1,
        maxPerOrder: null, productName: 'Leinöl', category: 'oil', description: 'kaltgepresst', unit: 'bottle',
        organic: false, allergens: '', ingredients: '', producerId: week.producers.oelmuehle.id, producerName: 'Ölmühle Straupitz',
        village: 'Straupitz',
      });
      expect(await repositories.offers.get(9999)).toBeNull();
      expect(await repositories.offers.findByProduct(week.cycle.id + 1, leinoel.id)).toBeNull();
    });

    it('replaces price and stock of an existing offer on upsert, keeping its id', async () => {
      const again = await repositories.offers.upsert(week.cycle.id, week.products.kartoffeln.id, {
        priceCents: 199, available: 12.5, step: 2.5, maxPerOrder: 10,
      });
      expect(again).toEqual({
        id: week.offers.kartoffeln.id, cycleId: week.cycle.id, productId: week.products.kartoffeln.id,
        priceCents: 199, available: 12.5, step: 2.5, maxPerOrder: 10,
      });
    });

    it('refuses unknown products, negative stock and invalid prices', async () => {
      const input = { priceCents: 100, available: 1, step: 1, maxPerOrder: null };
      await expect(repositories.offers.upsert(week.cycle.id, 9999, input)).rejects.toMatchObject({ code: 'UNKNOWN_PRODUCT' });
      await expect(repositories.offers.upsert(week.cycle.id, week.products.leinoel.id, { ...input, available: -1 }))
        .rejects.toMatchObject({ code: 'QUANTITY_INVALID' });
      await expect(repositories.offers.update(week.offers.leinoel.id, { priceCents: 9.99 }))
        .rejects.toMatchObject({ code: 'PRICE_INVALID' });
    });

    it('filters the week by category, producer and what is in stock, sorted by product name', async () => {
      const names = async (filter: Parameters<Repositories['offers']['list']>[1]) =>
        (await repositories.offers.list(week.cycle.id, filter)).map((offer) => offer.productName);
      expect(await names(undefined)).toEqual(['Kartoffeln', 'Leinöl', 'Senfgurken']);
      expect(await names({ category: 'oil' })).toEqual(['Leinöl']);
      expect(await names({ producerId: week.producers.gurkenhof.id })).toEqual(['Kartoffeln', 'Senfgurken']);
      await repositories.offers.update(week.offers.senfgurken.id, { available: 0 });
      expect(await names({ inStock: true })).toEqual(['Kartoffeln', 'Leinöl']);
      expect(await names({ producerId: week.producers.gurkenhof.id, inStock: true })).toEqual(['Kartoffeln']);
    });

    it('patches price, stock and maximum, and refuses unknown offers', async () => {
      const patched = await repositories.offers.update(week.offers.senfgurken.id, { priceCents: 299, available: 0.3, maxPerOrder: null });
      expect(patched).toMatchObject({ priceCents: 299, available: 0.3, maxPerOrder: null, step: 1 });
      expect(await repositories.offers.update(week.offers.senfgurken.id, {})).toEqual(patched);
      await expect(repositories.offers.update(9999, { available: 1 })).rejects.toMatchObject({ code: 'UNKNOWN_OFFER' });
    });

    it('never serves a stale week offer, also when another connection changed the stock', async () => {
      const listed = async () => (await repositories.offers.list(week.cycle.id, { inStock: true })).map((o) => [o.productName, o.available]);
      expect(await listed()).toEqual([['Kartoffeln', 25], ['Leinöl', 4], ['Senfgurken', 10]]);
      // A caller's list is its own to reorder; its offers (shared and frozen where cached) are not its own to change.
      const shown = await repositories.offers.list(week.cycle.id, { inStock: true });
      Reflect.set(shown[0], 'available', 999);
      shown.reverse();
      expect(await listed()).toEqual([['Kartoffeln', 25], ['Leinöl', 4], ['Senfgurken', 10]]);

      const other = await openDatabase(database.url);
      try {
        await other.repositories.orders.place(orderOf(week, [line(week.offers.leinoel, 3)]));
        expect(await listed()).toEqual([['Kartoffeln', 25], ['Leinöl', 1], ['Senfgurken', 10]]);
        await other.repositories.offers.update(week.offers.leinoel.id, { available: 0 });
        expect(await listed()).toEqual([['Kartoffeln', 25], ['Senfgurken', 10]]);
      } finally {
        await other.close();
      }
      await repositories.orders.place(orderOf(week, [line(week.offers.senfgurken, 4)]));
      expect(await listed()).toEqual([['Kartoffeln', 25], ['Senfgurken', 6]]);
    });
  });

  describe('customers', () => {
    const phone = { kind: 'phone', value: '+4935421999' } as const;

    it('creates a customer with one identity and sensible defaults', async () => {
      expect(week.customer).toEqual({
        id: week.customer.id, name: 'Erna Schulze', language: 'de', preferredPickupPointId: null, reminderChannel: null,
        weeklyNews: false, consentAt: null, identities: [phone], createdAt: new Date('2026-11-30T10:00:00Z'),
      });
      expect(await repositories.customers.findByIdentity(phone)).toEqual(week.customer);
      expect(await repositories.customers.findByIdentity({ kind: 'whatsapp', value: phone.value })).toBeNull();
      expect(await repositories.customers.get(9999)).toBeNull();
    });

    it('refuses an identity that already belongs to a customer', async () => {
      await expect(repositories.customers.create({ identity: phone })).rejects.toMatchObject({ code: 'CONFLICT' });
      expect(await repositories.customers.list()).toHaveLength(1);
    });

    it('updates preferences and refuses unknown customers and pickup points', async () => {
      const updated = await repositories.customers.update(week.customer.id, {
        name: 'Erna S.', language: 'en', preferredPickupPointId: week.pickupPoints.vanStop.id, reminderChannel: 'call',
        weeklyNews: true, consentAt: new Date('2026-11-30T10:05:00Z'),
      });
      expect(updated).toMatchObject({
        name: 'Erna S.', language: 'en', preferredPickupPointId: week.pickupPoints.vanStop.id, reminderChannel: 'call',
        weeklyNews: true, consentAt: new Date('2026-11-30T10:05:00Z'),
      });
      expect(await repositories.customers.get(week.customer.id)).toEqual(updated);
      await expect(repositories.customers.update(9999, { name: 'X' })).rejects.toMatchObject({ code: 'UNKNOWN_CUSTOMER' });
      await expect(repositories.customers.update(week.customer.id, { preferredPickupPointId: 9999 }))
        .rejects.toMatchObject({ code: 'UNKNOWN_PICKUP_POINT' });
    });

    it('links further identities once, and never one that belongs to someone else', async () => {
      const whatsapp = { kind: 'whatsapp', value: '+4915112345' } as const;
      await repositories.customers.addIdentity(week.customer.id, whatsapp);
      await repositories.customers.addIdentity(week.customer.id, whatsapp);
      expect((await repositories.customers.findByIdentity(whatsapp))?.identities).toEqual([phone, whatsapp]);
      const neighbour = await repositories.customers.create({ identity: { kind: 'telegram', value: '42' } });
      await expect(repositories.customers.addIdentity(neighbour.id, whatsapp)).rejects.toMatchObject({ code: 'CONFLICT' });
      await expect(repositories.customers.addIdentity(9999, { kind: 'telegram', value: '43' }))
        .rejects.toMatchObject({ code: 'UNKNOWN_CUSTOMER' });
      expect((await repositories.customers.list()).map((customer) => customer.identities.length)).toEqual([2, 1]);
    });

    it('erases everything personal and keeps the orders anonymised', async () => {
      await repositories.customers.update(week.customer.id, {
        language: 'en', preferredPickupPointId: week.pickupPoints.hofladen.id, reminderChannel: 'sms', weeklyNews: true,
        consentAt: new Date('2026-11-30T10:05:00Z'),
      });
      const order = await repositories.orders.place(orderOf(week, [line(week.offers.senfgurken, 1)]));
      await repositories.customers.erase(week.customer.id);
      expect(await repositories.customers.get(week.customer.id)).toEqual({
        id: week.customer.id, name: null, language: 'de', preferredPickupPointId: null, reminderChannel: null,
        weeklyNews: false, consentAt: null, identities: [], createdAt: week.customer.createdAt,
      });
      expect(await repositories.customers.findByIdentity(phone)).toBeNull();
      expect((await repositories.orders.get(order.id))?.customerId).toBe(week.customer.id);
      expect((await repositories.orders.handoutList(week.cycle.id, week.pickupPoints.hofladen.id))[0].customerName).toBeNull();
      await expect(repositories.customers.erase(9999)).rejects.toMatchObject({ code: 'UNKNOWN_CUSTOMER' });
    });
  });

  describe('orders', () => {
    it('places an order: reserves stock, freezes prices, assigns a checkable code', async () => {
      const { senfgurken, kartoffeln } = week.offers;
      const order = await repositories.orders.place(orderOf(week, [line(senfgurken, 2), line(kartoffeln, 1.5)], { channel: 'voice' }));
      expect(order).toEqual({
        id: order.id, code: order.code, customerId: week.customer.id, cycleId: week.cycle.id,
        pickupPointId: week.pickupPoints.hofladen.id, pickupFrom: PICKUP.from, pickupTo: PICKUP.to, status: 'placed',
        channel: 'voice', createdAt: new Date('2026-12-01T09:30:00Z'),
        items: [
          { ...line(senfgurken, 2), lineCents: 698 },
          { ...line(kartoffeln, 1.5), lineCents: 270 },
        ],
        totalCents: 968,
      });
      expect(order.code).toMatch(/^\d{5}$/);
      expect(orderCodeIsValid(order.code)).toBe(true);
      expect(await repositories.orders.get(order.id)).toEqual(order);
      expect(await available(senfgurken.id)).toBe(8);
      expect(await available(kartoffeln.id)).toBe(23.5);
    });

    it('gives every order of a cycle its own code', async () => {
      const codes = [];
      for (let i = 0; i < 5; i += 1) {
        codes.push((await repositories.orders.place(orderOf(week, [line(week.offers.kartoffeln, 0.5)]))).code);
      }
      expect(new Set(codes).size).toBe(5);
      expect(codes.every(orderCodeIsValid)).toBe(true);
      const found = await repositories.orders.findByCode(week.cycle.id, codes[3]);
      expect(found?.code).toBe(codes[3]);
      expect(await repositories.orders.findByCode(week.cycle.id, '00000')).toBeNull();
    });

    it('keeps quantities exact in thousandths', async () => {
      for (let i = 0; i < 10; i += 1) await repositories.orders.place(orderOf(week, [line(week.offers.kartoffeln, 0.1)]));
      expect(await available(week.offers.kartoffeln.id)).toBe(24);
    });

    it('refuses when stock is short, lists every short line, and changes nothing', async () => {
      const { senfgurken, kartoffeln, leinoel } = week.offers;
      const attempt = repositories.orders.place(orderOf(week, [line(senfgurken, 11), line(kartoffeln, 2), line(leinoel, 5)]));
      const error = await attempt.catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).code).toBe('OUT_OF_STOCK');
      const shortages = (error as DomainError).details.shortages as ShortageDetail[];
      expect(shortages).toEqual(expect.arrayContaining([
        { offerId: senfgurken.id, productName: 'Senfgurken', requested: 11, available: 10 },
        { offerId: leinoel.id, productName: 'Leinöl', requested: 5, available: 4 },
      ]));
      expect(shortages).toHaveLength(2);
      expect([await available(senfgurken.id), await available(kartoffeln.id), await available(leinoel.id)]).toEqual([10, 25, 4]);
      expect(await repositories.orders.listByCycle(week.cycle.id)).toEqual([]);
    });

    it('counts two lines of one offer together against its stock', async () => {
      await expect(repositories.orders.place(orderOf(week, [line(week.offers.leinoel, 3), line(week.offers.leinoel, 2)])))
        .rejects.toMatchObject({ code: 'OUT_OF_STOCK', details: { shortages: [{ offerId: week.offers.leinoel.id, requested: 5, available: 4 }] } });
    });

    it('refuses empty carts, zero quantities and offers of another cycle', async () => {
      await expect(repositories.orders.place(orderOf(week, []))).rejects.toMatchObject({ code: 'EMPTY_CART' });
      await expect(repositories.orders.place(orderOf(week, [line(week.offers.leinoel, 0)]))).rejects.toMatchObject({ code: 'QUANTITY_INVALID' });
      const next = await repositories.cycles.create({ label: '2026-W50', opensAt: new Date(), cutoffAt: new Date(), slots: [] });
      await expect(repositories.orders.place(orderOf(week, [line(week.offers.leinoel, 1)], { cycleId: next.id })))
        .rejects.toMatchObject({ code: 'UNKNOWN_OFFER' });
      expect(await available(week.offers.leinoel.id)).toBe(4);
    });

    it('places an order once per request key', async () => {
      const record = orderOf(week, [line(week.offers.leinoel, 1)], { requestKey: 'telegram:5001:update:77' });
      const first = await repositories.orders.place(record);
      const second = await repositories.orders.place(record);
      expect(second).toEqual(first);
      expect(await available(week.offers.leinoel.id)).toBe(3);
      const concurrent = await Promise.all([1, 2, 3].map(() => repositories.orders.place({ ...record, requestKey: 'call:CA1' })));
      expect(new Set(concurrent.map((order) => order.id)).size).toBe(1);
      expect(await available(week.offers.leinoel.id)).toBe(2);
    });

    it('cancels a placed order once and returns its stock', async () => {
      const order = await repositories.orders.place(orderOf(week, [line(week.offers.leinoel, 3), line(week.offers.kartoffeln, 2.5)]));
      const cancelled = await repositories.orders.cancel(order.id);
      expect(cancelled).toEqual({ ...order, status: 'cancelled' });
      expect(await available(week.offers.leinoel.id)).toBe(4);
      expect(await available(week.offers.kartoffeln.id)).toBe(25);
      await expect(repositories.orders.cancel(order.id)).rejects.toMatchObject({ code: 'ORDER_NOT_CHANGEABLE' });
      expect(await available(week.offers.leinoel.id)).toBe(4);
      await expect(repositories.orders.cancel(9999)).rejects.toMatchObject({ code: 'UNKNOWN_ORDER' });
    });

    it('replaces the items of a placed order, netting old against new stock', async () => {
      const { senfgurken, kartoffeln, leinoel } = week.offers;
      const order = await repositories.orders.place(orderOf(week, [line(leinoel, 4), line(senfgurken, 2)]));
      const replaced = await repositories.orders.replaceItems(order.id, [line(leinoel, 3), line(kartoffeln, 5)]);
      expect(replaced).toMatchObject({ id: order.id, code: order.code, status: 'placed', totalCents: 3 * 690 + 5 * 180 });
      expect(replaced.items.map((item) => [item.productName, item.quantity])).toEqual([['Leinöl', 3], ['Kartoffeln', 5]]);
      expect(await repositories.orders.get(order.id)).toEqual(replaced);
      expect([await available(senfgurken.id), await available(kartoffeln.id), await available(leinoel.id)]).toEqual([10, 20, 1]);
    });

    it('moves a placed order to another pickup window in the same write as its items', async () => {
      const { leinoel } = week.offers;
      const order = await repositories.orders.place(orderOf(week, [line(leinoel, 1)]));
      const pickupFrom = new Date(order.pickupFrom.getTime() + 24 * 3600_000);
      const pickupTo = new Date(order.pickupTo.getTime() + 24 * 3600_000);
      const moved = await repositories.orders.replaceItems(order.id, [line(leinoel, 2)], { pickupPointId: order.pickupPointId, pickupFrom, pickupTo });
      expect(moved).toMatchObject({ id: order.id, pickupFrom, pickupTo });
      expect(await repositories.orders.get(order.id)).toEqual(moved);
    });

    it('replaces all or nothing, counting what the order already holds as available to it', async () => {
      const { senfgurken, leinoel } = week.offers;
      const order = await repositories.orders.place(orderOf(week, [line(leinoel, 2)]));
      await expect(repositories.orders.replaceItems(order.id, [line(leinoel, 5), line(senfgurken, 1)])).rejects.toMatchObject({
        code: 'OUT_OF_STOCK', details: { shortages: [{ offerId: leinoel.id, productName: 'Leinöl', requested: 5, available: 4 }] },
      });
      expect(await repositories.orders.get(order.id)).toEqual(order);
      expect([await available(senfgurken.id), await available(leinoel.id)]).toEqual([10, 2]);
      await repositories.orders.cancel(order.id);
      await expect(repositories.orders.replaceItems(order.id, [line(leinoel, 1)])).rejects.toMatchObject({ code: 'ORDER_NOT_CHANGEABLE' });
      await expect(repositories.orders.replaceItems(9999, [line(leinoel, 1)])).rejects.toMatchObject({ code: 'UNKNOWN_ORDER' });
    });

    it('moves orders between statuses only from the given ones', async () => {
      const order = await repositories.orders.place(orderOf(week, [line(week.offers.leinoel, 2)]));
      expect(await repositories.orders.transition(order.id, ['cancelled', 'picked_up'], 'ready')).toBeNull();
      expect((await repositories.orders.transition(order.id, ['placed'], 'ready'))?.status).toBe('ready');
      expect((await repositories.orders.transition(order.id, ['ready'], 'picked_up'))?.status).toBe('picked_up');
      expect(await available(week.offers.leinoel.id)).toBe(2);
      await expect(repositories.orders.transition(9999, ['placed'], 'ready')).rejects.toMatchObject({ code: 'UNKNOWN_ORDER' });
    });

    it('returns stock when a transition cancels, and never revives a cancelled order', async () => {
      const order = await repositories.orders.place(orderOf(week, [line(week.offers.leinoel, 2)]));
      await repositories.orders.transition(order.id, ['placed'], 'ready');
      expect((await repositories.orders.transition(order.id, ['placed', 'ready'], 'cancelled'))?.status).toBe('cancelled');
      expect(await available(week.offers.leinoel.id)).toBe(4);
      expect(await repositories.orders.transition(order.id, ['cancelled'], 'cancelled')).toBeNull();
      expect(await repositories.orders.transition(order.id, ['cancelled'], 'placed')).toBeNull();
      expect(await available(week.offers.leinoel.id)).toBe(4);
    });

    it('lists a customer\'s orders newest first and finds the last one not cancelled', async () => {
      const at = (day: number) => new Date(Date.UTC(2026, 11, day, 9));
      const first = await repositories.orders.place(orderOf(week, [line(week.offers.leinoel, 1)], { createdAt: at(1) }));
      const second = await repositories.orders.place(orderOf(week, [line(week.offers.leinoel, 1)], { createdAt: at(2) }));
      expect((await repositories.orders.listByCustomer(week.customer.id)).map((order) => order.id)).toEqual([second.id, first.id]);
      expect((await repositories.orders.lastOfCustomer(week.customer.id))?.id).toBe(second.id);
      await repositories.orders.cancel(second.id);
      expect((await repositories.orders.lastOfCustomer(week.customer.id))?.id).toBe(first.id);
      expect((await repositories.orders.listByCycle(week.cycle.id)).map((order) => order.id)).toEqual([first.id, second.id]);
      expect(await repositories.orders.lastOfCustomer(9999)).toBeNull();
      expect(await repositories.orders.listByCustomer(9999)).toEqual([]);
    });

    it('sums a producer\'s pick list per pickup point and product, without cancelled orders', async () => {
      const { senfgurken, kartoffeln, leinoel } = week.offers;
      const van = { pickupPointId: week.pickupPoints.vanStop.id };
      await repositories.orders.place(orderOf(week, [line(senfgurken, 2), line(kartoffeln, 1.5), line(leinoel, 1)]));
      await repositories.orders.place(orderOf(week, [line(senfgurken, 1)]));
      await repositories.orders.place(orderOf(week, [line(kartoffeln, 3)], van));
      const cancelled = await repositories.orders.place(orderOf(week, [line(senfgurken, 5)], van));
      await repositories.orders.cancel(cancelled.id);
      expect(await repositories.orders.pickList(week.cycle.id, week.producers.gurkenhof.id)).toEqual([
        { pickupPointId: van.pickupPointId, pickupPointName: 'Burg Kauper', productId: kartoffeln.productId, productName: 'Kartoffeln', unit: 'kg', quantity: 3 },
        { pickupPointId: week.pickupPoints.hofladen.id, pickupPointName: 'Hofladen Lehde', productId: kartoffeln.productId, productName: 'Kartoffeln', unit: 'kg', quantity: 1.5 },
        { pickupPointId: week.pickupPoints.hofladen.id, pickupPointName: 'Hofladen Lehde', productId: senfgurken.productId, productName: 'Senfgurken', unit: 'jar', quantity: 3 },
      ]);
      expect(await repositories.orders.pickList(week.cycle.id, week.producers.oelmuehle.id)).toHaveLength(1);
    });

    it('lists the orders to hand out at a pickup point by customer name', async () => {
      const anna = await repositories.customers.create({ name: 'Änne Krüger', identity: { kind: 'telegram', value: '11' } });
      const zoe = await repositories.customers.create({ name: 'Zoe Lehmann', identity: { kind: 'telegram', value: '12' } });
      const nameless = await repositories.customers.create({ identity: { kind: 'telegram', value: '13' } });
      const place = (customerId: number) => repositories.orders.place(orderOf(week, [line(week.offers.kartoffeln, 1)], { customerId }));
      const forZoe = await place(zoe.id);
      await place(nameless.id);
      const forErna = await place(week.customer.id);
      const forAnna = await place(anna.id);
      await repositories.orders.cancel((await place(anna.id)).id);
      await repositories.orders.place(orderOf(week, [line(week.offers.kartoffeln, 1)], { pickupPointId: week.pickupPoints.vanStop.id }));
      const handout = await repositories.orders.handoutList(week.cycle.id, week.pickupPoints.hofladen.id);
      expect(handout.map((entry) => entry.customerName)).toEqual(['Änne Krüger', 'Erna Schulze', 'Zoe Lehmann', null]);
      expect(handout[0]).toEqual({
        orderId: forAnna.id, orderCode: forAnna.code, status: 'placed', customerName: 'Änne Krüger',
        pickupFrom: PICKUP.from, pickupTo: PICKUP.to, items: forAnna.items, totalCents: 180,
      });
      expect(handout.map((entry) => entry.orderId).slice(1, 3)).toEqual([forErna.id, forZoe.id]);
    });
  });

  describe('conversations', () => {
    const at = new Date('2026-12-01T18:00:00Z');

    it('creates, updates with the expected version, and deletes', async () => {
      const key = 'telegram:5001';
      expect(await repositories.conversations.load(key)).toBeNull();
      expect(await repositories.conversations.save(key, { flow: 'browse', cart: [{ offerId: 1, quantity: 0.5 }] }, null, at)).toBe(1);
      expect(await repositories.conversations.save(key, { flow: 'other' }, null, at)).toBeNull();
      expect(await repositories.conversations.save(key, { flow: 'checkout' }, 1, new Date('2026-12-01T18:01:00Z'))).toBe(2);
      expect(await repositories.conversations.save(key, { flow: 'stale' }, 1, at)).toBeNull();
      expect(await repositories.conversations.load(key)).toEqual({
        state: { flow: 'checkout' }, version: 2, updatedAt: new Date('2026-12-01T18:01:00Z'),
      });
      expect(await repositories.conversations.save('voice:+49355', null, 5, at)).toBeNull();
      await repositories.conversations.delete(key);
      expect(await repositories.conversations.load(key)).toBeNull();
    });

    it('lets exactly one of several concurrent writers with the same version win', async () => {
      const key = 'whatsapp:+4915112345';
      await repositories.conversations.save(key, { step: 0 }, null, at);
      const other = await openDatabase(database.url);
      try {
        const writers = [repositories, other.repositories, repositories, other.repositories];
        const results = await Promise.all(writers.map((writer, step) => writer.conversations.save(key, { step }, 1, at)));
        expect(results.filter((version) => version === 2)).toHaveLength(1);
        expect(results.filter((version) => version === null)).toHaveLength(3);
        const winner = results.indexOf(2);
        expect(await repositories.conversations.load(key)).toMatchObject({ state: { step: winner }, version: 2 });
      } finally {
        await other.close();
      }
    });
  });

  describe('a turn\'s save with its delivery', () => {
    const at = new Date('2026-12-01T18:00:00Z');

    it('records the delivery with the state, and a repeat of it writes nothing', async () => {
      const key = 'telegram:5002';
      expect(await repositories.deliveries.seen('telegram:update:7')).toBe(false);
      expect(await repositories.conversations.saveTurn(key, { cart: 1 }, null, at, 'telegram:update:7')).toBe(1);
      expect(await repositories.deliveries.seen('telegram:update:7')).toBe(true);
      expect(await repositories.conversations.saveTurn(key, { cart: 2 }, 1, at, 'telegram:update:7')).toBe('duplicate');
      expect(await repositories.conversations.load(key)).toMatchObject({ state: { cart: 1 }, version: 1 });
    });

    it('records nothing when the conversation moved on meanwhile, so the delivery can be tried again', async () => {
      const key = 'telegram:5003';
      await repositories.conversations.save(key, { step: 1 }, null, at);
      await repositories.conversations.save(key, { step: 2 }, 1, at);
      expect(await repositories.conversations.saveTurn(key, { step: 'stale' }, 1, at, 'telegram:update:8')).toBeNull();
      expect(await repositories.deliveries.seen('telegram:update:8')).toBe(false);
      expect(await repositories.conversations.load(key)).toMatchObject({ state: { step: 2 }, version: 2 });
    });

    it('keeps the reply with the delivery until it is settled, and finds the unsettled ones by age', async () => {
      await repositories.conversations.saveTurn('telegram:5005', { n: 1 }, null, at, 'telegram:update:10', '{"messages":["eins"]}');
      await repositories.conversations.saveTurn('telegram:5006', { n: 1 }, null, new Date(at.getTime() + 120_000), 'telegram:update:11', '{"messages":["zwei"]}');
      await repositories.conversations.saveTurn('telegram:5007', { n: 1 }, null, at, 'telegram:update:12');
      const before = new Date(at.getTime() + 60_000);
      expect(await repositories.deliveries.unsettledReplies(before, 10)).toEqual([{ key: 'telegram:update:10', reply: '{"messages":["eins"]}' }]);
      await repositories.deliveries.settleReplies(['telegram:update:10', 'telegram:update:12']);
      expect(await repositories.deliveries.unsettledReplies(before, 10)).toEqual([]);
      expect(await repositories.deliveries.unsettledReplies(new Date(at.getTime() + 180_000), 10)).toEqual([
        { key: 'telegram:update:11', reply: '{"messages":["zwei"]}' },
      ]);
      // Settling forgets the reply, not the delivery: a re-delivery is still a duplicate.
      expect(await repositories.deliveries.seen('telegram:update:10')).toBe(true);
    });

    it('lets one of two racing saves of the same delivery win', async () => {
      // On PostgreSQL the two run on two pooled connections at once; SQLite's one connection takes them in turn.
      const results = await Promise.all([
        repositories.conversations.saveTurn('telegram:5004', { from: 'one' }, null, at, 'telegram:update:9'),
        repositories.conversations.saveTurn('telegram:5004', { from: 'two' }, null, at, 'telegram:update:9'),
      ]);
      expect(results.filter((result) => result === 1)).toHaveLength(1);
      expect(results.filter((result) => result === 'duplicate' || result === null)).toHaveLength(1);
      expect((await repositories.conversations.load('telegram:5004'))!.version).toBe(1);
    });
  });

  describe('deliveries', () => {
    it('claims a delivery key only once, also when claims race', async () => {
      const at = new Date('2026-12-01T18:00:00Z');
      expect(await repositories.deliveries.claim('telegram:update:1', at)).toBe(true);
      expect(await repositories.deliveries.claim('telegram:update:1', at)).toBe(false);
      const claims = await Promise.all(Array.from({ length: 6 }, () => repositories.deliveries.claim('twilio:SM123', at)));
      expect(claims.filter(Boolean)).toHaveLength(1);
    });

    it('forgets deliveries older than a given time, and only those', async () => {
      await repositories.deliveries.claim('old', new Date('2026-11-20T10:00:00Z'));
      await repositories.deliveries.claim('recent', new Date('2026-11-28T10:00:00Z'));
      expect(await repositories.deliveries.prune(new Date('2026-11-25T00:00:00Z'))).toBe(1);
      expect(await repositories.deliveries.seen('old')).toBe(false);
      expect(await repositories.deliveries.seen('recent')).toBe(true);
    });
  });
});

import { describe, expect, it } from 'vitest';
import {
  DEMO_CUSTOMER_PHONE, DEMO_PICKUP_POINTS, DEMO_PRODUCER_IDENTITY, DEMO_PRODUCERS, DEMO_STAFF, DEMO_STAFF_IDENTITY,
  DEMO_VAN_ROUTE,
} from '../../catalog/demo-week.ts';
import { distanceKm, loadGazetteer } from '../../catalog/geo.ts';
import { DEFAULT_RHYTHM } from '../../catalog/rhythm.ts';
import { parseClockTime } from '../../catalog/time.ts';
import { CATEGORIES, PICKUP_POINT_KINDS, UNITS } from '../../catalog/types.ts';

const products = DEMO_PRODUCERS.flatMap((producer) => producer.products.map((product) => ({ producer, product })));
const vanStops = DEMO_PICKUP_POINTS.filter((point) => point.kind === 'van_stop');
const gazetteer = loadGazetteer();
const E164_DE = /^\+49[1-9]\d{6,13}$/;

/** Length of a weekly window in minutes. */
const windowMinutes = (window: { from: string; to: string }): number => {
  const from = parseClockTime(window.from);
  const to = parseClockTime(window.to);
  return to.hour * 60 + to.minute - (from.hour * 60 + from.minute);
};

describe('the demo producers', () => {
  it('are at least eight, with distinct names, in real Spreewald places', () => {
    expect(DEMO_PRODUCERS.length).toBeGreaterThanOrEqual(8);
    expect(new Set(DEMO_PRODUCERS.map((p) => p.name)).size).toBe(DEMO_PRODUCERS.length);
    for (const producer of DEMO_PRODUCERS) {
      expect(gazetteer.byPlace(producer.village), producer.village).not.toEqual([]);
    }
  });

  it('have German E.164 numbers that no real subscriber can hold', () => {
    const phones = DEMO_PRODUCERS.map((p) => p.phone);
    expect(new Set(phones).size).toBe(phones.length);
    for (const phone of phones) {
      expect(phone).toMatch(E164_DE);
      // Mobile demo numbers +49151000000xx, or an area code followed by a subscriber number starting with 0.
      expect(phone.startsWith('+4915100000') || /^\+49\d{3,5}0000\d{3}$/.test(phone), phone).toBe(true);
    }
  });

  it('include the producer a tester plays', () => {
    const demo = DEMO_PRODUCERS.filter((p) => p.telegramId === DEMO_PRODUCER_IDENTITY.telegramId);
    expect(demo).toHaveLength(1);
    expect(demo[0].phone).toBe('+4915100000001');
    expect(DEMO_PRODUCER_IDENTITY.telegramId).toBe('100001');
  });
});

describe('the demo products and offers', () => {
  it('are at least 45 over every category, with units from the catalogue', () => {
    expect(products.length).toBeGreaterThanOrEqual(45);
    expect(new Set(products.map(({ product }) => product.category))).toEqual(new Set(CATEGORIES));
    for (const { product } of products) {
      expect(UNITS, product.name).toContain(product.unit);
      expect(product.description?.length, product.name).toBeGreaterThan(5);
    }
  });

  it('have product names unique within each producer', () => {
    for (const producer of DEMO_PRODUCERS) {
      const names = producer.products.map((p) => p.name.toLowerCase());
      expect(new Set(names).size, producer.name).toBe(names.length);
    }
  });

  it('include the Spreewald gherkins in their kinds, and some organic products', () => {
    const names = products.map(({ product }) => product.name);
    expect(names).toEqual(expect.arrayContaining([
      'Senfgurken', 'Salzgurken', 'Gewürzgurken', 'Dillgurken', 'Knoblauchgurken', 'Gurkenhappen',
      'Kartoffeln festkochend', 'Kartoffeln mehligkochend', 'Blütenhonig', 'Waldhonig', 'Räucheraal', 'Sanddornsaft',
    ]));
    expect(products.filter(({ product }) => product.organic).length).toBeGreaterThanOrEqual(5);
  });

  it('have whole-cent prices, quantities in whole steps and sensible maxima', () => {
    for (const { product: { name, offer } } of products) {
      expect(Number.isInteger(offer.priceCents) && offer.priceCents > 0, name).toBe(true);
      expect(offer.step, name).toBeGreaterThan(0);
      expect(offer.available, name).toBeGreaterThan(0);
      expect(Number.isInteger(offer.available / offer.step), name).toBe(true);
      if (offer.maxPerOrder !== null) expect(offer.maxPerOrder, name).toBeGreaterThanOrEqual(offer.step);
    }
  });

  it('sell potatoes by the half kilo and have a few items nearly gone', () => {
    const potatoes = products.filter(({ product }) => product.category === 'potatoes');
    expect(potatoes.every(({ product }) => product.unit === 'kg' && product.offer.step === 0.5)).toBe(true);
    const lowStock = products.filter(({ product }) => product.offer.available <= 4);
    expect(lowStock.length).toBeGreaterThanOrEqual(3);
  });
});

describe('the demo pickup points', () => {
  it('are at least six, of every kind, in at least five places', () => {
    expect(DEMO_PICKUP_POINTS.length).toBeGreaterThanOrEqual(6);
    expect(new Set(DEMO_PICKUP_POINTS.map((p) => p.kind))).toEqual(new Set(PICKUP_POINT_KINDS));
    expect(new Set(DEMO_PICKUP_POINTS.map((p) => p.place)).size).toBeGreaterThanOrEqual(5);
    expect(new Set(DEMO_PICKUP_POINTS.map((p) => p.name)).size).toBe(DEMO_PICKUP_POINTS.length);
  });

  it('lie in their postcode, within 3 km of their place', () => {
    for (const point of DEMO_PICKUP_POINTS) {
      const entry = gazetteer.byPostcode(point.postcode).find((e) => e.place === point.place);
      expect(entry, `${point.name}: ${point.postcode} ${point.place}`).toBeDefined();
      expect(distanceKm(entry!, point), point.name).toBeLessThan(3);
    }
  });

  it('open on pickup days only, with valid windows', () => {
    for (const point of DEMO_PICKUP_POINTS) {
      expect(point.windows.length, point.name).toBeGreaterThan(0);
      for (const window of point.windows) {
        expect(DEFAULT_RHYTHM.pickupDays, point.name).toContain(window.weekday);
        expect(windowMinutes(window), point.name).toBeGreaterThan(0);
      }
    }
  });

  it('include one van route of at least four short stops in order', () => {
    expect(vanStops.length).toBeGreaterThanOrEqual(4);
    expect(new Set(vanStops.map((s) => s.vanRoute))).toEqual(new Set([DEMO_VAN_ROUTE]));
    expect(vanStops.map((s) => s.routePosition)).toEqual(vanStops.map((_, i) => i + 1));
    for (const stop of vanStops) {
      for (const window of stop.windows) expect(windowMinutes(window), stop.name).toBeLessThanOrEqual(60);
    }
    // Each stop is reached after the previous one has ended.
    const starts = vanStops.map((s) => `${s.windows[0].weekday} ${s.windows[0].from}`);
    expect([...starts].sort()).toEqual(starts);
    for (const point of DEMO_PICKUP_POINTS.filter((p) => p.kind !== 'van_stop')) {
      expect(point.vanRoute ?? null).toBeNull();
    }
  });
});

describe('the demo identities', () => {
  it('are distinct fictional numbers and ids', () => {
    expect(DEMO_STAFF_IDENTITY).toEqual({ telegramId: '100002', phone: '+4915100000002' });
    expect(DEMO_CUSTOMER_PHONE).toBe('+4915100000003');
    const phones = [DEMO_PRODUCER_IDENTITY.phone, DEMO_STAFF_IDENTITY.phone, DEMO_CUSTOMER_PHONE];
    expect(new Set(phones).size).toBe(3);
    for (const phone of phones) expect(phone).toMatch(E164_DE);
  });

  it('put the demo staff member at an existing pickup point', () => {
    expect(DEMO_PICKUP_POINTS.map((p) => p.name)).toContain(DEMO_STAFF.pickupPointName);
    expect(DEMO_STAFF).toMatchObject(DEMO_STAFF_IDENTITY);
  });
});

/** Pickup-point staff: today's handout list, "abgeholt 10017", "nicht abgeholt …". */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_STAFF_IDENTITY } from '../../catalog/demo-week.ts';
import type { Language } from '../../catalog/types.ts';
import { startHarness, type Harness, type Person } from '../helpers/conversation.ts';
import { placeOrder, register } from '../helpers/customers.ts';

/** Friday 4 December 2026, 10:00 in Berlin: pickup day at Dorfladen Straupitz. */
const FRIDAY_MORNING = new Date('2026-12-04T09:00:00Z');

describe('pickup-point staff', () => {
  let h: Harness;
  beforeEach(async () => { h = await startHarness(); });
  afterEach(async () => { await h.dispose(); });

  /** A customer of Dorfladen Straupitz orders Senfgurken for Friday; returns the order code. */
  async function orderAtStraupitz(p: Person, name: string, language: Language = 'de'): Promise<string> {
    await register(p, language, { name });
    return placeOrder(p, language, language === 'de' ? '2 Gläser Senfgurken' : '2 jars of Senfgurken');
  }

  async function statusOf(code: string) {
    return (await h.app.database.repositories.orders.listByCycle(1)).find((o) => o.code === code)!.status;
  }

  it('in German: sees today\'s list and marks a pickup and a no-show', async () => {
    const clara = await orderAtStraupitz(h.person('telegram', '7101'), 'Clara Neumann');
    const dieter = await orderAtStraupitz(h.person('telegram', '7102'), 'Dieter Wolf');
    h.clock.set(FRIDAY_MORNING);
    const heike = h.person('telegram', DEMO_STAFF_IDENTITY.telegramId);
    await heike.says('Hallo');
    heike.hears(/Guten Tag, Heike Petrick!/);
    await heike.says('Liste');
    heike.hears(/Heute abzuholen \(2 Bestellungen\):/);
    heike.hears(new RegExp(`• ${clara} Clara Neumann: 2 Gläser Senfgurken`));
    heike.hears(new RegExp(`• ${dieter} Dieter Wolf: 2 Gläser Senfgurken`));
    heike.offers(new RegExp(`${clara} abgeholt`));

    await heike.says(`abgeholt ${clara}`);
    heike.hears(new RegExp(`Bestellung ${clara} ist als abgeholt vermerkt`));
    await heike.says(`nicht abgeholt ${dieter}`);
    heike.hears(new RegExp(`Bestellung ${dieter} ist als nicht abgeholt vermerkt`));
    expect(await statusOf(clara)).toBe('picked_up');
    expect(await statusOf(dieter)).toBe('no_show');

    await heike.says('Liste');
    heike.hears(new RegExp(`• ${clara} Clara Neumann: abgeholt ✓`));
    heike.hears(new RegExp(`• ${dieter} Dieter Wolf: nicht erschienen`));
  });

  it('in English: sees today\'s list and marks a pickup and a no-show', async () => {
    const emma = await orderAtStraupitz(h.person('telegram', '7103'), 'Emma Brown', 'en');
    const jack = await orderAtStraupitz(h.person('telegram', '7104'), 'Jack Green', 'en');
    h.clock.set(FRIDAY_MORNING);
    const heike = h.person('telegram', DEMO_STAFF_IDENTITY.telegramId);
    await heike.says('Hello');
    heike.hears(/Hello, Heike Petrick!/);
    await heike.says('list');
    heike.hears(/To be collected today \(2 orders\):/);
    heike.hears(new RegExp(`• ${emma} Emma Brown: 2 jars Senfgurken`));

    await heike.taps(new RegExp(`${emma} collected`));
    heike.hears(new RegExp(`Order ${emma} is marked as collected`));
    await heike.says(`no show ${jack}`);
    heike.hears(new RegExp(`Order ${jack} is marked as not collected`));
    expect(await statusOf(emma)).toBe('picked_up');
    expect(await statusOf(jack)).toBe('no_show');
  });

  it('in German: before pickup day, the list shows the week\'s coming handouts', async () => {
    const clara = await orderAtStraupitz(h.person('telegram', '7105'), 'Clara Neumann');
    const heike = h.person('telegram', DEMO_STAFF_IDENTITY.telegramId);
    await heike.says('Ausgabeliste');
    heike.hears(/Heute ist nichts abzuholen\. Diese Woche kommt noch 1 Bestellung:/);
    heike.hears(new RegExp(`• ${clara} Clara Neumann`));
  });

  it('in English: a customer cannot mark orders', async () => {
    const emma = h.person('telegram', '7106');
    const code = await orderAtStraupitz(emma, 'Emma Brown', 'en');
    await emma.says(`picked up ${code}`);
    emma.hears(/Only registered producers or pick-up points can do that/);
    expect(await statusOf(code)).toBe('placed');
  });
});

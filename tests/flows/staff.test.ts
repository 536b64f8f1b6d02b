/** Pickup-point staff: the handout list named by point and day, orders by code or name, marks and their undo. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_STAFF_IDENTITY } from '../../catalog/demo-week.ts';
import type { Language } from '../../catalog/types.ts';
import { startHarness, type Harness, type Person } from '../helpers/conversation.ts';
import { placeOrder, register } from '../helpers/customers.ts';

/** Friday 4 December 2026, 10:00 in Berlin: pickup day at Dorfladen Straupitz. */
const FRIDAY_MORNING = new Date('2026-12-04T09:00:00Z');
/** Thursday 3 December 2026, 10:00: after the cutoff, the day before pickup. */
const THURSDAY_MORNING = new Date('2026-12-03T09:00:00Z');

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

  it('in German: sees today\'s list named by point and day, marks a pickup by code and a no-show by name, and takes it back', async () => {
    const clara = await orderAtStraupitz(h.person('telegram', '7101'), 'Clara Neumann');
    const dieter = await orderAtStraupitz(h.person('telegram', '7102'), 'Dieter Wolf');
    h.clock.set(FRIDAY_MORNING);
    const heike = h.person('telegram', DEMO_STAFF_IDENTITY.telegramId);
    await heike.says('Hallo');
    heike.hears(/Guten Tag, Heike Petrick!/);
    await heike.says('Liste');
    heike.hears(/^Dorfladen Straupitz – heute, Fr\., 4\.12\.: 2 Bestellungen abzuholen$/m);
    heike.hears(new RegExp(`^• ${clara} Clara Neumann: 2 Gläser Senfgurken$`, 'm'));
    heike.hears(new RegExp(`^• ${dieter} Dieter Wolf: 2 Gläser Senfgurken$`, 'm'));
    heike.hears(new RegExp(`Zum Abhaken: „abgeholt ${clara}“, „nicht abgeholt ${clara}“ oder mit Namen: „Neumann war da“`));
    heike.offers(new RegExp(`${clara} abgeholt`));

    await heike.says(`abgeholt ${clara}`);
    heike.hears(new RegExp(`Bestellung ${clara} ist als abgeholt vermerkt`));
    await heike.says('Herr Wolf ist nicht gekommen');
    heike.hears(new RegExp(`Bestellung ${dieter} ist als nicht abgeholt vermerkt`));
    expect(await statusOf(clara)).toBe('picked_up');
    expect(await statusOf(dieter)).toBe('no_show');

    await heike.says('rückgängig');
    heike.hears(new RegExp(`Bestellung ${dieter} ist wieder offen und steht wieder auf der Ausgabeliste`));
    expect(await statusOf(dieter)).toBe('placed');
    await heike.says(`doch nicht abgeholt ${clara}`);
    heike.hears(new RegExp(`Bestellung ${clara} ist wieder offen`));
    expect(await statusOf(clara)).toBe('placed');
    await heike.says(`rückgängig ${clara}`);
    heike.hears(new RegExp(`Bestellung ${clara} ist gar nicht abgehakt`));
  });

  it('in English: taps a pickup, records a no-show, and undoes it with the button', async () => {
    const emma = await orderAtStraupitz(h.person('telegram', '7103'), 'Emma Brown', 'en');
    const jack = await orderAtStraupitz(h.person('telegram', '7104'), 'Jack Green', 'en');
    h.clock.set(FRIDAY_MORNING);
    const heike = h.person('telegram', DEMO_STAFF_IDENTITY.telegramId);
    await heike.says('Hello');
    heike.hears(/Hello, Heike Petrick!/);
    await heike.says('list');
    heike.hears(/^Dorfladen Straupitz – today, Fri 4 Dec: 2 orders to be collected$/m);
    heike.hears(new RegExp(`• ${emma} Emma Brown: 2 jars Senfgurken`));

    await heike.taps(new RegExp(`${emma} collected`));
    heike.hears(new RegExp(`Order ${emma} is marked as collected`));
    await heike.says(`no show ${jack}`);
    heike.hears(new RegExp(`Order ${jack} is marked as not collected`));
    await heike.taps(/^Undo$/);
    heike.hears(new RegExp(`Order ${jack} is open again`));
    expect(await statusOf(emma)).toBe('picked_up');
    expect(await statusOf(jack)).toBe('placed');
  });

  it('in German: "frau Krüger war schon da" finds the customer, although Krüger is also a producer\'s name', async () => {
    const clara = await orderAtStraupitz(h.person('telegram', '7111'), 'Clara Krüger');
    await orderAtStraupitz(h.person('telegram', '7112'), 'Dieter Wolf');
    h.clock.set(FRIDAY_MORNING);
    const heike = h.person('telegram', DEMO_STAFF_IDENTITY.telegramId);
    await heike.says('frau Krüger war schon da');
    heike.hears(new RegExp(`Bestellung ${clara} ist als abgeholt vermerkt`));
    heike.doesNotHear(/Gurkenhof|Angebot/);
    expect(await statusOf(clara)).toBe('picked_up');
  });

  it('in German: the surname alone shows the order with its buttons; an unknown name says so', async () => {
    const clara = await orderAtStraupitz(h.person('telegram', '7121'), 'Clara Neumann');
    h.clock.set(FRIDAY_MORNING);
    const heike = h.person('telegram', DEMO_STAFF_IDENTITY.telegramId);
    await heike.says('Neumann');
    heike.hears(new RegExp(`^Gefunden:\\n• ${clara} Clara Neumann \\(Fr\\., 4\\.12\\.\\): 2 Gläser Senfgurken$`, 'm'));
    await heike.taps(new RegExp(`${clara} nicht abgeholt`));
    heike.hears(new RegExp(`Bestellung ${clara} ist als nicht abgeholt vermerkt`));
    expect(await statusOf(clara)).toBe('no_show');
    await heike.says('Frau Schmidt war da');
    heike.hears(/Für Schmidt finde ich diese Woche keine Bestellung an Ihrer Abholstelle/);
    // A surname that is also a producer's ("Hofbäckerei Noack") is still a name when said as a handout.
    await heike.says('Noack war da');
    heike.hears(/Für Noack finde ich diese Woche keine Bestellung an Ihrer Abholstelle/);
    heike.doesNotHear(/Bauernbrot|Passende Angebote/);
  });

  it('in German: before the pickup day the list shows the week with days, and a no-show is refused', async () => {
    const clara = await orderAtStraupitz(h.person('telegram', '7105'), 'Clara Neumann');
    h.clock.set(THURSDAY_MORNING);
    const heike = h.person('telegram', DEMO_STAFF_IDENTITY.telegramId);
    await heike.says('Ausgabeliste');
    heike.hears(/^Dorfladen Straupitz – heute, Do\., 3\.12\., ist nichts abzuholen\. Diese Woche kommt noch 1 Bestellung:$/m);
    heike.hears(new RegExp(`^• ${clara} Clara Neumann \\(Fr\\., 4\\.12\\.\\): 2 Gläser Senfgurken$`, 'm'));
    await heike.says(`nicht abgeholt ${clara}`);
    heike.hears(new RegExp(`Bestellung ${clara} ist erst am Fr\\., 4\\.12\\. abzuholen\\. „Nicht abgeholt“ geht erst ab dem Abholtag`));
    expect(await statusOf(clara)).toBe('placed');
  });

  it('in German: an order of another pickup point is answered with that point\'s name and stays as it is', async () => {
    const lieberose = h.person('telegram', '7131');
    await register(lieberose, 'de', { name: 'Lena Lorenz', place: 'Lieberose', point: /Dorfladen Lieberose/ });
    const code = await placeOrder(lieberose, 'de', '2 Gläser Senfgurken');
    h.clock.set(FRIDAY_MORNING);
    const heike = h.person('telegram', DEMO_STAFF_IDENTITY.telegramId);
    await heike.says(`abgeholt ${code}`);
    heike.hears(new RegExp(`Bestellung ${code} gehört zum Dorfladen Lieberose, nicht zu Ihrer Abholstelle`));
    heike.doesNotHear(/registrierte Erzeuger/);
    await heike.says('abgeholt 99999');
    heike.hears(/Eine Bestellung 99999 finde ich diese Woche nicht/);
    expect(await statusOf(code)).toBe('placed');
  });

  it('in English: a customer cannot mark orders', async () => {
    const emma = h.person('telegram', '7106');
    const code = await orderAtStraupitz(emma, 'Emma Brown', 'en');
    await emma.says(`picked up ${code}`);
    emma.hears(/Only registered producers or pick-up points can do that/);
    expect(await statusOf(code)).toBe('placed');
  });
});

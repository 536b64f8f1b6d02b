/**
 * Shared steps for the flow conversations: a registered customer in either language,
 * and the demo week's offers by name, so that a test can change stock or price
 * the way a producer or another customer would.
 */
import { openCycle } from '../../catalog/cycles.ts';
import type { Language, OfferView } from '../../catalog/types.ts';
import type { Harness, Person } from './conversation.ts';

export const LANGUAGES: Language[] = ['de', 'en'];

/** How the steps every conversation shares are said in each language. */
const SAY: Record<Language, { hello: string; yes: string; checkout: string; place: (where: string) => string }> = {
  de: { hello: 'Hallo', yes: 'ja', checkout: 'bestellen', place: (where) => `ich wohne in ${where}` },
  en: { hello: 'Hello', yes: 'yes', checkout: 'checkout', place: (where) => `I live in ${where}` },
};

/** Greets, agrees, gives a name and chooses a pickup point near `place`; the customer is then at the main menu. */
export async function register(
  person: Person,
  language: Language,
  { name = 'Anna Schulz', place = 'Straupitz', point = /Dorfladen Straupitz/ }: { name?: string; place?: string; point?: RegExp } = {},
): Promise<void> {
  const say = SAY[language];
  await person.says(say.hello);
  await person.says(say.yes);
  await person.says(name);
  await person.says(say.place(place));
  await person.taps(point);
}

/**
 * Says what to buy, checks out and confirms at the usual pickup point; returns the order code. Asked whether
 * it goes into the order already placed this week, it is a new order.
 */
export async function placeOrder(person: Person, language: Language, items: string): Promise<string> {
  await person.says(items);
  await person.says(SAY[language].checkout);
  if (person.last?.choices.some((c) => /^(Als neue Bestellung|As a new order)$/.test(c.label))) await person.taps(/^(Als neue Bestellung|As a new order)$/);
  await person.says(SAY[language].yes);
  return person.orderCode();
}

/** The Monday after the harness's first week, 7:00 in Berlin: the next week's ordering has begun. */
export const NEXT_MONDAY = new Date('2026-12-07T06:00:00Z');

/** The clock moves on to next Monday and the next week opens, carrying this week's offers over, as the weekly job does. */
export async function nextWeek(h: Pick<Harness, 'app'> & { clock: { set(at: Date): void } }): Promise<number> {
  h.clock.set(NEXT_MONDAY);
  const { cycle } = await openCycle(h.app.database.repositories, h.app.rhythm, NEXT_MONDAY);
  return cycle.id;
}

/** The current week's offer of a product, as stored. */
export async function offerOf(h: Harness, productName: string): Promise<OfferView> {
  const cycle = await h.app.database.repositories.cycles.current(h.clock.now());
  const offer = (await h.app.database.repositories.offers.list(cycle!.id, { inStock: false })).find((o) => o.productName === productName);
  if (!offer) throw new Error(`no offer named ${productName} this week`);
  return offer;
}

/** Sets how much of a product is left, as if the producer had written it. */
export async function setStock(h: Harness, productName: string, available: number): Promise<void> {
  await h.app.database.repositories.offers.update((await offerOf(h, productName)).id, { available });
}

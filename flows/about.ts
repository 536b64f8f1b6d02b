/**
 * What people ask before they buy: what is organic, what is in a product, whether we deliver, where and when
 * the van stops, when a pickup point is open, and who is behind the service. Each is answered on the side:
 * the engine asks the open question again afterwards (ASIDE_INTENTS), so a question in the middle of an
 * order loses nothing. Answers say what the producers and the pickup points told us, and no more.
 */
import { whenRefused } from '../catalog/errors.ts';
import { nearestPickupPoints } from '../catalog/geo.ts';
import { clockTime, weekdayName } from '../catalog/office.ts';
import type { OfferView, PickupPoint, PickupPointKind, WeeklyWindow } from '../catalog/types.ts';
import { declareDialog, type TextInput } from './dialog.ts';
import { foldUmlauts, normalizeText } from './nlu/normalize.ts';
import { matchPointByName } from './pickup.ts';
import type { Turn } from './turn.ts';
import type { Reply, ReplyParam } from './types.ts';

const my = declareDialog('about', {});

/** Products one answer speaks of at most: "Honig" names four, and the phone should not read out the week. */
const MAX_NAMED = 4;

const raw = (text: string): ReplyParam => ({ raw: text });

/** "09:30" → minutes after midnight. */
function minutesOf(time: string): number {
  const [hours, minutes] = time.split(':').map(Number);
  return hours * 60 + minutes;
}

/** A point's weekly hours as people say them: "Freitag von 14 bis 18 Uhr und Samstag von 9 bis 12 Uhr". */
function hoursOf(t: Turn, windows: WeeklyWindow[]): ReplyParam {
  return {
    list: [...windows]
      .sort((a, b) => a.weekday - b.weekday || a.from.localeCompare(b.from))
      .map((window) => ({
        lines: [{
          key: 'channels:hours.range',
          params: {
            days: raw(weekdayName(window.weekday, t.language)),
            from: raw(clockTime(minutesOf(window.from), t.language)),
            to: raw(clockTime(minutesOf(window.to), t.language)),
          },
        }],
      })),
  };
}

/** The points in a place named ("straupitz", "Burg (Spreewald)"), compared as folded words. */
function pointsIn(points: PickupPoint[], place: string): PickupPoint[] {
  const wanted = foldUmlauts(normalizeText(place));
  return points.filter((point) => foldUmlauts(normalizeText(point.place)) === wanted);
}

/** The points in a place, or the three nearest to it when it has none ("Cottbus"). */
function pointsNear(t: Turn, points: PickupPoint[], place: string): PickupPoint[] {
  const there = pointsIn(points, place);
  const from = there.length > 0 ? null : t.deps.locator.locate(place);
  return from ? nearestPickupPoints(points, from, 3).map((near) => near.point) : there;
}

/** One pickup point with its address and hours. */
function pointLine(t: Turn, point: PickupPoint): Reply {
  return { key: 'about.point', params: { name: raw(point.name), address: raw(point.address), place: raw(point.place), hours: hoursOf(t, point.windows) } };
}

/** The offers a message names, by product or by kind ("Honig", "das Brot"); none when it names nothing on offer. */
async function namedOffers(t: Turn, input: TextInput): Promise<OfferView[]> {
  const { items, category } = input.understanding.entities;
  const ids = new Set(items.flatMap((item) => item.matches.map((match) => match.offerId)));
  const week = await t.market.weekOffer().catch(whenRefused([]));
  if (ids.size > 0) return week.filter((offer) => ids.has(offer.id));
  return category ? week.filter((offer) => offer.category === category) : [];
}

/** "Was ist Bio?": what the producers marked organic this week; asked of named products, of those. */
async function organic(t: Turn, input: TextInput): Promise<void> {
  const named = await namedOffers(t, input);
  const among = named.length > 0 ? named : await t.market.weekOffer().catch(whenRefused([]));
  const names = (offers: OfferView[]) => ({ list: offers.map((offer) => raw(offer.productName)) });
  const marked = among.filter((offer) => offer.organic);
  if (named.length === 0) {
    t.say(marked.length > 0 ? 'about.organic' : 'about.organicNone', { list: names(marked) });
    return;
  }
  if (marked.length > 0) t.say('about.organicNamed', { list: names(marked) });
  const unmarked = named.filter((offer) => !offer.organic);
  if (unmarked.length > 0) t.say('about.notOrganic', { list: names(unmarked) });
}

/** "Allergene im Brot?": what the producer stated, and plainly when they stated nothing. */
async function allergens(t: Turn, input: TextInput): Promise<void> {
  const named = (await namedOffers(t, input)).slice(0, MAX_NAMED);
  if (named.length === 0) {
    t.say('about.allergensWhich');
    return;
  }
  const lines: Reply[] = named.map((offer) => {
    const product = raw(offer.productName);
    const stated: Reply = offer.allergens.trim() === ''
      ? { key: 'about.allergensNotStated', params: { product } }
      : { key: 'about.allergens', params: { product, allergens: raw(offer.allergens.trim()) } };
    return offer.ingredients.trim() === ''
      ? stated
      : { key: 'about.withIngredients', params: { stated: { lines: [stated] }, ingredients: raw(offer.ingredients.trim()) } };
  });
  t.say('about.list', { lines: { lines } });
  if (named.some((offer) => offer.allergens.trim() === '')) t.say('about.askOffice', { phone: { phone: t.deps.office.phone } });
}

/** The customer's own pickup point, if they have chosen one. */
function ownPoint(t: Turn, points: PickupPoint[]): PickupPoint | undefined {
  const id = t.state.pickupPointId ?? t.customer?.preferredPickupPointId ?? null;
  return id === null ? undefined : points.find((point) => point.id === id);
}

/** "Liefert ihr auch?": no; where to pick up instead — near the place named, or their own point. */
async function delivery(t: Turn, input: TextInput): Promise<void> {
  t.say('about.noDelivery');
  const points = await t.market.pickupPoints();
  const { place, postcode } = input.understanding.entities;
  const from = place || postcode ? t.deps.locator.locate(postcode ?? place!) : null;
  if (from) {
    const [nearest] = nearestPickupPoints(points, from, 1);
    if (nearest) {
      t.say('about.nearestPoint', { from: raw(from.label), point: { lines: [pointLine(t, nearest.point)] } });
      return;
    }
  }
  const own = ownPoint(t, points);
  if (own) t.say('about.yourPoint', { point: { lines: [pointLine(t, own)] } });
  else t.say('about.whereAreYou');
}

/** "Wo hält der Verkaufswagen?": each route's stops in order, with address and times; a stop in a place named, alone. */
async function van(t: Turn, input: TextInput): Promise<void> {
  const stops = (await t.market.pickupPoints()).filter((point) => point.kind === 'van_stop');
  if (stops.length === 0) {
    t.say('about.noVan');
    return;
  }
  const place = input.understanding.entities.place;
  const there = place ? pointsIn(stops, place) : [];
  const routes = new Map<string, PickupPoint[]>();
  for (const stop of there.length > 0 ? there : stops) routes.set(stop.vanRoute ?? '', [...(routes.get(stop.vanRoute ?? '') ?? []), stop]);
  for (const [route, onRoute] of routes) {
    onRoute.sort((a, b) => (a.routePosition ?? 0) - (b.routePosition ?? 0));
    t.say('about.vanStops', { route: raw(route), stops: { lines: onRoute.map((stop) => ({ key: 'about.vanStop', params: { place: raw(stop.place), address: raw(stop.address), hours: hoursOf(t, stop.windows) } })) } });
  }
}

/** Words for a kind of pickup point, read on folded text. */
const KIND_WORDS: Array<[RegExp, PickupPointKind]> = [
  [/\b(hofladen|hoflaeden|farm shop)\b/, 'farm_shop'],
  [/\b(dorfladen|dorflaeden|laden|village (store|shop)|shop)\b/, 'village_store'],
  [/\b(verkaufswagen|wagen|van)\b/, 'van_stop'],
];

/**
 * "Wann hat der Hofladen auf?": the point named (by name, place, or kind — their own when it is of that kind),
 * else their own point, else every point.
 */
async function hours(t: Turn, input: TextInput): Promise<void> {
  const points = await t.market.pickupPoints();
  const own = ownPoint(t, points);
  const said = foldUmlauts(input.understanding.normalized);
  const place = input.understanding.entities.place;
  const kind = KIND_WORDS.find(([words]) => words.test(said))?.[1];
  const byName = matchPointByName(points, input.text);
  let asked: PickupPoint[];
  if (byName) asked = [byName];
  else {
    const inPlace = place ? pointsNear(t, points, place) : points;
    const ofKind = kind ? inPlace.filter((point) => point.kind === kind) : inPlace;
    const candidates = ofKind.length > 0 ? ofKind : inPlace;
    asked = own && candidates.includes(own) && (kind !== undefined || !place) ? [own] : candidates;
  }
  if (asked.length === 1) {
    t.say('about.hoursOne', { point: { lines: [pointLine(t, asked[0])] } });
    return;
  }
  t.say('about.hoursSome', { points: { lines: asked.map((point) => pointLine(t, point)) } });
}

/** "Wer seid ihr?": the marketplace in a sentence, and a person to call. */
function aboutUs(t: Turn): void {
  const { office } = t.deps;
  t.say('about.us');
  t.say('about.reachUs', { phone: { phone: office.phone }, hours: office.hours(t.language) });
}

/** An answer on the side; the engine asks the open question again. */
const aside = (answer: (t: Turn, input: TextInput) => void | Promise<void>) => ({
  async handle(t: Turn, input: TextInput) {
    await answer(t, input);
    return true;
  },
});

export const about = my.define({
  intents: {
    ask_organic: aside(organic),
    ask_allergens: aside(allergens),
    ask_delivery: aside(delivery),
    ask_van: aside(van),
    ask_hours: aside(hours),
    ask_about_us: aside(aboutUs),
  },
  choices: {},
  questions: {},
});

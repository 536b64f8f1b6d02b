/**
 * Choosing where to pick up: by name, by place or postcode, or by a shared
 * location. Ends with the chosen point's id, which goes back to the dialog that
 * began it (checkout); begun from the menu, it says so and shows the menu.
 */
import { whenRefused } from '../catalog/errors.ts';
import { nearestPickupPoints } from '../catalog/geo.ts';
import type { PickupPoint, PickupSlot } from '../catalog/types.ts';
import { args, declareDialog, int, picked } from './dialog.ts';
import { foldUmlauts, normalizeText } from './nlu/normalize.ts';
import { colognePhonetic } from './nlu/phonetic.ts';
import { named, type Turn } from './turn.ts';
import type { Reply } from './types.ts';

const my = declareDialog('pickup', {
  choices: { point: { pointId: int } },
  tags: { point: 'pp' },
  questions: { point: args() },
});

/** Label with the next window: "Hofladen Krüger, Lübbenau: Fr. 4.12., 15:00 bis 18:00". */
function slotLine(point: PickupPoint, slot: PickupSlot | undefined): Reply {
  return {
    key: slot ? 'pickup.pointLine' : 'pickup.pointLineNoSlot',
    params: {
      name: { raw: point.name },
      place: { raw: point.place },
      kind: { lines: [{ key: `pickup.kinds.${point.kind}` }] },
      ...(slot ? { date: { date: slot.from.toISOString() }, from: { time: slot.from.toISOString() }, to: { time: slot.to.toISOString() } } : {}),
    },
  };
}

async function nextSlot(t: Turn, pointId: number): Promise<PickupSlot | undefined> {
  return (await t.market.upcomingSlots(pointId).catch(whenRefused([])))[0];
}

/** Shows points as lines (written) and choices; spoken, the choices are the list, one a sentence, page by page. */
async function offerPoints(t: Turn, points: PickupPoint[], intro: Reply): Promise<void> {
  t.say(intro.key, intro.params);
  if (!t.spoken) {
    const lines: Reply[] = [];
    for (const point of points) lines.push(slotLine(point, await nextSlot(t, point.id)));
    t.say('pickup.list', { lines: { lines } });
  }
  t.offer(points.map((p) => my.choice.point.make({ pointId: p.id }, t.spoken ? spokenName(p) : named(p.name))));
  t.speechHints = points.map((p) => p.place);
}

/** The place as people say it: "Lübbenau" for "Lübbenau/Spreewald", "Burg" for "Burg (Spreewald)". */
function shortPlace(point: PickupPoint): string {
  return point.place.split(/[/(]/)[0].trim();
}

/** Whether the point's name already says its village ("Dorfladen Straupitz" in Straupitz): then the village is not said twice. */
export function nameSaysPlace(point: PickupPoint): boolean {
  const name = words(point.name);
  return words(shortPlace(point)).every((word) => name.includes(word));
}

/** Heard, a point's name says where it is: "Dorfladen Straupitz", else "Hofladen Gurkenhof Krüger in Lübbenau". */
function spokenName(point: PickupPoint): Reply {
  return nameSaysPlace(point)
    ? named(point.name)
    : { key: 'pickup.pointIn', params: { name: { raw: point.name }, place: { raw: shortPlace(point) } } };
}

/** The words of a name or place, folded, four letters or more ("Lübben (Spreewald)" → lubben, spreewald). */
function words(text: string): string[] {
  return foldUmlauts(normalizeText(text)).split(/[\s,/()-]+/).filter((word) => word.length >= 4);
}

/**
 * The points a word said names ("na der Dorfladen" → both Dorfladen, "Krautz"
 * → Hofladen Krautz): those whose name shares the most words with what was said.
 */
function pointsNamedBy(points: PickupPoint[], text: string): PickupPoint[] {
  const said = new Set(words(text));
  // A name's word that is its place ("Straupitz") is a place said: the nearest points are shown, that one first.
  const nameOnly = (point: PickupPoint) => words(point.name).filter((word) => !words(point.place).includes(word));
  const scored = points.map((point) => ({ point, score: nameOnly(point).filter((word) => said.has(word)).length }));
  const best = Math.max(0, ...scored.map((s) => s.score));
  return best === 0 ? [] : scored.filter((s) => s.score === best).map((s) => s.point);
}

/** Points whose place is a word said ("Lübbenau" → the Lübbenau farm shop, not Lübben, which only sounds like it). */
function pointsInPlaceSaid(points: PickupPoint[], text: string): PickupPoint[] {
  const said = new Set(words(text));
  return points.filter((point) => words(point.place).some((word) => said.has(word)));
}

/** Asks where to pick up, with the first points as choices. */
async function askPickupPoint(t: Turn): Promise<void> {
  const points = await t.market.pickupPoints();
  t.say(t.spoken ? 'pickup.askSpoken' : 'pickup.ask');
  await offerPoints(t, points, { key: 'pickup.some' });
  t.ask(my.question.point, {}, 'choice');
  if (!t.spoken) t.expect = 'location';
}

/**
 * The nearest points to a place, postcode or coordinates; false when the place is unknown.
 * `answering`: the text answers "where do you want to pick up?", so a point named in it is chosen at once.
 */
async function findNearest(t: Turn, query: { text: string } | { lat: number; lon: number }, answering: boolean, heard?: string): Promise<boolean> {
  const points = await t.market.pickupPoints();
  if ('text' in query) {
    const byName = matchPointByName(points, query.text);
    if (byName && answering) {
      await choosePickupPoint(t, byName.id);
      return true;
    }
    // Part of a name ("Krautz", "na der Dorfladen"): that point, or the few it could be.
    const named = pointsNamedBy(points, heard ?? query.text);
    if (named.length === 1 && answering) {
      await choosePickupPoint(t, named[0].id);
      return true;
    }
    if (named.length > 0) {
      await offerPoints(t, named, { key: named.length === 1 ? 'pickup.some' : 'pickup.whichOne' });
      t.ask(my.question.point, {}, 'choice');
      return true;
    }
  }
  // The place said first; then, for a place misheard on the phone ("Straubitz"), the points whose place sounds like it.
  const inPlace = 'text' in query ? pointsInPlaceSaid(points, heard ?? query.text) : [];
  const soundsLike = 'text' in query ? pointsSoundingLike(points, heard ?? query.text).filter((p) => !inPlace.includes(p)) : [];
  const first = [...inPlace, ...soundsLike];
  const from = 'text' in query ? t.deps.locator.locate(query.text) ?? locatedPoint(first[0]) : { ...query, label: '' };
  if (!from) return false;
  const nearest = nearestPickupPoints(points, from, 3).map((n) => n.point);
  await offerPoints(t, [...first, ...nearest.filter((p) => !first.includes(p))].slice(0, Math.max(3, first.length)), {
    key: from.label ? 'pickup.nearestTo' : 'pickup.nearestHere',
    params: { place: { raw: from.label } },
  });
  t.ask(my.question.point, {}, 'choice');
  return true;
}

/** Points whose place or name has a word that sounds like a word said (Kölner Phonetik, words of five letters or more). */
function pointsSoundingLike(points: PickupPoint[], text: string): PickupPoint[] {
  const sounds = new Set(foldUmlauts(normalizeText(text)).split(' ').filter((word) => word.length >= 5).map(colognePhonetic));
  if (sounds.size === 0) return [];
  return points.filter((p) => `${p.place} ${p.name}`.split(/[\s,-]+/).some((word) => word.length >= 5 && sounds.has(colognePhonetic(word))));
}

function locatedPoint(point: PickupPoint | undefined): { lat: number; lon: number; label: string } | null {
  return point ? { lat: point.lat, lon: point.lon, label: point.place } : null;
}

/** A point named in the text ("Hofladen Krüger", "Dorfladen Straupitz"), if exactly one fits. */
export function matchPointByName(points: PickupPoint[], text: string): PickupPoint | null {
  const said = foldUmlauts(normalizeText(text));
  if (said.length < 4) return null;
  const hits = points.filter((p) => {
    const name = foldUmlauts(normalizeText(p.name));
    return said.includes(name) || name === said;
  });
  return hits.length === 1 ? hits[0] : null;
}

/** Remembers the point for this order and as the customer's usual one, and ends with it. */
async function choosePickupPoint(t: Turn, pointId: number): Promise<void> {
  const points = await t.market.pickupPoints();
  const point = points.find((p) => p.id === pointId);
  if (!point) {
    await askPickupPoint(t);
    return;
  }
  t.settle();
  t.state.pickupPointId = point.id;
  if (t.customer) await t.market.updateCustomer(t.customer.id, { preferredPickupPointId: point.id });
  await t.end(point.id, async () => {
    t.say('pickup.chosen', { name: { raw: point.name } });
    await t.mainMenu();
  });
}

/** "Wo kann ich abholen?": all points with their next window. */
async function listPickupPoints(t: Turn): Promise<void> {
  const points = await t.market.pickupPoints();
  await offerPoints(t, points, { key: 'pickup.all' });
  t.say('pickup.askPlace');
  t.ask(my.question.point, {}, 'choice');
}

export const pickup = my.define({
  /** `{ ask: true }`: "Wo möchten Sie abholen?" for an order; else the list of all points. */
  async begin(t, value) {
    if ((value as { ask?: unknown } | null)?.ask === true) await askPickupPoint(t);
    else await listPickupPoints(t);
  },
  onLocation: (t, lat, lon) => findNearest(t, { lat, lon }, false),
  intents: {
    pickup_info: { handle: (t, input) => pointsFor(t, input.understanding, input.text, false) },
    choose_pickup: { handle: (t, input) => pointsFor(t, input.understanding, input.text, true) },
    unknown: {
      handle(t, input) {
        const e = input.understanding.entities;
        const query = e.postcode ?? e.place;
        return query ? findNearest(t, { text: query }, false) : false;
      },
    },
  },
  choices: {
    point: { handle: (t, { pointId }) => choosePickupPoint(t, pointId) },
  },
  questions: {
    point: {
      async answer(t, input) {
        if (input.kind === 'location') return findNearest(t, { lat: input.lat, lon: input.lon }, true);
        const button = picked(input, my.choice.point);
        if (button) {
          await choosePickupPoint(t, button.pointId);
          return true;
        }
        if (input.kind !== 'text') return false;
        const { entities } = input.understanding;
        // A point named in full ("Dorfladen Straupitz") or by its number ("eins") is a choice, not a place to search.
        const byName = matchPointByName(await t.market.pickupPoints(), input.text);
        if (byName) {
          await choosePickupPoint(t, byName.id);
          return true;
        }
        const offered = t.state.last?.choices ?? [];
        const index = entities.number !== null && Number.isInteger(entities.number) ? entities.number - 1 : -1;
        const numbered = input.understanding.intent === 'unknown' && index >= 0 && index < offered.length
          ? my.choice.point.match(offered[index].id)
          : null;
        if (numbered) {
          await choosePickupPoint(t, numbered.pointId);
          return true;
        }
        return findNearest(t, { text: entities.postcode ?? entities.place ?? input.text }, true, input.text);
      },
      prompt: askPickupPoint,
    },
  },
});

async function pointsFor(t: Turn, u: { entities: { postcode: string | null; place: string | null } }, text: string, choosing: boolean): Promise<boolean> {
  const query = u.entities.postcode ?? u.entities.place;
  if (query && (await findNearest(t, { text: query }, false))) return true;
  if (choosing && (await findNearest(t, { text }, false))) return true;
  await listPickupPoints(t);
  return true;
}

/** Choosing where to pick up: by name, by place or postcode, or by a shared location. */
import { nearestPickupPoints } from '../catalog/geo.ts';
import type { PickupPoint, PickupSlot } from '../catalog/types.ts';
import { foldUmlauts, normalizeText } from './nlu/normalize.ts';
import { startCheckout } from './checkout.ts';
import { mainMenu } from './menu.ts';
import { namedChoice, type Turn } from './turn.ts';
import type { Reply } from './types.ts';

/** Label with the next window: "Hofladen Krüger, Lübbenau: Fr. 4.12., 15:00 bis 18:00". */
export function slotLine(point: PickupPoint, slot: PickupSlot | undefined, key = 'pickup.pointLine'): Reply {
  return {
    key: slot ? key : 'pickup.pointLineNoSlot',
    params: {
      name: { raw: point.name },
      place: { raw: point.place },
      kind: { lines: [{ key: `pickup.kinds.${point.kind}` }] },
      ...(slot ? { date: { date: slot.from.toISOString() }, from: { time: slot.from.toISOString() }, to: { time: slot.to.toISOString() } } : {}),
    },
  };
}

async function nextSlot(t: Turn, pointId: number): Promise<PickupSlot | undefined> {
  return (await t.market.upcomingSlots(pointId).catch(() => []))[0];
}

/** Shows points as lines and choices; `then` says what choosing one leads to. */
async function offerPoints(t: Turn, points: PickupPoint[], intro: Reply): Promise<void> {
  const lines: Reply[] = [];
  for (const point of points) lines.push(slotLine(point, await nextSlot(t, point.id)));
  t.say(intro.key, intro.params);
  t.say('pickup.list', { lines: { lines } });
  t.offer(points.map((p) => namedChoice(`pp:${p.id}`, p.name)));
  t.speechHints = points.map((p) => p.place);
}

/** Asks where to pick up, with the customer's place or the points near the usual one. */
export async function askPickupPoint(t: Turn, then: 'checkout' | 'settings'): Promise<void> {
  const points = await t.market.pickupPoints();
  t.say(t.spoken ? 'pickup.askSpoken' : 'pickup.ask');
  await offerPoints(t, points.slice(0, t.spoken ? 3 : 6), { key: 'pickup.some' });
  t.ask({ kind: 'pickup_point', then }, 'choice');
  if (!t.spoken) t.expect = 'location';
}

/** The nearest points to a place, postcode or coordinates; false when the place is unknown. */
export async function findNearest(
  t: Turn,
  query: { text: string } | { lat: number; lon: number },
  then: 'checkout' | 'settings' | null,
): Promise<boolean> {
  const points = await t.market.pickupPoints();
  if ('text' in query) {
    const byName = matchPointByName(points, query.text);
    if (byName && then) {
      await choosePickupPoint(t, byName.id, then);
      return true;
    }
  }
  const from = 'text' in query ? t.deps.locator.locate(query.text) : { ...query, label: '' };
  if (!from) return false;
  const nearest = nearestPickupPoints(points, from, 3);
  await offerPoints(t, nearest.map((n) => n.point), {
    key: from.label ? 'pickup.nearestTo' : 'pickup.nearestHere',
    params: { place: { raw: from.label } },
  });
  t.ask({ kind: 'pickup_point', then: then ?? 'settings' }, 'choice');
  return true;
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

/** Remembers the point for this order and as the customer's usual one; goes on with `then`. */
export async function choosePickupPoint(t: Turn, pointId: number, then: 'checkout' | 'settings'): Promise<void> {
  const points = await t.market.pickupPoints();
  const point = points.find((p) => p.id === pointId);
  if (!point) {
    await askPickupPoint(t, then);
    return;
  }
  t.settle();
  t.state.pickupPointId = point.id;
  if (t.customer) await t.market.updateCustomer(t.customer.id, { preferredPickupPointId: point.id });
  if (then === 'checkout') {
    await startCheckout(t);
    return;
  }
  t.say('pickup.chosen', { name: { raw: point.name } });
  await mainMenu(t, { intro: false });
}

/** "Wo kann ich abholen?": all points with their next window. */
export async function listPickupPoints(t: Turn): Promise<void> {
  const points = await t.market.pickupPoints();
  // Written, every point is listed (the buttons hold the first few); spoken, a long list is no help.
  await offerPoints(t, t.spoken ? points.slice(0, 4) : points, { key: 'pickup.all' });
  t.say('pickup.askPlace');
  t.ask({ kind: 'pickup_point', then: 'settings' }, 'choice');
}

/** Checkout: read back items, total, pickup point and date; an explicit yes to that read-back; the order code. */
import { createHash, randomUUID } from 'node:crypto';
import { isDomainError, type ShortageDetail } from '../catalog/errors.ts';
import { bestAvailable } from '../catalog/quantities.ts';
import { utcToZoned } from '../catalog/time.ts';
import type { PickupPoint, PickupSlot } from '../catalog/types.ts';
import { confirmation, confirmChoices } from './answers.ts';
import { weekdaysIn } from './nlu/entities.ts';
import { cartLines, summary } from './cart.ts';
import { nameSaysPlace } from './pickup.ts';
import { args, declareDialog, int, key, picked, type TextInput } from './dialog.ts';
import { label, type Turn } from './turn.ts';
import type { Json, Reply } from './types.ts';

/**
 * Nobody reads a changed read-back faster than this. A yes sooner, in words or as a number, was sent before
 * it arrived (a second "1", a "ja" sent twice); a press of the read-back's own button needs no such wait.
 */
const READING_MS = 3000;

interface ReadBack {
  cycleId: number;
  pickupPointId: number;
  pickupFrom: string;
  /** Names this read-back, so that placing it twice places one order. */
  token: string;
  /** What was read back, as the key its buttons carry (`readBackContent`). */
  shown: string;
  /**
   * Read back because what the person answered was not what we would place (stock or price changed, an
   * earlier read-back's button): a yes that is no press of its own button counts once there was time to read it.
   */
  changed: boolean;
}

/** A read-back as worked out now: its lines, where and when, and the key naming all of it. */
interface ReadBackContent {
  cycleId: number;
  point: PickupPoint;
  slot: PickupSlot;
  slots: PickupSlot[];
  lines: Reply[];
  totalCents: number;
  shown: string;
}

const my = declareDialog('checkout', {
  choices: {
    /** Another pickup day, offered in the read-back named by `shown`. */
    slot: { from: int, shown: key },
    repeatLast: {},
    /** Put the basket into this week's order `orderId`, or (`orderId` 0) place it as an order of its own. */
    addTo: { orderId: int },
  },
  tags: { repeatLast: 'repeat_last' },
  questions: { confirm: args<ReadBack>() },
  resumes: ['afterOnboarding', 'afterPickup'],
});

/** Starts or resumes checkout: consent, pickup point, then the read-back; `changed` as in `ReadBack`. */
export async function startCheckout(t: Turn, pickupFrom?: string, changed = false): Promise<void> {
  if (t.state.cart.length === 0) {
    t.say('cart.empty');
    await t.mainMenu();
    return;
  }
  const customer = t.customer;
  if (!customer) {
    t.say('checkout.needConsent');
    await t.begin('onboarding', null, my.resume.afterOnboarding);
    return;
  }
  const pointId = t.state.pickupPointId ?? customer.preferredPickupPointId;
  if (pointId === null) {
    await t.begin('pickup', { ask: true }, my.resume.afterPickup);
    return;
  }
  const slots = await t.market.upcomingSlots(pointId);
  if (slots.length === 0) {
    t.say('pickup.noSlot');
    t.state.pickupPointId = null;
    await t.begin('pickup', { ask: true }, my.resume.afterPickup);
    return;
  }
  const slot = slots.find((s) => s.from.toISOString() === pickupFrom) ?? slots[0];
  readBack(t, await readBackContent(t, pointId, slot, slots), changed);
}

/**
 * What a read-back says, worked out now, and the short key naming it: the order it changes, the week, what is
 * ordered at which price, and where and when it is picked up. Its buttons carry the key, and a yes places the
 * order only while the key is still the same.
 */
async function readBackContent(t: Turn, pointId: number, slot: PickupSlot, slots: PickupSlot[]): Promise<ReadBackContent> {
  const { lines, totalCents, items } = await cartLines(t);
  const point = (await t.market.pickupPoints()).find((p) => p.id === pointId)!;
  const week = await t.market.currentWeek();
  const said: Json = [
    t.state.editOrderId,
    week.cycle.id,
    items.map((i) => [i.offerId, i.productName, i.quantity, i.unit, i.unitPriceCents]),
    totalCents,
    [point.id, point.name, point.place],
    [slot.from.getTime(), slot.to.getTime()],
  ];
  const shown = createHash('sha256').update(JSON.stringify(said)).digest('base64url').slice(0, 16);
  return { cycleId: week.cycle.id, point, slot, slots, lines, totalCents, shown };
}

/** The key of the read-back `confirmed` would be now; null when its pickup slot is gone. */
async function shownNow(t: Turn, confirmed: ReadBack): Promise<string | null> {
  const slots = await t.market.upcomingSlots(confirmed.pickupPointId);
  const slot = slots.find((s) => s.from.toISOString() === confirmed.pickupFrom);
  return slot ? (await readBackContent(t, confirmed.pickupPointId, slot, slots)).shown : null;
}

function readBack(t: Turn, content: ReadBackContent, changed: boolean): void {
  const { point, slot } = content;
  t.say(t.state.editOrderId ? 'checkout.readBackChange' : 'checkout.readBack', {
    lines: { lines: content.lines },
    total: { money: content.totalCents },
  });
  // "Dorfladen Straupitz in Straupitz" says the village twice.
  t.say(point.kind === 'van_stop' ? 'checkout.pickupVan' : nameSaysPlace(point) ? 'checkout.pickupHere' : 'checkout.pickup', {
    name: { raw: point.name },
    place: { raw: point.place },
    date: { date: slot.from.toISOString() },
    from: { time: slot.from.toISOString() },
    to: { time: slot.to.toISOString() },
  });
  t.say('checkout.payment');
  t.say(t.spoken ? 'checkout.confirmSpoken' : 'checkout.confirm');
  const others = content.slots.filter((s) => s !== slot);
  const [yes, no] = confirmChoices(content.shown, 'checkout.yes', 'checkout.no');
  const choices = [yes, no];
  if (others.length > 0) {
    const other = others[0].from;
    choices.splice(1, 0, my.choice.slot.make({ from: other.getTime(), shown: content.shown }, label('checkout.otherDay', { date: { date: other.toISOString() } })));
  }
  t.offer(choices, 'yes_no');
  t.ask(my.question.confirm, {
    cycleId: content.cycleId, pickupPointId: point.id, pickupFrom: slot.from.toISOString(), token: randomUUID(), shown: content.shown, changed,
  }, 'yes_no');
}

/** A changed read-back answered by words or a number sooner than anyone reads it. */
function unread(t: Turn, readBack: ReadBack): boolean {
  const shownAt = t.question?.askedAt;
  return readBack.changed === true && typeof shownAt === 'string' && t.receivedAt.getTime() - Date.parse(shownAt) < READING_MS;
}

/** After "Ja": places (or changes) the order read back. If anything of it changed meanwhile, says so and reads back anew. */
async function confirmCheckout(t: Turn, confirmed: ReadBack): Promise<void> {
  if (!t.customer) return startCheckout(t);
  t.settle();
  // A price, the basket or the pickup slot changed since the read-back: what would be placed is not what was confirmed.
  if ((await shownNow(t, confirmed)) !== confirmed.shown) {
    t.say('checkout.changedSince');
    await startCheckout(t, confirmed.pickupFrom, true);
    return;
  }
  try {
    const order = t.state.editOrderId
      ? await t.market.changeOrder(t.state.editOrderId, t.customer.id, t.state.cart, {
          pickupPointId: confirmed.pickupPointId,
          pickupFrom: new Date(confirmed.pickupFrom),
        })
      : await t.market.placeOrder({
          customerId: t.customer.id,
          pickupPointId: confirmed.pickupPointId,
          pickupFrom: new Date(confirmed.pickupFrom),
          lines: t.state.cart,
          channel: t.channel,
          requestKey: `checkout:${confirmed.token}`,
        });
    t.state.cart = [];
    t.state.cartCycleId = null;
    const changed = t.state.editOrderId !== null;
    t.state.editOrderId = null;
    t.say(changed ? 'checkout.changed' : 'checkout.placed', {
      code: { digits: order.code },
      total: { money: order.totalCents },
      date: { date: order.pickupFrom.toISOString() },
      from: { time: order.pickupFrom.toISOString() },
      to: { time: order.pickupTo.toISOString() },
    });
    if (t.spoken) t.say('checkout.codeAgain', { code: { digits: order.code } });
    if (!t.customer.reminderChannel) t.say('checkout.reminderHint');
    t.offer([t.beginChoice('menu', 'menu.back'), t.beginChoice('orders', 'menu.orders')]);
    if (t.spoken) t.offer([t.beginChoice('menu', 'menu.back'), t.beginChoice('bye', 'menu.hangUp')]);
  } catch (error) {
    if (isDomainError(error, 'OUT_OF_STOCK')) {
      const shortages = (error.details.shortages ?? []) as ShortageDetail[];
      const notes: Reply[] = [];
      const offers = await t.market.weekOffer();
      for (const short of shortages) {
        const line = t.state.cart.find((l) => l.offerId === short.offerId);
        if (!line) continue;
        const offer = offers.find((o) => o.id === short.offerId);
        // What is left may not fit the step (1,3 kg of a 0,5-kg offer): plan the most that does.
        const best = offer ? bestAvailable(offer, line.quantity) : 0;
        if (offer && best > 0) {
          line.quantity = best;
          notes.push({ key: 'checkout.nowOnly', params: { product: { raw: short.productName }, left: { quantity: best, unit: offer.unit } } });
        } else {
          t.state.cart = t.state.cart.filter((l) => l !== line);
          notes.push({ key: 'checkout.nowGone', params: { product: { raw: short.productName } } });
        }
      }
      t.say('checkout.stockChanged', { lines: { lines: notes } });
      if (t.state.cart.length === 0) {
        t.say('cart.empty');
        await t.mainMenu();
        return;
      }
      await startCheckout(t, confirmed.pickupFrom, true);
      return;
    }
    if (isDomainError(error)) {
      t.sayError(error);
      if (error.code === 'CYCLE_CLOSED') t.state.cart = [];
      await t.mainMenu();
      return;
    }
    throw error;
  }
}

/**
 * The pickup day a message asks for, without a product named: the last weekday said that is not the one
 * of `current` ("Freitag kann ich nicht, geht Samstag?" → Saturday); null when it names none.
 */
export function dayWanted(input: TextInput, current: string | undefined): number | null {
  if (input.understanding.entities.items.length > 0) return null;
  const currentDay = current ? utcToZoned(new Date(current)).weekday : null;
  return weekdaysIn(input.understanding.normalized).filter((day) => day !== currentDay).at(-1) ?? null;
}

/** The read-back for the window on `day` at the point; a day without one says which days there are and keeps `current`. */
export async function readBackOnDay(t: Turn, pointId: number, day: number, current: string | undefined): Promise<void> {
  const slots = await t.market.upcomingSlots(pointId);
  const onDay = slots.find((slot) => utcToZoned(slot.from).weekday === day);
  if (onDay) {
    await startCheckout(t, onDay.from.toISOString());
    return;
  }
  t.say('checkout.noSlotOnDay', { days: { list: slots.map((slot) => ({ date: slot.from.toISOString() })) } });
  await startCheckout(t, current);
}

/** "Wie letzte Woche": the last basket against this week's offer, then the usual read-back. */
async function repeatLastOrder(t: Turn): Promise<void> {
  const customer = t.customer;
  const thisWeek = customer ? (await t.market.repeatable(customer.id)).thisWeek : null;
  if (thisWeek) {
    // Placing it again would be a second, identical order: the one of this week is shown, to change or add to.
    t.say('repeat.alreadyThisWeek', { code: { digits: thisWeek.code } });
    await t.begin('orders', { orderId: thisWeek.id });
    return;
  }
  const rebuilt = customer ? await t.market.rebuildLastOrder(customer.id) : null;
  if (!rebuilt) {
    t.say('repeat.none');
    await t.mainMenu();
    return;
  }
  if (rebuilt.missing.length > 0) t.say('repeat.missing', { products: { list: rebuilt.missing.map((raw) => ({ raw })) } });
  for (const r of rebuilt.reduced) {
    t.say('repeat.reduced', { product: { raw: r.productName }, left: { quantity: r.available, unit: r.unit } });
  }
  for (const d of rebuilt.dearer) {
    t.say('repeat.dearer', { product: { raw: d.productName }, before: { money: d.beforeCents }, now: { money: d.nowCents } });
  }
  if (rebuilt.lines.length === 0) {
    t.say('repeat.nothingLeft');
    await t.mainMenu();
    return;
  }
  const week = await t.market.currentWeek();
  t.state.cart = rebuilt.lines;
  t.state.cartCycleId = week.cycle.id;
  t.state.editOrderId = null;
  t.state.focusOfferId = null;
  if (rebuilt.pickupPointId !== null) t.state.pickupPointId = rebuilt.pickupPointId;
  await startCheckout(t);
}

/**
 * "Bestellen" said or pressed. A customer who ordered this week already is asked whether the basket goes
 * into that order ("noch 2 Gläser Honig" right after ordering, most of the time) or is a second order: never
 * a silent second order.
 */
async function beginCheckout(t: Turn): Promise<void> {
  const customer = t.customer;
  const thisWeek = customer && t.state.editOrderId === null && t.state.cart.length > 0 ? (await t.market.repeatable(customer.id)).thisWeek : null;
  if (!thisWeek) {
    await startCheckout(t);
    return;
  }
  t.say('checkout.addToOrder', { code: { digits: thisWeek.code } });
  t.offer([
    my.choice.addTo.make({ orderId: thisWeek.id }, label('checkout.addToThat', { code: { digits: thisWeek.code } })),
    my.choice.addTo.make({ orderId: 0 }, label('checkout.newOrder')),
  ]);
}

/** The button offering last week's basket again. */
export function repeatLastChoice(): ReturnType<typeof my.choice.repeatLast.make> {
  return my.choice.repeatLast.make({}, label('menu.repeatLast'));
}

export const checkout = my.define({
  begin: (t) => beginCheckout(t),
  intents: {
    checkout: {
      async handle(t) {
        await beginCheckout(t);
        return true;
      },
    },
    repeat_last_order: {
      async handle(t) {
        await repeatLastOrder(t);
        return true;
      },
    },
  },
  choices: {
    // A pickup day pressed after its read-back was answered: the read-back it belonged to is gone.
    slot: { handle: (t) => t.stale() },
    repeatLast: {
      async handle(t) {
        t.reset();
        await repeatLastOrder(t);
      },
    },
    addTo: {
      async handle(t, { orderId }) {
        const order = orderId === 0 || !t.customer ? null : (await t.market.ordersOf(t.customer.id)).find((o) => o.id === orderId && o.status === 'placed');
        if (!order) {
          await startCheckout(t);
          return;
        }
        // The order's lines and the basket together, read back as the changed order; only "ja" stores it.
        const lines = new Map(order.items.map((i) => [i.offerId, i.quantity]));
        for (const line of t.state.cart) lines.set(line.offerId, (lines.get(line.offerId) ?? 0) + line.quantity);
        t.state.cart = [...lines].map(([offerId, quantity]) => ({ offerId, quantity }));
        t.state.editOrderId = order.id;
        t.state.pickupPointId = order.pickupPointId;
        await startCheckout(t, order.pickupFrom.toISOString());
      },
    },
  },
  questions: {
    confirm: {
      async answer(t, input, readBack) {
        const slot = picked(input, my.choice.slot);
        if (slot) {
          if (slot.shown !== readBack.shown) {
            await t.stale();
            return true;
          }
          const from = new Date(slot.from);
          t.settle();
          await startCheckout(t, Number.isNaN(from.getTime()) ? undefined : from.toISOString());
          return true;
        }
        // "Geht auch Samstag?": a day said moves the pickup to that day's window, read back before anything is placed.
        // "Geht auch Samstag?": read back for that day. "Ja, Freitag passt" names the day read back: a yes, below.
        const day = input.kind === 'text' ? dayWanted(input, readBack.pickupFrom) : null;
        if (day !== null) {
          t.settle();
          await readBackOnDay(t, readBack.pickupPointId, day, readBack.pickupFrom);
          return true;
        }
        // "Ja, so bestellen" / "bestellen" to "Soll ich so bestellen?" is a yes, not a wish to see the read-back again.
        const sayOrder = input.kind === 'text' && input.understanding.intent === 'checkout' && input.understanding.entities.items.length === 0;
        const answer = confirmation(input, readBack.shown) ?? (sayOrder ? { yes: true, ownButton: false } : null);
        if (answer === null) return false;
        // A button of another read-back, or a yes to a changed one sent before it can have been read: it is shown again.
        if (answer === 'stale' || (answer.yes && !answer.ownButton && unread(t, readBack))) {
          await t.stale();
          return true;
        }
        if (answer.yes) {
          await confirmCheckout(t, readBack);
        } else {
          t.settle();
          t.say(t.state.editOrderId ? 'checkout.notChanged' : 'checkout.notPlaced');
          await summary(t);
        }
        return true;
      },
      // Asked again after a stale answer: the person answered something else, so they read this one first.
      prompt: (t, { pickupFrom }) => startCheckout(t, pickupFrom, true),
    },
  },
  resumes: {
    afterOnboarding: async (t, agreed) => {
      if (agreed === true) await startCheckout(t);
      else await t.mainMenu();
    },
    afterPickup: (t) => startCheckout(t),
  },
});

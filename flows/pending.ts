/** Answers to the one open question: yes/no, a number, a name, a place, a choice among offers. */
import { normalizePhone } from './phone.ts';
import { showOffer } from './browse.ts';
import { inOfferUnit, setLine, summary } from './cart.ts';
import type { Unit } from '../catalog/types.ts';
import { confirmCheckout, startCheckout } from './checkout.ts';
import type { Input } from './engine.ts';
import { customerMenu, greet, mainMenu } from './menu.ts';
import { answerConsent, answerName } from './onboarding.ts';
import { askCancel, cancelOrder, editOrder } from './orders.ts';
import { applyStockPost } from './producer.ts';
import { choosePickupPoint, findNearest, matchPointByName } from './pickup.ts';
import { deleteData, setReminders } from './settings.ts';
import type { Understanding } from './nlu/types.ts';
import type { Turn } from './turn.ts';

type Answer = Input | { kind: 'choice'; id: string };

export function yesNo(input: Answer): boolean | null {
  if (input.kind === 'choice') return input.id === 'yes' ? true : input.id === 'no' ? false : null;
  if (input.kind !== 'text') return null;
  if (input.understanding.intent === 'yes') return true;
  if (input.understanding.intent === 'no') return false;
  return null;
}

function numberOf(input: Answer): number | null {
  if (input.kind !== 'text') return null;
  const { entities } = input.understanding;
  return entities.items.find((i) => i.quantity !== null)?.quantity ?? entities.number;
}

/** Returns false when the input is no answer to the open question, so the router can take it. */
export async function handlePending(t: Turn, input: Answer): Promise<boolean> {
  const pending = t.state.pending;
  if (!pending) return false;
  switch (pending.kind) {
    case 'consent': {
      const yes = yesNo(input);
      if (yes === null) return false;
      await answerConsent(t, yes, pending.then);
      return true;
    }
    case 'name': {
      if (input.kind === 'choice' && input.id === 'name:skip') {
        await answerName(t, null, pending.then);
        return true;
      }
      if (input.kind === 'choice' && input.id === 'name:profile') {
        await answerName(t, t.profileName, pending.then);
        return true;
      }
      if (input.kind !== 'text') return false;
      const name = input.text.replace(/^(ich bin|ich heiße|ich heisse|mein name ist|my name is|i am|i'm)\s+/i, '');
      if (!looksLikeName(name, input.understanding)) return false;
      await answerName(t, name, pending.then);
      return true;
    }
    case 'phone_number': {
      if (input.kind !== 'text') return false;
      const phone = normalizePhone(input.text);
      if (!phone) {
        t.say('voice.phoneInvalid');
        t.ask({ kind: 'phone_number' }, 'phone');
        return true;
      }
      t.settle();
      t.state.phone = phone;
      t.identity = { kind: 'phone', value: phone };
      t.role = await t.market.identify(t.identity);
      if (t.role.kind === 'customer' && t.role.customer) t.state.customerId = t.role.customer.id;
      await greet(t);
      return true;
    }
    case 'pickup_point': {
      if (input.kind === 'location') return findNearest(t, { lat: input.lat, lon: input.lon }, pending.then);
      if (input.kind !== 'text') return false;
      const { entities } = input.understanding;
      // A point named in full ("Dorfladen Straupitz") or by its number ("eins") is a choice, not a place to search.
      const named = matchPointByName(await t.market.pickupPoints(), input.text);
      if (named) {
        await choosePickupPoint(t, named.id, pending.then);
        return true;
      }
      const offered = t.state.last?.choices ?? [];
      const index = entities.number !== null && Number.isInteger(entities.number) ? entities.number - 1 : -1;
      if (input.understanding.intent === 'unknown' && index >= 0 && index < offered.length && offered[index].id.startsWith('pp:')) {
        await choosePickupPoint(t, Number(offered[index].id.slice(3)), pending.then);
        return true;
      }
      const query = entities.postcode ?? entities.place ?? input.text;
      return findNearest(t, { text: query }, pending.then);
    }
    case 'pick_offer': {
      if (input.kind === 'choice' && input.id.startsWith('offer:')) {
        const offerId = Number(input.id.slice(6));
        if (!pending.offerIds.includes(offerId)) return false;
        return addPicked(t, offerId, pending.quantity, pending.unit);
      }
      if (input.kind !== 'text') return false;
      const match = input.understanding.entities.items.flatMap((i) => i.matches).find((m) => pending.offerIds.includes(m.offerId));
      if (!match) return false;
      return addPicked(t, match.offerId, pending.quantity, pending.unit);
    }
    case 'quantity': {
      const quantity = numberOf(input);
      if (quantity === null) return false;
      t.settle();
      await setLine(t, pending.offerId, quantity, 'add');
      if (!t.state.pending) await summary(t);
      return true;
    }
    case 'reduce_to': {
      const yes = yesNo(input);
      if (yes === null) return false;
      t.settle();
      if (yes) {
        await setLine(t, pending.offerId, pending.quantity, 'set');
        if (!t.state.pending) await summary(t);
      } else {
        t.say('cart.leftAsIs');
        await summary(t);
      }
      return true;
    }
    case 'checkout_confirm': {
      if (input.kind === 'choice' && input.id.startsWith('slot:')) {
        const from = new Date(Number(input.id.slice(5)));
        t.settle();
        await startCheckout(t, Number.isNaN(from.getTime()) ? undefined : from.toISOString());
        return true;
      }
      const yes = yesNo(input);
      if (yes === null) return false;
      if (yes) {
        await confirmCheckout(t);
      } else {
        t.settle();
        t.say('checkout.notPlaced');
        await summary(t);
      }
      return true;
    }
    case 'order_action': {
      if (input.kind !== 'text') return false;
      const intent = input.understanding.intent;
      if (intent === 'cancel_order') await askCancel(t, pending.orderId);
      else if (intent === 'change_order' || intent === 'change_quantity') await editOrder(t, pending.orderId);
      else return false;
      return true;
    }
    case 'cancel_confirm': {
      const yes = yesNo(input);
      if (yes === null) return false;
      if (yes) await cancelOrder(t, pending.orderId);
      else {
        t.settle();
        t.say('orders.kept');
        await customerMenu(t, { intro: false });
      }
      return true;
    }
    case 'delete_confirm': {
      const yes = yesNo(input);
      if (yes === null) return false;
      t.settle();
      if (yes) await deleteData(t);
      else {
        t.say('settings.notDeleted');
        await mainMenu(t, { intro: false });
      }
      return true;
    }
    case 'stock_preview': {
      const yes = yesNo(input);
      if (yes === null) return false;
      if (yes) await applyStockPost(t, pending.lines);
      else {
        t.settle();
        t.say('producer.discarded');
        await mainMenu(t, { intro: false });
      }
      return true;
    }
    case 'reminder_channel': {
      if (input.kind !== 'text') return false;
      const said = input.understanding.normalized;
      if (/\bsms\b/.test(said)) await setReminders(t, true, 'sms');
      else if (/anruf|anrufen|call/.test(said)) await setReminders(t, true, 'call');
      else return false;
      return true;
    }
  }
  return false;
}

/** Intents that a short answer to "what is your name" can never mean. */
const COMMANDS = new Set([
  'show_cart', 'checkout', 'my_orders', 'repeat_last_order', 'my_data', 'delete_data', 'reminders_on', 'reminders_off',
  'set_language', 'pickup_info', 'cancel_order', 'change_order', 'add_to_cart', 'ask_product',
]);

/** A name is a few words of letters; a question or a command is not (names may sound like products: "Schulz"). */
function looksLikeName(text: string, understanding: Understanding): boolean {
  const words = text.trim().split(/\s+/);
  if (words.length > 4 || /[\d?]/.test(text) || !/\p{L}/u.test(text)) return false;
  if (COMMANDS.has(understanding.intent)) return false;
  return !(understanding.intent === 'browse' && understanding.entities.category !== null);
}

async function addPicked(t: Turn, offerId: number, said: number | null, unit: Unit | null): Promise<boolean> {
  t.settle();
  const offer = said === null ? undefined : (await t.market.weekOffer()).find((o) => o.id === offerId);
  const quantity = offer && said !== null ? inOfferUnit(said, unit, offer) : null;
  if (quantity === null) {
    await showOffer(t, offerId);
    return true;
  }
  await setLine(t, offerId, quantity, 'add');
  if (!t.state.pending) await summary(t);
  return true;
}

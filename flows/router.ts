/** Routes an understood message to its flow when no open question took it. */
import { askProduct, showCategories, showOffers } from './browse.ts';
import { addMentions, changeQuantity, removeFromCart, showCart } from './cart.ts';
import { repeatLastOrder, startCheckout } from './checkout.ts';
import type { Input } from './engine.ts';
import { greet, help, mainMenu, offerHuman } from './menu.ts';
import { parseStockPost } from './nlu/stock-lines.ts';
import type { Understanding } from './nlu/types.ts';
import { askCancel, editOrder, resolveOrder, showOrders } from './orders.ts';
import { findNearest, listPickupPoints } from './pickup.ts';
import { previewStockPost, showMyOffers, showPickList, updateOneOffer } from './producer.ts';
import { askDelete, linkContact, setLanguage, setReminders, showMyData } from './settings.ts';
import { markHandout, showHandoutList } from './staff.ts';
import type { Turn } from './turn.ts';

const PRODUCER_INTENTS = new Set(['stock_post', 'stock_update', 'picklist']);
const STAFF_INTENTS = new Set(['handout_list', 'mark_picked_up', 'mark_no_show']);
/** "Meine Angebote" typed instead of tapped: a producer's own offers, not the customers' overview. */
const MY_OFFERS = /\b(meine|my) (angebote?|offers?)\b/;
/** A message with at least this many lines that read as stock lines is a stock post. */
const STOCK_POST_LINES = 2;

export async function routeIntent(t: Turn, input: Input): Promise<boolean> {
  if (input.kind === 'location') return findNearest(t, { lat: input.lat, lon: input.lon }, null);
  if (input.kind === 'contact') {
    await linkContact(t, input.phone, input.own);
    return true;
  }
  if (input.kind !== 'text') return false;
  const u = input.understanding;
  const role = t.role.kind;

  if (role === 'producer') {
    if (input.text.includes('\n') || u.intent === 'stock_post') {
      if (await previewStockPost(t, input.text)) return true;
    }
    if (u.intent === 'stock_update') return updateOneOffer(t, u);
    if (u.intent === 'browse' && MY_OFFERS.test(u.normalized)) { await showMyOffers(t); return true; }
    if (u.intent === 'picklist') { await showPickList(t); return true; }
  }
  if (role === 'staff') {
    if (u.intent === 'handout_list') { await showHandoutList(t); return true; }
    if (u.intent === 'mark_picked_up') { await markHandout(t, u.entities.orderCode, 'picked_up'); return true; }
    if (u.intent === 'mark_no_show') { await markHandout(t, u.entities.orderCode, 'no_show'); return true; }
  }
  if ((role !== 'producer' && PRODUCER_INTENTS.has(u.intent)) || (role !== 'staff' && STAFF_INTENTS.has(u.intent)) || (role === 'customer' && looksLikeStockPost(input.text))) {
    t.say('errors:NOT_ALLOWED', { phone: { digits: t.deps.office.phone } });
    await mainMenu(t, { intro: false });
    return true;
  }
  return routeCommon(t, input.text, u);
}

/** Read with the producers' own parser, so that a post in English ("40 jars 3.50") is refused too. */
function looksLikeStockPost(text: string): boolean {
  // One line cannot hold two stock lines; most messages are one line, and parsing is not free.
  if (!text.includes('\n')) return false;
  return parseStockPost(text).filter((line) => line.ok).length >= STOCK_POST_LINES;
}

/** Help explains and leaves the open question open; anything else understood starts afresh. */
async function routeCommon(t: Turn, text: string, u: Understanding): Promise<boolean> {
  if (u.intent === 'help') {
    await help(t);
    return true;
  }
  const open = { pending: t.state.pending, askedAt: t.state.askedAt };
  t.settle();
  const understood = await routeByIntent(t, text, u);
  // Not understood: the engine asks the open question again, so it must still be open.
  if (!understood && t.state.pending === null) Object.assign(t.state, open);
  return understood;
}

async function routeByIntent(t: Turn, text: string, u: Understanding): Promise<boolean> {
  const e = u.entities;
  switch (u.intent) {
    case 'greet':
      await greet(t);
      return true;
    case 'cancel':
    case 'back':
      t.say(u.intent === 'cancel' ? 'common.cancelled' : 'common.back');
      await mainMenu(t, { intro: false });
      return true;
    case 'human':
      await offerHuman(t);
      return true;
    case 'thanks':
      t.say('common.welcome');
      await mainMenu(t, { intro: false });
      return true;
    case 'yes':
    case 'no':
      await mainMenu(t, { intro: false });
      return true;
    case 'browse':
      if (e.category) await showOffers(t, { category: e.category });
      else if (e.producerName) {
        const offers = await t.market.weekOffer();
        const producer = offers.find((o) => o.producerName === e.producerName);
        if (producer) await showOffers(t, { producerId: producer.producerId });
        else await showCategories(t);
      } else await showCategories(t);
      return true;
    case 'ask_product':
      if (await askProduct(t, e.items, e.category, text)) return true;
      await showCategories(t);
      return true;
    case 'add_to_cart':
      if (e.items.length > 0 && (await addMentions(t, e.items))) return true;
      if (e.category) {
        await showOffers(t, { category: e.category });
        return true;
      }
      return false;
    case 'remove_from_cart': {
      const ids = e.items.flatMap((i) => i.matches.slice(0, 1).map((m) => m.offerId));
      if (ids.length === 0 && t.state.focusOfferId !== null) ids.push(t.state.focusOfferId);
      return removeFromCart(t, ids);
    }
    case 'change_quantity':
      return changeQuantity(t, e.number, e.items);
    case 'show_cart':
      await showCart(t);
      return true;
    case 'checkout':
      await startCheckout(t);
      return true;
    case 'repeat_last_order':
      await repeatLastOrder(t);
      return true;
    case 'my_orders':
      await showOrders(t);
      return true;
    case 'cancel_order':
    case 'change_order': {
      const order = await resolveOrder(t, e.orderCode);
      if (!order) {
        if (e.orderCode) t.say('orders.unknownCode', { code: { digits: e.orderCode } });
        await showOrders(t);
        return true;
      }
      if (u.intent === 'cancel_order') await askCancel(t, order.id);
      else await editOrder(t, order.id);
      return true;
    }
    case 'pickup_info':
    case 'choose_pickup': {
      const query = e.postcode ?? e.place;
      if (query && (await findNearest(t, { text: query }, null))) return true;
      if (u.intent === 'choose_pickup' && (await findNearest(t, { text }, null))) return true;
      await listPickupPoints(t);
      return true;
    }
    case 'reminders_on':
    case 'reminders_off':
      await setReminders(t, u.intent === 'reminders_on');
      return true;
    case 'set_language':
      await setLanguage(t, e.language ?? (t.state.language === 'de' ? 'en' : 'de'));
      return true;
    case 'my_data':
      await showMyData(t);
      return true;
    case 'delete_data':
      askDelete(t);
      return true;
    default:
      if (e.items.some((i) => i.matches.length > 0)) return addMentions(t, e.items);
      if (e.postcode || e.place) return findNearest(t, { text: e.postcode ?? e.place! }, null);
      return false;
  }
}



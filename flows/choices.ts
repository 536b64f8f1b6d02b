/** Choice ids (buttons, numbered replies, keypad digits) and what they lead to. */
import { CATEGORIES, type Category } from '../catalog/types.ts';
import { showCategories, showMore, showOffer, showOffers } from './browse.ts';
import { setLine, showCart, summary } from './cart.ts';
import { repeatLastOrder, startCheckout } from './checkout.ts';
import { customerMenu, greet, mainMenu, offerHuman } from './menu.ts';
import { askName } from './onboarding.ts';
import { askCancel, editOrder, showOrder, showOrders } from './orders.ts';
import { handlePending } from './pending.ts';
import { choosePickupPoint, listPickupPoints } from './pickup.ts';
import { showMyOffers, showPickList, stockHelp } from './producer.ts';
import { askDelete, askPhone, setLanguage, setReminders, settingsMenu, showMyData } from './settings.ts';
import { markHandout, showHandoutList } from './staff.ts';
import type { Turn } from './turn.ts';

/** Handles one choice id; an unknown or stale id gets the menu again (returns false to count it). */
export async function handleChoice(t: Turn, id: string): Promise<boolean> {
  const [verb, arg = '', extra = ''] = id.split(':');
  const num = Number(arg);
  const pending = t.state.pending;
  if (pending && (await handlePending(t, { kind: 'choice', id }))) return true;
  if (t.role.kind === 'producer') {
    if (verb === 'stock_help') { stockHelp(t); return true; }
    if (verb === 'my_offers') { await showMyOffers(t); return true; }
    if (verb === 'picklist') { await showPickList(t); return true; }
  }
  if (t.role.kind === 'staff') {
    if (verb === 'handout') { await showHandoutList(t); return true; }
    if (verb === 'picked') { await markHandout(t, arg, 'picked_up'); return true; }
    if (verb === 'noshow') { await markHandout(t, arg, 'no_show'); return true; }
  }
  switch (verb) {
    case 'menu':
      t.settle();
      await mainMenu(t, { intro: false });
      return true;
    case 'bye':
      t.settle();
      t.say('common.bye');
      t.status = 'ended';
      return true;
    case 'browse':
      t.settle();
      await showCategories(t);
      return true;
    case 'more':
      await showMore(t);
      return true;
    case 'cat':
      if (!CATEGORIES.includes(arg as Category)) break;
      t.settle();
      await showOffers(t, { category: arg as Category });
      return true;
    case 'offer':
      t.settle();
      await showOffer(t, num);
      return true;
    case 'add':
      t.settle();
      await setLine(t, num, Number(extra), 'add');
      if (!t.state.pending) await summary(t);
      return true;
    case 'cart':
      t.settle();
      await showCart(t);
      return true;
    case 'clear':
      t.settle();
      t.state.cart = [];
      t.state.editOrderId = null;
      t.say('cart.cleared');
      await customerMenu(t, { intro: false });
      return true;
    case 'checkout':
      t.settle();
      await startCheckout(t);
      return true;
    case 'repeat_last':
      t.settle();
      await repeatLastOrder(t);
      return true;
    case 'orders':
      t.settle();
      await showOrders(t);
      return true;
    case 'order':
      await showOrder(t, num);
      return true;
    case 'cancel':
      await askCancel(t, num);
      return true;
    case 'change':
      await editOrder(t, num);
      return true;
    case 'pp': {
      const then = pending?.kind === 'pickup_point' ? pending.then : 'settings';
      await choosePickupPoint(t, num, then);
      return true;
    }
    case 'pickup':
      t.settle();
      await listPickupPoints(t);
      return true;
    case 'settings':
      t.settle();
      settingsMenu(t);
      return true;
    case 'rem':
      await setReminders(t, arg !== 'off', arg === 'call' ? 'call' : arg === 'sms' ? 'sms' : undefined);
      return true;
    case 'lang':
      if (arg !== 'de' && arg !== 'en') break;
      await setLanguage(t, arg);
      return true;
    case 'phone':
      askPhone(t);
      return true;
    case 'mydata':
      await showMyData(t);
      return true;
    case 'delete':
      askDelete(t);
      return true;
    case 'human':
      await offerHuman(t);
      return true;
    case 'help':
      t.settle();
      await greet(t);
      return true;
    case 'name':
      askName(t, null);
      return true;
  }
  t.say('common.staleButton');
  await mainMenu(t, { intro: false });
  return true;
}


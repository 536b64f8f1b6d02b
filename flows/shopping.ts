/**
 * A producer or pickup point's staff member who also buys: "Als Kundin/Kunde
 * bestellen" turns the conversation into a customer's until "Zurück zur
 * Arbeit". Who someone is still comes from their identity; the conversation
 * only remembers that they chose to shop (`state.shopping`).
 */
import type { Marketplace, Role } from '../catalog/marketplace.ts';
import { declareDialog, type Dialog } from './dialog.ts';
import { foldUmlauts } from './nlu/normalize.ts';
import type { ConversationState } from './state.ts';
import type { Turn } from './turn.ts';

/** The role a turn speaks in: a customer's while the person shops, else who they are. */
export async function actingRole(market: Marketplace, role: Role, state: ConversationState): Promise<Role> {
  if (role.kind === 'customer') {
    state.shopping = false;
    return role;
  }
  if (!state.shopping) return role;
  return { kind: 'customer', customer: state.customerId === null ? null : await market.customer(state.customerId) };
}

/** From now on this conversation is a customer's; `t.role` follows at once. */
export async function startShopping(t: Turn): Promise<void> {
  t.state.shopping = true;
  t.role = await actingRole(t.market, t.role, t.state);
}

const SHOP = /\b(als kund(in|e|\/in|in\/kunde)?|selbst|privat) (bestellen|einkaufen)\b|\b(shop|order) (as a customer|for myself)\b/;
const WORK = /\b(zurueck zur arbeit|als (erzeuger|abholstelle|mitarbeiterin?) weiter|back to work)\b/;

const shopping = declareDialog('shopping', {}).define({
  async begin(t) {
    if (t.role.kind === 'customer') {
      await t.mainMenu();
      return;
    }
    t.reset();
    await startShopping(t);
    t.say('shopping.asCustomer');
    await t.greet();
  },
  phrases: [
    {
      roles: ['producer', 'staff'],
      matches: (input) => SHOP.test(foldUmlauts(input.understanding.normalized)),
      async handle(t) {
        await t.begin('shopping');
        return true;
      },
    },
    {
      roles: ['customer'],
      matches: (input) => WORK.test(foldUmlauts(input.understanding.normalized)),
      async handle(t) {
        if (!t.state.shopping) return false;
        await t.begin('work');
        return true;
      },
    },
  ],
  choices: {},
  questions: {},
});

const work = declareDialog('work', {}).define({
  async begin(t) {
    t.reset();
    t.state.shopping = false;
    t.role = await t.market.identify(t.identity);
    if (t.role.kind === 'customer') {
      await t.mainMenu();
      return;
    }
    t.say('shopping.backAtWork');
    await t.mainMenu();
  },
  choices: {},
  questions: {},
});

export const shoppingDialogs: Dialog[] = [shopping, work];

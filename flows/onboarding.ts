/**
 * First contact: the privacy note with consent, a name for the pickup list, a
 * usual pickup point. Begun by the greeting, or by checkout, which gets `true`
 * back once the person is a customer (and `false` when they declined).
 */
import { yesNo, yesNoChoices } from './answers.ts';
import { args, declareDialog, oneOf, picked, type Answer } from './dialog.ts';
import { callIdentity } from './identity.ts';
import type { Understanding } from './nlu/types.ts';
import { tidySpokenName } from './text.ts';
import { label, type Turn } from './turn.ts';

const my = declareDialog('onboarding', {
  choices: { name: { use: oneOf(['skip', 'profile'] as const) } },
  questions: { consent: args(), name: args() },
});

/** One sentence on what we store and why, then yes or no. */
function askConsent(t: Turn): void {
  t.say('onboarding.privacy');
  t.offer(yesNoChoices('onboarding.agree', 'onboarding.decline'), 'yes_no');
  t.ask(my.question.consent, {}, 'yes_no');
}

/** The answer to the privacy note. Without consent one can still browse, but not order. */
async function answerConsent(t: Turn, agreed: boolean): Promise<void> {
  t.settle();
  if (!agreed) {
    t.say('onboarding.declined');
    await t.end(false, () => t.mainMenu());
    return;
  }
  // A caller with a withheld number who gave none orders under the call's own identity.
  const identity = t.identity ?? callIdentity(t);
  const customer = await t.market.registerCustomer(identity, { language: t.state.language, name: null });
  // A producer or staff member who orders: from now on this conversation is theirs as a customer.
  if (t.role.kind !== 'customer') {
    t.state.shopping = true;
    t.say('shopping.asCustomer');
  }
  t.role = { kind: 'customer', customer };
  t.state.customerId = customer.id;
  t.say('onboarding.thanks');
  askName(t);
}

function askName(t: Turn): void {
  // Ordering without a number, the name is all the pickup point can hand the order out by.
  const needed = t.identity?.kind === 'call';
  t.say(needed ? 'onboarding.askNameNoNumber' : t.spoken ? 'onboarding.askNameSpoken' : 'onboarding.askName');
  if (t.profileName) t.offer([my.choice.name.make({ use: 'profile' }, label('onboarding.useProfileName', { name: { raw: t.profileName.slice(0, 40) } }))], 'text');
  if (t.spoken && !needed) t.offer([my.choice.name.make({ use: 'skip' }, label('onboarding.skipName'))], 'text');
  t.ask(my.question.name, {}, 'text');
}

/** Stores the name (or none) and goes on: back to whoever began onboarding, else to the pickup point or the menu. */
async function answerName(t: Turn, name: string | null): Promise<void> {
  const customer = t.customer;
  t.settle();
  if (!customer) {
    // Only a customer has a name to store; whoever else answers is not left without a reply.
    await t.mainMenu();
    return;
  }
  if (name) {
    const updated = await t.market.updateCustomer(customer.id, { name });
    t.role = { kind: 'customer', customer: updated };
    t.say('onboarding.hello', { name: { raw: updated.name ?? '' } });
  }
  await t.end(true, async () => {
    if (customer.preferredPickupPointId === null) await t.begin('pickup', { ask: true });
    else await t.mainMenu({ intro: true });
  });
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

async function readName(t: Turn, input: Answer): Promise<boolean> {
  const button = picked(input, my.choice.name);
  if (button) {
    await answerName(t, button.use === 'profile' ? t.profileName : null);
    return true;
  }
  if (input.kind !== 'text') return false;
  const name = input.text.replace(/^(ich bin|ich heiße|ich heisse|mein name ist|hier ist|hier spricht|my name is|this is|i am|i'm)\s+/i, '');
  if (!looksLikeName(name, input.understanding)) return false;
  // Written, a name stays as the person typed it; heard, it is tidied as they would write it.
  await answerName(t, t.spoken ? tidySpokenName(name) : name);
  return true;
}

export const onboarding = my.define({
  begin: (t) => askConsent(t),
  choices: {
    // A name button pressed after the name was given: nothing left to answer.
    name: { handle: (t) => t.stale() },
  },
  questions: {
    consent: {
      async answer(t, input) {
        const yes = yesNo(input);
        if (yes === null) return false;
        await answerConsent(t, yes);
        return true;
      },
      prompt: askConsent,
    },
    name: { answer: readName, prompt: askName },
  },
});

/** What the job tests share: the demo week on a real app, the Bot API double, Twilio under nock, customers with orders. */
import type { Repositories } from '../../../catalog/ports.ts';
import type { Customer, Identity, Order, PickupPointKind, PickupSlot, ReminderChannel } from '../../../catalog/types.ts';
import type { BotApiDouble } from '../../doubles/telegram-bot-api.ts';
import { TEST_AUTH_TOKEN, TEST_PUBLIC_URL } from '../../helpers/twilio.ts';

export const ACCOUNT_SID = `AC${'0'.repeat(32)}`;
export const VOICE_FROM = '+4935461000000';
export const WHATSAPP_FROM = 'whatsapp:+4935461000001';
export const MESSAGES_PATH = `/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`;
export const CALLS_PATH = `/2010-04-01/Accounts/${ACCOUNT_SID}/Calls.json`;
export const TWILIO_ORIGIN = 'https://api.twilio.com';

/** Every channel on: Telegram against the double, Twilio (SMS, WhatsApp, calls) against nock. */
export function jobsEnv(api: BotApiDouble, extra: Record<string, string> = {}): Record<string, string> {
  return {
    TELEGRAM_BOT_TOKEN: api.token,
    TELEGRAM_API_ROOT: api.apiRoot,
    TELEGRAM_WEBHOOK_SECRET: 'geheim',
    TWILIO_ACCOUNT_SID: ACCOUNT_SID,
    TWILIO_AUTH_TOKEN: TEST_AUTH_TOKEN,
    TWILIO_VOICE_FROM: VOICE_FROM,
    TWILIO_WHATSAPP_FROM: WHATSAPP_FROM,
    PUBLIC_URL: TEST_PUBLIC_URL,
    ...extra,
  };
}

export interface CustomerOptions {
  identity: Identity;
  reminderChannel?: ReminderChannel | null;
  weeklyNews?: boolean;
  language?: Customer['language'];
}

export async function addCustomer(repos: Repositories, options: CustomerOptions): Promise<Customer> {
  const customer = await repos.customers.create({ name: 'Erna', identity: options.identity, language: options.language });
  return repos.customers.update(customer.id, { reminderChannel: options.reminderChannel ?? null, weeklyNews: options.weeklyNews ?? false });
}

/** An order of one step of the first offer in stock, at the first slot of a pickup point of a kind or with an id. */
export async function placeOrder(
  repos: Repositories, customer: Customer, at: Date, where: PickupPointKind | { pointId: number } = 'farm_shop',
): Promise<{ order: Order; slot: PickupSlot }> {
  const cycle = (await repos.cycles.current(at))!;
  const points = new Map((await repos.pickupPoints.list()).map((point) => [point.id, point]));
  const wanted = (pointId: number) => (typeof where === 'string' ? points.get(pointId)?.kind === where : pointId === where.pointId);
  const slot = (await repos.cycles.slots(cycle.id)).find((candidate) => wanted(candidate.pickupPointId))!;
  const offer = (await repos.offers.list(cycle.id, { inStock: true }))[0];
  const order = await repos.orders.place({
    customerId: customer.id, cycleId: cycle.id, pickupPointId: slot.pickupPointId, pickupFrom: slot.from, pickupTo: slot.to,
    channel: 'telegram', createdAt: at,
    items: [{ offerId: offer.id, productId: offer.productId, productName: offer.productName, producerName: offer.producerName, unit: offer.unit, quantity: offer.step, unitPriceCents: offer.priceCents }],
  });
  return { order, slot };
}

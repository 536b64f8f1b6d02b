/**
 * The lists people work from once ordering has closed: each producer's pick
 * list (what to bring to which pickup point) and each pickup point's handout
 * list (whose order, which code, what is in it). Written in German, rendered
 * when enqueued so that the list is the one of the cutoff, and keyed per
 * cycle and recipient so that a replay never sends one twice.
 */
import type { NewOutboxMessage, OutboxKind, OutboxRecipient } from '../../catalog/outbox.ts';
import type { HandoutEntry, PickListRow, Repositories } from '../../catalog/ports.ts';
import { workRecipient } from '../../catalog/weekly.ts';
import type { OrderCycle } from '../../catalog/types.ts';
import type { ReplyParam } from '../../flows/index.ts';

/** German written text of a `jobs` message; lists are for people at work in the Spreewald. */
export type ListText = (key: string, params: Record<string, ReplyParam>) => string;

const pickListLine = (text: ListText, row: PickListRow): string =>
  text('jobs:picklist.line', { quantity: { quantity: row.quantity, unit: row.unit }, product: row.productName, place: row.pickupPointName });

const handoutLine = (text: ListText, entry: HandoutEntry): string =>
  text('jobs:handoutList.line', {
    code: entry.orderCode,
    name: entry.customerName ?? '–',
    items: entry.items
      .map((item) => text('jobs:handoutList.item', { quantity: { quantity: item.quantity, unit: item.unit }, product: item.productName }))
      .join(', '),
    total: { money: entry.totalCents },
  });

/** When every pickup of the cycle is over, the lists have nothing left to say. */
async function lastPickupEnd(repos: Repositories, cycle: OrderCycle): Promise<Date | null> {
  const ends = (await repos.cycles.slots(cycle.id)).map((slot) => slot.to.getTime());
  return ends.length === 0 ? null : new Date(Math.max(...ends));
}

function listMessage(
  kind: OutboxKind, cycle: OrderCycle, ownerId: number, recipient: OutboxRecipient, params: Record<string, string>, now: Date, notAfter: Date,
): NewOutboxMessage {
  return {
    key: `${kind}:${cycle.id}:${ownerId}`,
    kind,
    customerId: null,
    recipient,
    language: 'de',
    payload: { key: kind === 'picklist' ? 'picklist.message' : 'handoutList.message', params: { cycle: cycle.label, ...params } },
    dueAt: now,
    notAfter,
  };
}

/**
 * Once the cycle is closed (at its cutoff or by hand) and until its last
 * pickup: a pick list to every producer with something ordered, a handout
 * list to every staff member of a pickup point with orders. Returns how many
 * were new.
 */
export async function planCutoffLists(repos: Repositories, cycle: OrderCycle, now: Date, text: ListText): Promise<number> {
  if (cycle.status !== 'closed') return 0;
  const notAfter = await lastPickupEnd(repos, cycle);
  if (notAfter === null || now >= notAfter) return 0;
  const messages: NewOutboxMessage[] = [];
  for (const producer of await repos.producers.list()) {
    const recipient = workRecipient(producer);
    const rows = await repos.orders.pickList(cycle.id, producer.id);
    if (!recipient || rows.length === 0) continue;
    messages.push(listMessage('picklist', cycle, producer.id, recipient, { producer: producer.name, lines: rows.map((row) => pickListLine(text, row)).join('\n') }, now, notAfter));
  }
  for (const point of await repos.pickupPoints.list()) {
    const staff = await repos.staff.listByPickupPoint(point.id);
    if (staff.length === 0) continue;
    const entries = await repos.orders.handoutList(cycle.id, point.id);
    if (entries.length === 0) continue;
    const params = { place: point.name, count: String(entries.length), lines: entries.map((entry) => handoutLine(text, entry)).join('\n') };
    for (const member of staff) {
      const recipient = workRecipient(member);
      if (recipient) messages.push(listMessage('handout_list', cycle, member.id, recipient, params, now, notAfter));
    }
  }
  return repos.outbox.enqueue(messages);
}

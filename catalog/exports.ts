/** Orders of a cycle as plain records, for `marktbote orders export` and the cutoff lists. */
import type { Repositories } from './ports.ts';
import { isoWithOffset } from './time.ts';
import type { OrderStatus, Unit } from './types.ts';

export interface OrderExport {
  code: string;
  status: OrderStatus;
  channel: string;
  createdAt: string;
  customer: { name: string | null; phone: string | null; telegramId: string | null };
  pickupPoint: { name: string; place: string };
  pickupFrom: string;
  pickupTo: string;
  items: Array<{ product: string; producer: string; quantity: number; unit: Unit; unitPriceCents: number }>;
  totalCents: number;
}

export async function exportOrders(repos: Repositories, cycleId: number): Promise<OrderExport[]> {
  const points = new Map((await repos.pickupPoints.list()).map((p) => [p.id, p]));
  const customers = new Map<number, Awaited<ReturnType<Repositories['customers']['get']>>>();
  const rows: OrderExport[] = [];
  for (const order of await repos.orders.listByCycle(cycleId)) {
    if (!customers.has(order.customerId)) customers.set(order.customerId, await repos.customers.get(order.customerId));
    const customer = customers.get(order.customerId);
    const identity = (kind: string) => customer?.identities.find((i) => i.kind === kind)?.value ?? null;
    const point = points.get(order.pickupPointId);
    rows.push({
      code: order.code,
      status: order.status,
      channel: order.channel,
      createdAt: isoWithOffset(order.createdAt),
      customer: { name: customer?.name ?? null, phone: identity('phone') ?? identity('whatsapp'), telegramId: identity('telegram') },
      pickupPoint: { name: point?.name ?? '', place: point?.place ?? '' },
      pickupFrom: isoWithOffset(order.pickupFrom),
      pickupTo: isoWithOffset(order.pickupTo),
      items: order.items.map((i) => ({ product: i.productName, producer: i.producerName, quantity: i.quantity, unit: i.unit, unitPriceCents: i.unitPriceCents })),
      totalCents: order.totalCents,
    });
  }
  return rows;
}

const CSV_COLUMNS = [
  'code', 'status', 'channel', 'createdAt', 'customerName', 'customerPhone', 'customerTelegramId', 'pickupPoint',
  'pickupPlace', 'pickupFrom', 'pickupTo', 'product', 'producer', 'quantity', 'unit', 'unitPriceCents', 'totalCents',
] as const;

function csvField(value: string | number | null): string {
  const text = value === null ? '' : String(value);
  // Quote what would break the row, and neutralise spreadsheet formulas.
  const safe = /^(=|@|[+\-](?!\d))/.test(text) && typeof value === 'string' ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The same content as CSV, one row per item. */
export function ordersToCsv(rows: OrderExport[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const row of rows) {
    for (const item of row.items) {
      lines.push([
        row.code, row.status, row.channel, row.createdAt, row.customer.name, row.customer.phone, row.customer.telegramId,
        row.pickupPoint.name, row.pickupPoint.place, row.pickupFrom, row.pickupTo, item.product, item.producer,
        item.quantity, item.unit, item.unitPriceCents, row.totalCents,
      ].map(csvField).join(','));
    }
  }
  return `${lines.join('\n')}\n`;
}

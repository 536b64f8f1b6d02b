/**
 * The weekly rhythm of the market: when ordering opens, when it closes, and on
 * which days orders are handed out. All of it is local time in Europe/Berlin.
 */
import type { NewCycle } from './ports.ts';
import type { PickupPoint } from './types.ts';
import { atWeekday, formatClockTime, isoWeekLabel, parseClockTime, startOfLocalWeek } from './time.ts';

/** A weekday (ISO, 1 = Monday) and a clock time "HH:MM". */
export interface WeeklyMoment {
  weekday: number;
  time: string;
}

export interface CycleRhythm {
  opens: WeeklyMoment;
  cutoff: WeeklyMoment;
  /** ISO weekdays on which pickup points hand out orders, e.g. [5, 6]. */
  pickupDays: number[];
}

/** Ordering opens Monday 06:00, closes Wednesday 18:00; pickup on Friday and Saturday. */
export const DEFAULT_RHYTHM: CycleRhythm = {
  opens: { weekday: 1, time: '06:00' },
  cutoff: { weekday: 3, time: '18:00' },
  pickupDays: [5, 6],
};

const WEEKDAY_CODES = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** English and German names, short and long, as an operator might type them. */
const WEEKDAY_NAMES: Record<string, number> = Object.fromEntries(
  [
    ['mon', 'monday', 'mo', 'montag'],
    ['tue', 'tuesday', 'di', 'dienstag'],
    ['wed', 'wednesday', 'mi', 'mittwoch'],
    ['thu', 'thursday', 'do', 'donnerstag'],
    ['fri', 'friday', 'fr', 'freitag'],
    ['sat', 'saturday', 'sa', 'samstag', 'sonnabend'],
    ['sun', 'sunday', 'so', 'sonntag'],
  ].flatMap((names, index) => names.map((name) => [name, index + 1])),
);

function parseWeekday(text: string, where: string): number {
  const weekday = WEEKDAY_NAMES[text.trim().toLowerCase()];
  if (weekday === undefined) {
    throw new Error(`Invalid rhythm: unknown weekday "${text.trim()}" in ${where} (expected Mon, Tue, Wed, Thu, Fri, Sat or Sun)`);
  }
  return weekday;
}

function parseMoment(text: string, where: string): WeeklyMoment {
  const match = /^(\S+)\s+(\S+)$/.exec(text.trim());
  if (!match) throw new Error(`Invalid rhythm: ${where} must be "<weekday> HH:MM", e.g. "Wed 18:00", got "${text.trim()}"`);
  const weekday = parseWeekday(match[1], where);
  try {
    const { hour, minute } = parseClockTime(match[2]);
    return { weekday, time: formatClockTime(hour, minute) };
  } catch (error) {
    throw new Error(`Invalid rhythm: ${where}: ${(error as Error).message}`);
  }
}

const minuteOfWeek = (moment: WeeklyMoment): number => {
  const { hour, minute } = parseClockTime(moment.time);
  return (moment.weekday - 1) * 24 * 60 + hour * 60 + minute;
};

/**
 * Parses the configured rhythm, e.g. "opens=Mon 06:00; cutoff=Wed 18:00; pickup=Fri,Sat".
 * All three parts are required; throws an Error that names the faulty part.
 */
export function parseRhythm(text: string): CycleRhythm {
  const parts = new Map<string, string>();
  for (const segment of text.split(';').map((s) => s.trim()).filter(Boolean)) {
    const match = /^(\w+)\s*=\s*(.+)$/.exec(segment);
    if (!match) throw new Error(`Invalid rhythm: "${segment}" is not key=value`);
    const key = match[1].toLowerCase();
    if (!['opens', 'cutoff', 'pickup'].includes(key)) {
      throw new Error(`Invalid rhythm: unknown key "${match[1]}" (expected opens, cutoff and pickup)`);
    }
    if (parts.has(key)) throw new Error(`Invalid rhythm: "${key}" is given twice`);
    parts.set(key, match[2]);
  }
  for (const key of ['opens', 'cutoff', 'pickup']) {
    if (!parts.has(key)) throw new Error(`Invalid rhythm: "${key}" is missing in "${text}"`);
  }
  const opens = parseMoment(parts.get('opens')!, 'opens');
  const cutoff = parseMoment(parts.get('cutoff')!, 'cutoff');
  const pickupDays = parts.get('pickup')!.split(',').map((day) => parseWeekday(day, 'pickup'));
  if (new Set(pickupDays).size !== pickupDays.length) throw new Error('Invalid rhythm: a pickup day is given twice');
  const rhythm = { opens, cutoff, pickupDays: [...pickupDays].sort((a, b) => a - b) };
  validateRhythm(rhythm);
  return rhythm;
}

/** Throws unless ordering opens before the cutoff and every pickup day is on or after the cutoff's day, within one week. */
export function validateRhythm(rhythm: CycleRhythm): void {
  if (minuteOfWeek(rhythm.opens) >= minuteOfWeek(rhythm.cutoff)) {
    throw new Error(`Invalid rhythm: ordering must open before the cutoff within the week (opens ${formatMoment(rhythm.opens)}, cutoff ${formatMoment(rhythm.cutoff)})`);
  }
  if (rhythm.pickupDays.length === 0) throw new Error('Invalid rhythm: at least one pickup day is needed');
  const early = rhythm.pickupDays.find((day) => day < rhythm.cutoff.weekday);
  if (early !== undefined) {
    throw new Error(`Invalid rhythm: pickup day ${WEEKDAY_CODES[early - 1]} comes before the cutoff ${formatMoment(rhythm.cutoff)}`);
  }
}

const formatMoment = (moment: WeeklyMoment): string => `${WEEKDAY_CODES[moment.weekday - 1]} ${moment.time}`;

/** The rhythm in the form `parseRhythm` reads. */
export function formatRhythm(rhythm: CycleRhythm): string {
  const pickup = rhythm.pickupDays.map((day) => WEEKDAY_CODES[day - 1]).join(',');
  return `opens=${formatMoment(rhythm.opens)}; cutoff=${formatMoment(rhythm.cutoff)}; pickup=${pickup}`;
}

/**
 * The cycle of the local week (Monday–Sunday, Berlin) that contains `at`: its
 * ISO-week label, opening and cutoff, and one slot per pickup point and window
 * on a pickup day. A van stop's windows are its own stop times, so they need no
 * special case. A window that would start before the cutoff is left out: goods
 * are not handed out before ordering has closed.
 */
export function planCycle(rhythm: CycleRhythm, at: Date, pickupPoints: PickupPoint[]): NewCycle {
  const weekStart = startOfLocalWeek(at);
  const cutoffAt = atWeekday(weekStart, rhythm.cutoff.weekday, rhythm.cutoff.time);
  const slots = pickupPoints
    .flatMap((point) =>
      point.windows
        .filter((window) => rhythm.pickupDays.includes(window.weekday))
        .map((window) => ({
          pickupPointId: point.id,
          from: atWeekday(weekStart, window.weekday, window.from),
          to: atWeekday(weekStart, window.weekday, window.to),
        })),
    )
    .filter((slot) => slot.from >= cutoffAt)
    .sort((a, b) => a.from.getTime() - b.from.getTime() || a.pickupPointId - b.pickupPointId);
  return {
    label: isoWeekLabel(weekStart),
    opensAt: atWeekday(weekStart, rhythm.opens.weekday, rhythm.opens.time),
    cutoffAt,
    slots,
  };
}

/** A pickup window of one point: a cycle's stored slot or a planned one. */
type SlotTimes = { pickupPointId: number; from: Date; to: Date };

/** The earliest slot of the pickup point that has not ended at `at`, or null. */
export function nextSlotFor<S extends SlotTimes>(slots: S[], pickupPointId: number, at: Date): S | null {
  return slots
    .filter((slot) => slot.pickupPointId === pickupPointId && slot.to > at)
    .reduce<S | null>((best, slot) => (best === null || slot.from < best.from ? slot : best), null);
}

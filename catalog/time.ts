/**
 * Wall-clock time in Europe/Berlin and its conversion to and from UTC instants.
 *
 * Cutoffs, opening times and pickup windows are agreed in local time ("Mittwoch
 * 18 Uhr") and must stay there across the DST changes, while storage keeps UTC.
 * Only `Intl` is used, so the domain needs no date library.
 */

export const BERLIN = 'Europe/Berlin';

/** A wall-clock minute in some time zone; month 1–12. */
export interface LocalDateTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

/** A wall-clock minute with its ISO weekday (1 = Monday … 7 = Sunday). */
export interface ZonedDateTime extends LocalDateTime {
  weekday: number;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(tz: string): Intl.DateTimeFormat {
  let formatter = formatters.get(tz);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
    formatters.set(tz, formatter);
  }
  return formatter;
}

/** ISO weekday of a calendar date, independent of any time zone. */
function isoWeekday(year: number, month: number, day: number): number {
  const sundayBased = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  return sundayBased === 0 ? 7 : sundayBased;
}

// A phone turn asks for the wall clock a dozen times (office hours, cutoff, pickup days), mostly of the
// same few minutes; Intl's formatToParts costs ~8 µs each. Every zone offset in use since 1972 is whole minutes,
// so the answer for a UTC minute holds for every instant in it.
const zonedMinutes = new Map<string, Readonly<ZonedDateTime>>();
const ZONED_MINUTES_KEPT = 512;

/** The wall clock in `tz` at instant `date`. */
export function utcToZoned(date: Date, tz: string = BERLIN): Readonly<ZonedDateTime> {
  const key = `${tz} ${Math.floor(date.getTime() / MINUTE_MS)}`;
  const known = zonedMinutes.get(key);
  if (known) return known;
  const fields: Record<string, number> = {};
  for (const part of formatterFor(tz).formatToParts(date)) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  const { year, month, day, hour, minute } = fields;
  const zoned = Object.freeze({ year, month, day, hour, minute, weekday: isoWeekday(year, month, day) });
  if (zonedMinutes.size >= ZONED_MINUTES_KEPT) zonedMinutes.clear();
  zonedMinutes.set(key, zoned);
  return zoned;
}

/** Minutes `tz` is ahead of UTC at instant `date` (Berlin: 60 in winter, 120 in summer). */
export function offsetMinutes(date: Date, tz: string = BERLIN): number {
  const local = utcToZoned(date, tz);
  const wallAsUtc = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute);
  const wholeMinute = Math.floor(date.getTime() / MINUTE_MS) * MINUTE_MS;
  return Math.round((wallAsUtc - wholeMinute) / MINUTE_MS);
}

function sameWallClock(a: LocalDateTime, b: LocalDateTime): boolean {
  return a.year === b.year && a.month === b.month && a.day === b.day && a.hour === b.hour && a.minute === b.minute;
}

/**
 * The instant at which the wall clock in `tz` shows `local`.
 *
 * Around DST changes we follow what people mean by a time that is said aloud:
 * - a time in the spring gap (02:30 on the last Sunday of March does not exist)
 *   moves forward by the gap, to 03:30 summer time;
 * - a time in the repeated autumn hour (02:30 on the last Sunday of October
 *   happens twice) is its first occurrence, still in summer time.
 */
export function zonedTimeToUtc(local: LocalDateTime, tz: string = BERLIN): Date {
  const wallAsUtc = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute);
  // Zones change offset at most once within a day, so the offsets half a day
  // either side are the only candidates.
  const offsetBefore = offsetMinutes(new Date(wallAsUtc - 12 * HOUR_MS), tz);
  const offsetAfter = offsetMinutes(new Date(wallAsUtc + 12 * HOUR_MS), tz);
  const matches = [offsetBefore, offsetAfter]
    .map((offset) => wallAsUtc - offset * MINUTE_MS)
    .filter((instant) => sameWallClock(utcToZoned(new Date(instant), tz), local))
    .sort((a, b) => a - b);
  // No match: the time lies in a gap. Reading it with the offset from before
  // the gap lands the same distance after the gap's end.
  return new Date(matches[0] ?? wallAsUtc - offsetBefore * MINUTE_MS);
}

/** The calendar date `days` after the given one (negative: before), month and year overflow handled. */
function shiftDate(year: number, month: number, day: number, days: number): { year: number; month: number; day: number } {
  const shifted = new Date(Date.UTC(year, month - 1, day + days));
  return { year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate() };
}

/** Same wall-clock time `days` calendar days later in `tz`: a week is 167, 168 or 169 hours. */
export function addLocalDays(date: Date, days: number, tz: string = BERLIN): Date {
  const local = utcToZoned(date, tz);
  return zonedTimeToUtc({ ...local, ...shiftDate(local.year, local.month, local.day, days) }, tz);
}

/** Monday 00:00 in `tz` of the week that contains `date`. */
export function startOfLocalWeek(date: Date, tz: string = BERLIN): Date {
  const local = utcToZoned(date, tz);
  const monday = shiftDate(local.year, local.month, local.day, 1 - local.weekday);
  return zonedTimeToUtc({ ...monday, hour: 0, minute: 0 }, tz);
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** A clock time as "HH:MM". */
export const formatClockTime = (hour: number, minute: number): string => `${pad2(hour)}:${pad2(minute)}`;

/** The local calendar date in `tz` as "2026-12-04". */
export function localDateKey(date: Date, tz: string = BERLIN): string {
  const { year, month, day } = utcToZoned(date, tz);
  return `${year}-${pad2(month)}-${pad2(day)}`;
}

/** ISO 8601 with the zone's offset, e.g. "2026-12-04T15:00:00+01:00". */
export function isoWithOffset(date: Date, tz: string = BERLIN): string {
  const { hour, minute } = utcToZoned(date, tz);
  const offset = offsetMinutes(date, tz);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  const seconds = pad2(date.getUTCSeconds());
  return `${localDateKey(date, tz)}T${formatClockTime(hour, minute)}:${seconds}${sign}${formatClockTime(Math.floor(abs / 60), abs % 60)}`;
}

/** The ISO week of the local date in `tz`, e.g. "2026-W49" (weeks start Monday; week 1 holds the year's first Thursday). */
export function isoWeekLabel(date: Date, tz: string = BERLIN): string {
  const local = utcToZoned(date, tz);
  const thursday = shiftDate(local.year, local.month, local.day, 4 - local.weekday);
  const dayOfYear = (Date.UTC(thursday.year, thursday.month - 1, thursday.day) - Date.UTC(thursday.year, 0, 1)) / (24 * HOUR_MS);
  return `${thursday.year}-W${pad2(Math.floor(dayOfYear / 7) + 1)}`;
}

/** Parses a clock time "HH:MM" (00:00–23:59, "6:00" too); throws on anything else. */
export function parseClockTime(text: string): { hour: number; minute: number } {
  const match = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(text.trim());
  if (!match) throw new Error(`Invalid time "${text}": expected HH:MM between 00:00 and 23:59`);
  return { hour: Number(match[1]), minute: Number(match[2]) };
}

/** The instant of a weekday and clock time in the local week that begins at `weekStart` (a Monday 00:00 local). */
export function atWeekday(weekStart: Date, weekday: number, time: string, tz: string = BERLIN): Date {
  const monday = utcToZoned(weekStart, tz);
  return zonedTimeToUtc({ ...shiftDate(monday.year, monday.month, monday.day, weekday - 1), ...parseClockTime(time) }, tz);
}

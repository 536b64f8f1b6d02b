/**
 * The marketplace office's hours: when a caller can be put through to a
 * person, and how the hours are said. The operator writes them as
 * "Mo-Fr 08:00-16:00; Sa 09:00-12:00"; they are read on the Berlin wall clock.
 */
import { addLocalDays, utcToZoned, zonedTimeToUtc } from './time.ts';
import type { Language } from './types.ts';

export interface OfficeHoursRange {
  /** ISO weekday, 1 = Monday … 7 = Sunday. */
  firstDay: number;
  lastDay: number;
  /** Minutes after midnight, Europe/Berlin; `to` is exclusive. */
  from: number;
  to: number;
}

export interface OfficeHours {
  ranges: OfficeHoursRange[];
  /** The operator's own spelling, for logs and written channels. */
  source: string;
}

const DAY_ABBREVIATIONS: Record<string, number> = {
  mo: 1, di: 2, tu: 2, mi: 3, we: 3, do: 4, th: 4, fr: 5, sa: 6, so: 7, su: 7,
};

const HOURS_RANGE = /^([a-z]{2})(?:\s*-\s*([a-z]{2}))?\s+(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$/i;

/** Parses "Mo-Fr 08:00-16:00; Sa 09:00-12:00" (German or English day abbreviations); null when malformed. */
export function parseOfficeHours(source: string): OfficeHours | null {
  const ranges: OfficeHoursRange[] = [];
  for (const part of source.split(/[;,]/)) {
    const match = HOURS_RANGE.exec(part.trim());
    if (!match) return null;
    const [, first, last, fromHour, fromMinute, toHour, toMinute] = match;
    const firstDay = DAY_ABBREVIATIONS[first.toLowerCase()];
    const lastDay = last === undefined ? firstDay : DAY_ABBREVIATIONS[last.toLowerCase()];
    const from = Number(fromHour) * 60 + Number(fromMinute);
    const to = Number(toHour) * 60 + Number(toMinute);
    if (!firstDay || !lastDay || Number(fromMinute) > 59 || Number(toMinute) > 59 || to > 24 * 60 || from >= to) {
      return null;
    }
    ranges.push({ firstDay, lastDay, from, to });
  }
  return { ranges, source: source.trim() };
}

function coversDay(range: OfficeHoursRange, day: number): boolean {
  // A range such as "Sa-Mo" wraps over the end of the week.
  return range.firstDay <= range.lastDay
    ? day >= range.firstDay && day <= range.lastDay
    : day >= range.firstDay || day <= range.lastDay;
}

/** True when the office is staffed at `at`, read on the wall clock in Europe/Berlin. */
export function officeOpen(hours: OfficeHours, at: Date): boolean {
  const { weekday, hour, minute } = utcToZoned(at);
  const minuteOfDay = hour * 60 + minute;
  return hours.ranges.some((range) => coversDay(range, weekday) && minuteOfDay >= range.from && minuteOfDay < range.to);
}

/** The next moment the office opens after `at` (within a week), or null when it never opens. */
export function nextOpening(hours: OfficeHours, at: Date): Date | null {
  for (let days = 0; days <= 7; days += 1) {
    const { year, month, day, weekday } = utcToZoned(addLocalDays(at, days));
    const starts = hours.ranges
      .filter((range) => coversDay(range, weekday))
      .map((range) => zonedTimeToUtc({ year, month, day, hour: Math.floor(range.from / 60), minute: range.from % 60 }))
      .filter((start) => start > at)
      .sort((a, b) => a.getTime() - b.getTime());
    if (starts.length > 0) return starts[0];
  }
  return null;
}

/** Renders the `channels:hours.*` phrases in a language; the locales word the ranges. */
export type HoursText = (language: Language, key: string, params?: Record<string, string | number>) => string;

/** An ISO weekday's name, "Freitag" or "Friday". */
export function weekdayName(day: number, language: Language): string {
  // 1 January 2024 was a Monday.
  return new Intl.DateTimeFormat(language, { weekday: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(2024, 0, day)));
}

/** A time of day as people say it: "16" (before "Uhr") or "8:30"; "4 pm" in English. */
export function clockTime(minutes: number, language: Language): string {
  const date = new Date(Date.UTC(2024, 0, 1, Math.floor(minutes / 60), minutes % 60));
  const withMinutes = minutes % 60 !== 0;
  if (language === 'de') {
    // "16" reads as "sechzehn" before the locale's "Uhr"; "8:30" as "acht Uhr dreißig".
    return withMinutes ? `${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, '0')}` : String(minutes / 60);
  }
  return new Intl.DateTimeFormat('en-GB', {
    hour: 'numeric',
    minute: withMinutes ? '2-digit' : undefined,
    hourCycle: 'h12',
    timeZone: 'UTC',
  }).format(date);
}

/** The office hours as a sentence fragment a person can listen to, e.g. "Montag bis Freitag von 8 bis 16 Uhr". */
export function describeOfficeHours(hours: OfficeHours, language: Language, text: HoursText): string {
  const ranges = hours.ranges.map((range) => {
    const days =
      range.firstDay === range.lastDay
        ? weekdayName(range.firstDay, language)
        : text(language, 'channels:hours.dayRange', {
            from: weekdayName(range.firstDay, language),
            to: weekdayName(range.lastDay, language),
          });
    return text(language, 'channels:hours.range', {
      days,
      from: clockTime(range.from, language),
      to: clockTime(range.to, language),
    });
  });
  return new Intl.ListFormat(language, { type: 'conjunction' }).format(ranges);
}

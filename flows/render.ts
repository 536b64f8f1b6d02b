/**
 * Turns message keys into text per locale and medium: written for chat,
 * spoken for the phone (no symbols, "3 Euro 50", "Freitag, den 4. Dezember").
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import i18next, { type i18n, type Resource } from 'i18next';
import { LANGUAGES, type Language } from '../catalog/types.ts';
import type { Medium, Reply, ReplyParam, TurnResult } from './types.ts';

const LOCALES_DIR = fileURLToPath(new URL('../locales/', import.meta.url));
const TIME_ZONE = 'Europe/Berlin';
/** Rendered texts kept; the cache starts afresh when full. */
const RENDER_CACHE_SIZE = 5000;

/** Reads every locales/<language>/<namespace>.json. */
export function loadLocaleResources(dir = LOCALES_DIR): Resource {
  const resources: Resource = {};
  for (const language of LANGUAGES) {
    resources[language] = {};
    for (const file of readdirSync(join(dir, language)).filter((f) => f.endsWith('.json'))) {
      resources[language][basename(file, '.json')] = JSON.parse(readFileSync(join(dir, language, file), 'utf8'));
    }
  }
  return resources;
}

export function createI18n(resources: Resource = loadLocaleResources()): i18n {
  const instance = i18next.createInstance();
  void instance.init({
    resources,
    lng: 'de',
    fallbackLng: 'de',
    supportedLngs: [...LANGUAGES],
    defaultNS: 'bot',
    ns: Object.keys(resources.de ?? {}),
    interpolation: { escapeValue: false },
    returnNull: false,
    initAsync: false,
  });
  return instance;
}

export interface RenderedText {
  messages: string[];
  choices: Array<{ id: string; label: string }>;
}

export interface Renderer {
  /** One message key in a language and medium. */
  text(language: Language, medium: Medium, key: string, params?: Record<string, ReplyParam>): string;
  turn(result: TurnResult, medium: Medium): RenderedText;
}

/**
 * "+4935461234567" → "0 3 5, 4 6, 1 2, 3 4, 5 6 7": the national number, the first three digits,
 * then pairs (a last group of three rather than a lone digit), each digit said on its own.
 */
export function spokenPhone(phone: string): string {
  const digits = phone.replace(/^\+49/, '0').replace(/^\+/, '00').replace(/\D/g, '');
  const groups: string[] = [digits.slice(0, 3)];
  let rest = digits.slice(3);
  while (rest.length > 0) {
    const take = rest.length === 3 ? 3 : 2;
    groups.push(rest.slice(0, take));
    rest = rest.slice(take);
  }
  return groups.map((group) => group.split('').join(' ')).join(', ');
}

const PICTOGRAPHS = /[\p{Extended_Pictographic}\u{FE0F}\u{200D}]/gu;

/** Removes what a voice would read out as noise: emoji, bold markers, bullets, symbols. */
export function speakable(text: string, and = 'und'): string {
  return text
    .replace(PICTOGRAPHS, '')
    .replace(/[*_#•→]/g, '')
    .replace(/\s*[–—]\s*/g, ', ')
    .replace(/&/g, ` ${and} `)
    .replace(/[ \t]+/g, ' ')
    .replace(/ +([.,!?])/g, '$1')
    .trim();
}

export function createRenderer(i18: i18n = createI18n()): Renderer {
  const formatters = new Map<string, Intl.DateTimeFormat>();
  const dateFormat = (language: Language, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat => {
    const id = `${language}:${JSON.stringify(options)}`;
    let format = formatters.get(id);
    if (!format) {
      format = new Intl.DateTimeFormat(language === 'de' ? 'de-DE' : 'en-GB', { timeZone: TIME_ZONE, ...options });
      formatters.set(id, format);
    }
    return format;
  };
  const t = (language: Language, medium: Medium, key: string, params: Record<string, unknown> = {}): string =>
    i18.t(key, { lng: language, ...params, ...(medium === 'spoken' ? { context: 'spoken' } : {}) }) as string;

  const numberFormats = new Map<string, Intl.NumberFormat>();
  const numberFormat = (language: Language, options: Intl.NumberFormatOptions): Intl.NumberFormat => {
    const id = `${language}:${JSON.stringify(options)}`;
    let format = numberFormats.get(id);
    if (!format) {
      format = new Intl.NumberFormat(language === 'de' ? 'de-DE' : 'en-GB', options);
      numberFormats.set(id, format);
    }
    return format;
  };

  function number(language: Language, value: number): string {
    return numberFormat(language, { maximumFractionDigits: 3 }).format(value);
  }

  function money(language: Language, medium: Medium, cents: number): string {
    const euros = Math.trunc(cents / 100);
    const rest = Math.abs(cents % 100);
    if (medium === 'written') {
      return numberFormat(language, { style: 'currency', currency: 'EUR' }).format(cents / 100);
    }
    return t(language, medium, rest === 0 ? 'format.moneyEuros' : euros === 0 ? 'format.moneyCents' : 'format.money', {
      euros, cents: rest, count: euros,
    });
  }

  function param(language: Language, medium: Medium, value: ReplyParam): string {
    if (typeof value === 'string') return value;
    if (typeof value === 'number') return number(language, value);
    if ('money' in value) return money(language, medium, value.money);
    if ('raw' in value) return value.raw;
    if ('digits' in value) return medium === 'spoken' ? value.digits.split('').join(' ') : value.digits;
    if ('phone' in value) return medium === 'spoken' ? spokenPhone(value.phone) : value.phone;
    if ('date' in value) {
      const date = new Date(value.date);
      return medium === 'spoken'
        ? t(language, medium, 'format.date', {
            weekday: dateFormat(language, { weekday: 'long' }).format(date),
            day: Number(dateFormat(language, { day: 'numeric' }).format(date).replace(/\D/g, '')),
            month: dateFormat(language, { month: 'long' }).format(date),
          })
        : dateFormat(language, { weekday: 'short', day: 'numeric', month: language === 'de' ? 'numeric' : 'short' }).format(date);
    }
    if ('time' in value) {
      const parts = dateFormat(language, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(value.time));
      const hour = Number(parts.find((p) => p.type === 'hour')?.value);
      const minute = Number(parts.find((p) => p.type === 'minute')?.value);
      if (medium === 'spoken') return t(language, medium, minute === 0 ? 'format.timeHour' : 'format.time', { hour, minute });
      return `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
    }
    if ('quantity' in value) {
      const unitText = t(language, medium, `units.${value.unit}`, { count: value.quantity });
      return `${number(language, value.quantity)} ${unitText}`;
    }
    if ('lines' in value) {
      return value.lines.map((line) => text(language, medium, line.key, line.params)).join(medium === 'spoken' ? ' ' : '\n');
    }
    if ('list' in value) {
      const items = value.list.map((item) => param(language, medium, item));
      if (items.length <= 1) return items.join('');
      return `${items.slice(0, -1).join(', ')} ${t(language, medium, 'format.and')} ${items[items.length - 1]}`;
    }
    return '';
  }

  // The same lines come back turn after turn (an offer, a price, a menu); texts are pure in their inputs.
  // Kept by language and medium, then by key: most texts (buttons, prompts) have no parameters, and their
  // key, parsed from the saved state or written in the code, is looked up as it is, with no id to build.
  const rendered = new Map<string, Map<string, string>>();
  let renderedCount = 0;

  function text(language: Language, medium: Medium, key: string, params?: Record<string, ReplyParam>): string {
    const scope = `${language}|${medium}`;
    let texts = rendered.get(scope);
    if (texts === undefined) {
      texts = new Map();
      rendered.set(scope, texts);
    }
    // No key contains "|", so a key alone never equals a key with its parameters.
    const id = params === undefined ? key : `${key}|${JSON.stringify(params)}`;
    let out = texts.get(id);
    if (out === undefined) {
      out = renderText(language, medium, key, params ?? {});
      if (renderedCount >= RENDER_CACHE_SIZE) {
        for (const kept of rendered.values()) kept.clear();
        renderedCount = 0;
      }
      texts.set(id, out);
      renderedCount += 1;
    }
    return out;
  }

  function renderText(language: Language, medium: Medium, key: string, params: Record<string, ReplyParam>): string {
    const values: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(params)) values[name] = param(language, medium, value);
    if (typeof params.count === 'number') values.count = params.count;
    const out = t(language, medium, key, values);
    return medium === 'spoken' ? speakable(out, t(language, medium, 'format.and')) : out;
  }

  const render = (language: Language, medium: Medium, reply: Reply): string =>
    text(language, medium, reply.key, reply.params);

  return {
    text,
    turn(result, medium) {
      return {
        messages: result.replies.map((reply) => render(result.language, medium, reply)).filter((m) => m.length > 0),
        choices: result.choices.map((c) => ({ id: c.id, label: render(result.language, medium, c.label) })),
      };
    },
  };
}

/**
 * The locale files stay in step: every language has the same messages with the
 * same placeholders, every domain error has a message, and what the phone reads
 * out holds nothing a voice would turn into noise.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DOMAIN_ERROR_CODES } from '../catalog/errors.ts';
import { LANGUAGES, type Language } from '../catalog/types.ts';

const LOCALES_DIR = fileURLToPath(new URL('../locales/', import.meta.url));
/** The language the others are translated from. */
const SOURCE: Language = LANGUAGES[0];
const TRANSLATIONS = LANGUAGES.filter((language) => language !== SOURCE);

const PLURAL_SUFFIX = /_(zero|one|two|few|many|other)$/;
/** flows/render.ts asks i18next for context `spoken` on the phone. */
const SPOKEN_SUFFIX = '_spoken';
const PLACEHOLDER = /\{\{\s*-?\s*([^\s,}]+)[^}]*\}\}/g;
const NOISE = /[•*€✓✗#]|\p{Extended_Pictographic}/u;

/** Leaf key path ("cart.summary_one") → text. */
type Messages = Map<string, string>;

function namespaces(): string[] {
  const names = new Set<string>();
  for (const language of LANGUAGES) {
    const dir = join(LOCALES_DIR, language);
    if (!existsSync(dir)) continue;
    for (const file of readdirSync(dir)) if (file.endsWith('.json')) names.add(file.slice(0, -'.json'.length));
  }
  return [...names].sort();
}

function localePath(language: Language, namespace: string): string {
  return join(LOCALES_DIR, language, `${namespace}.json`);
}

function flatten(tree: unknown, prefix: string, into: Messages): Messages {
  if (tree !== null && typeof tree === 'object' && !Array.isArray(tree)) {
    for (const [key, value] of Object.entries(tree)) flatten(value, prefix ? `${prefix}.${key}` : key, into);
  } else {
    into.set(prefix, typeof tree === 'string' ? tree : JSON.stringify(tree));
  }
  return into;
}

function load(language: Language, namespace: string): Messages {
  return flatten(JSON.parse(readFileSync(localePath(language, namespace), 'utf8')), '', new Map());
}

/** "Files missing" as readable lines, so a half-written translation fails with a clear message. */
function missingFiles(namespace: string): string[] {
  const present = LANGUAGES.filter((language) => existsSync(localePath(language, namespace)));
  return LANGUAGES.filter((language) => !present.includes(language)).map(
    (language) => `locales/${language}/${namespace}.json is missing (locales/${present.join(', locales/')} has it)`,
  );
}

interface KeyParts {
  base: string;
  spoken: boolean;
  plural: string | null;
}

function parts(key: string): KeyParts {
  let base = key;
  const plural = PLURAL_SUFFIX.exec(base)?.[1] ?? null;
  if (plural) base = base.slice(0, -(plural.length + 1));
  const spoken = base.endsWith(SPOKEN_SUFFIX);
  if (spoken) base = base.slice(0, -SPOKEN_SUFFIX.length);
  return { base, spoken, plural };
}

/**
 * The keys i18next tries after `key` itself (context, then plural, then bare):
 * `x_spoken_one` → `x_spoken`, `x_one`, `x`. A variant missing in a language is
 * harmless when one of these exists there.
 */
function fallbacks({ base, spoken, plural }: KeyParts): string[] {
  if (spoken && plural) return [`${base}${SPOKEN_SUFFIX}`, `${base}_${plural}`, base];
  return spoken || plural ? [base] : [];
}

function usesPluralCategory(language: Language, category: string): boolean {
  return (new Intl.PluralRules(language).resolvedOptions().pluralCategories as string[]).includes(category);
}

/** Keys of `from` that `to` lacks, except variants `to` can do without. */
function keysLacking(from: Messages, to: Messages, toLanguage: Language): string[] {
  return [...from.keys()].filter((key) => {
    if (to.has(key)) return false;
    const keyParts = parts(key);
    if (keyParts.plural && !usesPluralCategory(toLanguage, keyParts.plural)) return false;
    return !fallbacks(keyParts).some((fallback) => to.has(fallback));
  });
}

function placeholders(text: string): Set<string> {
  return new Set([...text.matchAll(PLACEHOLDER)].map((match) => match[1]));
}

function sameSet(a: Set<string>, b: Set<string>): boolean {
  return a.size === b.size && [...a].every((name) => b.has(name));
}

function isSpokenKey(key: string): boolean {
  const last = key.split('.').at(-1)!;
  const { base, spoken } = parts(last);
  return spoken || base === 'spoken' || base.endsWith('Spoken') || key.split('.').slice(0, -1).includes('voice');
}

/** Fails listing every problem, one a line. */
function expectNone(problems: string[]): void {
  expect(problems, problems.join('\n')).toEqual([]);
}

/** The source and a translation of one namespace; fails clearly when either file is missing. */
function loadPair(namespace: string, language: Language): { source: Messages; translation: Messages } {
  expectNone(missingFiles(namespace));
  return { source: load(SOURCE, namespace), translation: load(language, namespace) };
}

const NAMESPACES = namespaces();

describe('locale files', () => {
  it('include the bot texts and the error messages', () => {
    expect(NAMESPACES).toContain('bot');
    expect(NAMESPACES).toContain('errors');
  });

  describe.each(NAMESPACES)('%s.json', (namespace) => {
    it(`exists in ${LANGUAGES.join(' and ')}`, () => {
      expectNone(missingFiles(namespace));
    });

    it.each(TRANSLATIONS)(`has the same keys in ${SOURCE} and %s`, (language) => {
      const { source, translation } = loadPair(namespace, language);
      const problems = [
        ...keysLacking(source, translation, language).map((key) => `locales/${language}/${namespace}.json lacks ${key}`),
        ...keysLacking(translation, source, SOURCE).map((key) => `locales/${SOURCE}/${namespace}.json lacks ${key}`),
      ];
      expectNone(problems);
    });

    it.each(TRANSLATIONS)(`uses the same placeholders in ${SOURCE} and %s`, (language) => {
      const { source, translation } = loadPair(namespace, language);
      const problems: string[] = [];
      for (const [key, text] of source) {
        const translated = translation.get(key);
        if (translated === undefined) continue;
        const expected = placeholders(text);
        const actual = placeholders(translated);
        if (!sameSet(expected, actual)) {
          problems.push(`${namespace}:${key}: ${SOURCE} {${[...expected].join(', ')}} but ${language} {${[...actual].join(', ')}}`);
        }
      }
      expectNone(problems);
    });

    it.each([...LANGUAGES])('has nothing a voice would read as noise in spoken texts (%s)', (language) => {
      // A missing file is reported once, by the test above.
      if (!existsSync(localePath(language, namespace))) return;
      const problems = [...load(language, namespace)]
        .filter(([key, text]) => isSpokenKey(key) && NOISE.test(text))
        .map(([key, text]) => `${language}/${namespace}:${key}: ${text}`);
      expectNone(problems);
    });
  });
});

describe('domain error messages', () => {
  it.each([...LANGUAGES])('every error code has a message in %s', (language) => {
    const messages = load(language, 'errors');
    const missing = DOMAIN_ERROR_CODES.filter((code) => (messages.get(code) ?? '').trim() === '');
    expect(missing, `locales/${language}/errors.json has no message for ${missing.join(', ')}`).toEqual([]);
  });

  it.each([...LANGUAGES])('errors.json in %s holds only error codes and their variants', (language) => {
    const codes: readonly string[] = DOMAIN_ERROR_CODES;
    const strangers = [...load(language, 'errors').keys()].filter((key) => !codes.includes(parts(key).base));
    expect(strangers, `locales/${language}/errors.json has keys that are not error codes: ${strangers.join(', ')}`).toEqual([]);
  });
});

describe('the checks themselves', () => {
  it('tolerate a missing plural or spoken variant only when a fallback exists', () => {
    const de: Messages = new Map([
      ['units.kg_one', 'kg'], ['units.kg_spoken_one', 'Kilo'],
      ['cart.summary_one', '1 Produkt'], ['cart.summary_other', '{{count}} Produkte'],
      ['menu.checkout', 'Bestellen'], ['menu.checkout_spoken', 'Ihren Korb bestellen'],
      ['settings.myData', 'Meine Daten'],
    ]);
    const en: Messages = new Map([
      ['units.kg_one', 'kg'],
      ['cart.summary_other', '{{count}} products'], ['cart.summary_few', '{{count}} products'],
      ['menu.checkout', 'Order'],
    ]);
    expect(keysLacking(de, en, 'en')).toEqual(['cart.summary_one', 'settings.myData']);
    expect(keysLacking(en, de, 'de')).toEqual([]);
  });

  it('read placeholder names with formats and unescaping', () => {
    expect([...placeholders('{{hour}}:{{minute, number(minimumIntegerDigits: 2)}} {{- name}}')]).toEqual(['hour', 'minute', 'name']);
  });

  it('count as spoken the _spoken variants, …Spoken keys, help.spoken and voice texts', () => {
    expect(['a.b_spoken', 'units.kg_spoken_one', 'menu.promptSpoken', 'help.spoken', 'voice.withheld'].every(isSpokenKey)).toBe(true);
    expect(['menu.prompt', 'help.customer', 'units.kg_one', 'cart.line'].some(isSpokenKey)).toBe(false);
  });

  it('find noise in spoken text', () => {
    expect(['• Senfgurken', '3,50 €', 'Abgeholt ✓', 'Hallo 👋', 'drücken Sie #'].every((text) => NOISE.test(text))).toBe(true);
    expect(NOISE.test('Drücken Sie die 1 für Ja, 3 Euro 50.')).toBe(false);
  });
});

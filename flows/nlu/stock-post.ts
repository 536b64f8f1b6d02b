/**
 * A producer's stock post as farmers write it, read against the producer's own
 * product names:
 *
 *   Hallo, diese Woche hab ich:
 *   20 kg Kartoffeln je 2,50, 12 Gläser Honig 6 Euro; Eier 30 Stück 0,40
 *   Senfgurken ausverkauft
 *   Bio-Grünkohl 10 Bund à 1,80 (Allergene: keine)
 *   Gruß vom Hof
 *
 * One product per line or several (commas, semicolons, "und"); greetings,
 * headers and sign-offs are left out. A piece that holds one of the producer's
 * product names exactly, with nothing but amounts, prices and filler words
 * beside it, is that product; anything else is read as a name the producer has
 * not used yet, which is only ever a proposal (flows/producer.ts asks about each).
 */
import { baseFold, foldUmlauts } from './normalize.ts';
import { editDistance, editLimit } from './products.ts';
import { readPiece } from './stock-lines.ts';
import { readUnit } from './units.ts';
import type { Unit } from '../../catalog/types.ts';

/** One change a post proposes. */
export interface StockPostItem {
  lineNumber: number;
  /** The piece as written. */
  text: string;
  /** The producer's product this piece names exactly (as stored), or null. */
  known: string | null;
  /** The name as read when no product was named exactly; '' for a known product. */
  name: string;
  quantity: number | null;
  /** As written; null when no unit word was given. */
  unit: Unit | null;
  priceCents: number | null;
  packSize: string | null;
  /** Marked "Bio"/"Öko". */
  organic: boolean;
  allergens: string | null;
  ingredients: string | null;
}

export interface StockPostReading {
  /** "Wie letzte Woche", "alles wie letzte Woche, aber …": last week's post is the start. */
  likeLastWeek: boolean;
  items: StockPostItem[];
  /** Pieces that are neither a change nor small talk. */
  unread: Array<{ lineNumber: number; text: string }>;
}

// ---------------------------------------------------------------- words

const words = (list: string): Set<string> => new Set(list.split(/\s+/).filter(Boolean));

/** Greetings, headers and sign-offs; a line of these alone says nothing about stock. */
const CHATTER = words(`
  hallo hallochen moin hi hey servus tach guten tag morgen abend liebe lieber liebes leute alle allerseits zusammen
  kunden kundinnen kundschaft nachbarn hier ist sind kommt kommen mein meine unser unsere unseres angebot angebote
  wochenangebot bestand ware waren diese dieser diesmal woche heute hab habe haben hatte haette ich wir es gibt
  folgendes folgende neu neues vom von hof dem der die das fuer an bei uns euch und noch auch wieder so wie immer
  bitte kw dabei mit im am zum zur gruss gruesse viele herzliche beste schoene schoenes wochenende danke vielen bis
  bald freitag samstag dann tschuess ciao lg vg mfg eure euer ihr dazu zusaetzlich ausserdem
  hello dear this week we have i our offer stock from the farm regards best thanks cheers
`);

/** Words before a product's name that are not part of it: "diese Woche hab ich Senfgurken …". */
const LEADING = words(`
  hallo moin hi hey diese dieser woche heute neu jetzt ich hab habe haben wir es gibt bei uns im angebot bestand
  folgendes und noch auch dann ausserdem sowie aber ausser nur doch bitte wieder mal leider ca etwa circa this week we have i
  dazu zusaetzlich also
`);

/** Words after a name that are not part of it: "Eier doch nur 20", "Dillgurken jetzt 3,60". */
const TRAILING = words(`
  doch nur noch jetzt bitte nun mal dann aber also leider ca etwa circa insgesamt zusammen je a zu fuer pro da auf
  lager vorraetig statt stattdessen mehr wieder sind ist haben habe hab ich wir es gibt von mit now only still
`);

/** Words beside an exact product name that leave it that product: amounts, prices, fillers. */
const BESIDE = words(`
  doch nur noch jetzt bitte nun mal dann aber also leider ca etwa circa insgesamt zusammen da vorraetig verfuegbar auf
  lager stehen steht statt stattdessen mehr weniger wieder preis kostet kosten neuer neue menge bestand der die das den
  dem ein eine einen je a zu fuer pro per von und sowie plus x er eur euro euros ct cent stueck ab sofort heute diese
  woche hab habe haben ich wir es gibt ist sind aus ausverkauft nichts kein keine alle weg leer vergriffen
  now only still left price each per at for sold out none
`);

const SOLD_OUT = /(?:^|\s)(?:(?:ist|sind)\s+(?:leider\s+|schon\s+|jetzt\s+)?(?:aus|alle|weg|leer|ausverkauft|vergriffen)|ausverkauft|vergriffen|(?:nichts|keine?)\s+mehr(?:\s+da)?|aus|sold\s+out|none\s+left)[\s.!]*$/iu;
const LIKE_LAST_WEEK = /(?:alles\s+)?(?:genau\s+|ganz\s+)?(?:wie\s+(?:letzte|vorige|vergangene)\s+woche|wie\s+gehabt|same\s+as\s+last\s+week)[\s,.:;!-]*(?:(?:aber|außer|ausser|nur|but|except)\b[\s,:]*)?/iu;
const SIGN_OFF = /^(?:(?:viele|liebe|beste|herzliche|sch(?:ö|oe)ne)\s+)?(?:gr(?:ü|ue)(?:ß|ss)e?|gru(?:ß|ss))\b|^(?:lg|vg|mfg)\b|^(?:danke|vielen dank|dankesch(?:ö|oe)n)\b|^(?:bis (?:bald|freitag|samstag|dann|n(?:ä|ae)chste woche)|sch(?:ö|oe)nes wochenende|tsch(?:ü|ue)ss|ciao|servus)\b|^(?:best regards|regards|cheers|thanks|thank you)\b/iu;
const SEPARATOR_LINE = /^[\s\-=*_~.#]*$/;
/** Where one line holds several products. */
const JOIN = /\s*;\s*|(?<!\d),\s*|,(?!\d)\s*|\s+(?:und|sowie|&|\+)\s+/giu;
const ALLERGENS = /\b(?:allergene?|allergiehinweise?|enth(?:ä|ae)lt|kann spuren von|allergens?|contains)\s*:?\s*/iu;
const INGREDIENTS = /\b(?:zutaten|ingredients)\s*:?\s*/iu;
const ORGANIC = /(?:^|(?<=[\s(,]))(?:bio|(?:ö|oe)ko|organic)(?:-|\s+|(?=[),]|$))/giu;

// ---------------------------------------------------------------- folding with positions

/** Folded text (lower case, umlauts spelled out, any run of other characters one space) and where each folded character came from. */
interface Searchable {
  text: string;
  at: number[];
}

function searchable(raw: string): Searchable {
  let text = '';
  const at: number[] = [];
  let gap = true;
  for (let i = 0; i < raw.length; i += 1) {
    const folded = foldUmlauts(raw[i].toLowerCase());
    if (!/^[\p{L}\p{N}]+$/u.test(folded)) {
      if (!gap) {
        text += ' ';
        at.push(i);
      }
      gap = true;
      continue;
    }
    for (const ch of folded) {
      text += ch;
      at.push(i);
    }
    gap = false;
  }
  return { text: text.trimEnd(), at };
}

const foldName = (name: string): string => searchable(name).text;
const foldedWords = (text: string): string[] => searchable(text).text.split(' ').filter(Boolean);

/** Whether a word may stand beside a product's name without being part of another name. */
function besideName(word: string): boolean {
  return /^\d/.test(word) || BESIDE.has(word) || readUnit(word) !== null;
}

// ---------------------------------------------------------------- lines and pieces

interface Piece {
  lineNumber: number;
  text: string;
}

/** A line that says nothing about stock: a greeting, a header, a sign-off. */
function isChatter(line: string, extra: ReadonlySet<string>): boolean {
  if (SIGN_OFF.test(line.trim()) && !/\d/.test(line)) return true;
  if (/:\s*$/.test(line)) return true;
  const lineWords = foldedWords(line);
  return !/\d/.test(line) && lineWords.length > 0 && lineWords.every((word) => CHATTER.has(word) || extra.has(word));
}

/**
 * "Diese Woche: 20 kg …", "Hallo, diese Woche hab ich: …": the small talk before the colon. Kept when
 * one of the producer's product names begins with it, so that such a product is still named exactly.
 */
function withoutHeader(line: string, extra: ReadonlySet<string>, known: readonly string[]): string {
  const colon = line.indexOf(':');
  if (colon < 0) return line;
  const head = foldedWords(line.slice(0, colon));
  if (head.length === 0 || !head.every((word) => CHATTER.has(word) || extra.has(word))) return line;
  const spoken = head.join(' ');
  return known.some((name) => foldName(name).startsWith(`${spoken} `)) ? line : line.slice(colon + 1).trim();
}

/** The parts of a piece that decide how it joins its neighbours. */
function shape(text: string) {
  const nameWords = foldedWords(text.replace(ALLERGENS, ' ').replace(INGREDIENTS, ' ')).filter((word) => !besideName(word));
  return {
    hasName: nameWords.length > 0,
    hasNumber: /\d/.test(text),
    soldOut: SOLD_OUT.test(text),
    opensList: ALLERGENS.test(text) || INGREDIENTS.test(text),
  };
}

/** Splits a line into one piece per product; commas inside brackets, amounts and allergen lists stay. */
function piecesOf(line: string): string[] {
  const parts: Array<{ text: string; joint: string }> = [];
  let depth = 0;
  let start = 0;
  let joint = '';
  const cut = (end: number, next: string, skip: number) => {
    parts.push({ text: line.slice(start, end), joint });
    joint = next;
    start = end + skip;
  };
  for (const match of line.matchAll(JOIN)) {
    const before = line.slice(0, match.index);
    depth = (before.match(/\(/g) ?? []).length - (before.match(/\)/g) ?? []).length;
    if (depth > 0) continue;
    cut(match.index, match[0].trim().toLowerCase(), match[0].length);
  }
  parts.push({ text: line.slice(start), joint });

  const pieces: string[] = [];
  for (const part of parts) {
    const previous = pieces.length > 0 ? pieces[pieces.length - 1] : null;
    const text = part.text.trim();
    if (previous === null) {
      pieces.push(text);
      continue;
    }
    const left = shape(previous);
    const right = shape(text);
    const glue = part.joint === ';' || part.joint === ',' ? `${part.joint} ` : ` ${part.joint} `;
    // "Leinöl 250 ml, 20 Flaschen à 6,90": the right part names nothing, so it belongs to the left.
    const continues =
      !right.hasName ||
      (left.opensList && !right.hasNumber && !right.soldOut) ||
      (!left.hasName) ||
      // "und" may be part of a name; it joins two products only when both sides are complete.
      (![',', ';'].includes(part.joint) && !((left.hasNumber || left.soldOut) && (right.hasNumber || right.soldOut)));
    if (continues) pieces[pieces.length - 1] = `${previous}${glue}${text}`;
    else pieces.push(text);
  }
  return pieces.filter((piece) => piece !== '');
}

// ---------------------------------------------------------------- one piece

interface Attributes {
  text: string;
  allergens: string | null;
  ingredients: string | null;
}

function listAfter(text: string, marker: RegExp, others: RegExp): { text: string; list: string | null } {
  const found = marker.exec(text);
  if (!found) return { text, list: null };
  const from = found.index + found[0].length;
  const rest = text.slice(from);
  const other = others.exec(rest);
  const bracket = rest.indexOf(')');
  const ends = [other?.index ?? rest.length, bracket < 0 ? rest.length : bracket, rest.length];
  const end = Math.min(...ends);
  const list = rest.slice(0, end).replace(/[\s,;.]+$/u, '').trim();
  return { text: `${text.slice(0, found.index)} ${rest.slice(end)}`, list };
}

/** Takes the allergen and ingredient lists out of a piece. */
function attributesOf(piece: string): Attributes {
  let text = piece;
  const allergens = listAfter(text, ALLERGENS, INGREDIENTS);
  text = allergens.text;
  const ingredients = listAfter(text, INGREDIENTS, ALLERGENS);
  text = ingredients.text.replace(/\(\s*\)/g, ' ');
  return { text: text.replace(/\s+/g, ' ').trim(), allergens: allergens.list, ingredients: ingredients.list };
}

function withoutOrganic(text: string): { text: string; organic: boolean } {
  const stripped = text.replace(/\(\s*(?:bio|(?:ö|oe)ko|organic)\s*\)/giu, ' ').replace(ORGANIC, ' ');
  return { text: stripped.replace(/\s+/g, ' ').trim(), organic: stripped !== text };
}

/** The producer's name held exactly in the piece with nothing but amounts and fillers beside it, longest first. */
function exactProduct(text: string, known: readonly string[]): { name: string; rest: string } | null {
  const folded = searchable(text);
  const candidates = [...known].sort((a, b) => foldName(b).length - foldName(a).length);
  for (const name of candidates) {
    const key = foldName(name);
    if (key === '') continue;
    let from = folded.text.indexOf(key);
    while (from >= 0) {
      const end = from + key.length;
      const bounded = (from === 0 || folded.text[from - 1] === ' ') && (end === folded.text.length || folded.text[end] === ' ');
      if (bounded) {
        const rawStart = folded.at[from];
        const rawEnd = folded.at[end - 1] + 1;
        const rest = `${text.slice(0, rawStart)} ${text.slice(rawEnd)}`;
        if (foldedWords(rest).every(besideName)) return { name, rest };
      }
      from = folded.text.indexOf(key, from + 1);
    }
  }
  return null;
}

/** "diese Woche hab ich Senfgurken" → "Senfgurken"; "Eier doch nur" → "Eier". */
function cleanedName(name: string): string {
  const parts = name.split(/\s+/).filter(Boolean);
  const key = (word: string) => foldName(word);
  while (parts.length > 0 && LEADING.has(key(parts[0]))) parts.shift();
  while (parts.length > 0 && TRAILING.has(key(parts[parts.length - 1]))) parts.pop();
  return parts.join(' ').replace(/^[\s:;,–\-]+|[\s:;,–\-=(]+$/gu, '');
}

function readOne(piece: Piece, known: readonly string[]): StockPostItem | null {
  const attributes = attributesOf(piece.text);
  let text = attributes.text;
  const soldOut = SOLD_OUT.test(text);
  if (soldOut) text = text.replace(SOLD_OUT, ' ').trim();
  const item = (found: string | null, name: string, from: string, organic: boolean): StockPostItem | null => {
    const reading = readPiece(from);
    const quantity = soldOut ? 0 : reading.quantity;
    const says = quantity !== null || reading.priceCents !== null || organic || attributes.allergens !== null || attributes.ingredients !== null;
    if (!says || (found === null && name === '')) return null;
    return {
      lineNumber: piece.lineNumber, text: piece.text.trim(), known: found, name: found === null ? name : '',
      quantity, unit: soldOut && reading.quantity === null ? null : reading.unit, priceCents: reading.priceCents,
      packSize: reading.packSize, organic, allergens: attributes.allergens, ingredients: attributes.ingredients,
    };
  };

  const exact = exactProduct(text, known);
  if (exact) return item(exact.name, '', exact.rest, false);
  const organic = withoutOrganic(text);
  const exactOrganic = organic.organic ? exactProduct(organic.text, known) : null;
  if (exactOrganic) return item(exactOrganic.name, '', exactOrganic.rest, true);
  const name = cleanedName(readPiece(organic.text).name);
  const same = known.find((candidate) => foldName(candidate) === foldName(name));
  if (same) return item(same, '', organic.text, organic.organic);
  return item(null, name, organic.text, organic.organic);
}

/** Reads a post; `known` are the producer's product names, `ownWords` words of the producer's own name (sign-offs). */
export function readStockPost(text: string, known: readonly string[], ownWords: readonly string[] = []): StockPostReading {
  const extra = new Set(ownWords.flatMap(foldedWords));
  const reading: StockPostReading = { likeLastWeek: false, items: [], unread: [] };
  text.split(/\r?\n/).forEach((raw, index) => {
    const lineNumber = index + 1;
    let line = raw.trim();
    if (SEPARATOR_LINE.test(line)) return;
    if (LIKE_LAST_WEEK.test(line)) {
      reading.likeLastWeek = true;
      line = line.replace(LIKE_LAST_WEEK, ' ').trim();
      if (line === '') return;
    }
    if (isChatter(line, extra)) return;
    line = withoutHeader(line, extra, known);
    for (const piece of piecesOf(line)) {
      if (isChatter(piece, extra)) continue;
      const item = readOne({ lineNumber, text: piece }, known);
      if (item) reading.items.push(item);
      else reading.unread.push({ lineNumber, text: piece });
    }
  });
  return reading;
}

/**
 * The producer's products a name not used before may have meant: a shorter
 * name of one ("Honig" for Blütenhonig and Waldhonig, "Eier" for "Eier 10
 * Stück"), or one spelled a little differently ("Senfgurke"). Never changed
 * without the exact name.
 */
export function nearProducts(name: string, known: readonly string[]): string[] {
  const key = baseFold(foldName(name));
  if (key.length < 3) return [];
  return known.filter((candidate) => {
    const other = baseFold(foldName(candidate));
    if (other.includes(key)) return true;
    const limit = Math.min(editLimit(key.length), editLimit(other.length));
    return limit > 0 && editDistance(key, other, limit) <= limit;
  });
}

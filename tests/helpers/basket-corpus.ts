/**
 * The basket corpus (tests/flows/corpus/basket/*.json): conversations as customers write and speak them,
 * each with the exact basket a careful shop assistant would have packed. The expectations come from the
 * demo week's offer and from how people talk, never from what the engine does today; the pass rate
 * measures the engine, and `floor.json` beside the cases keeps it from sliding back.
 *
 * How a case is played: one harness (real engine, real SQLite file with the demo week) per corpus file,
 * a fresh registered person per case; a case that changes stock gets a harness of its own. Written cases
 * run on Telegram, speech-style transcripts on the phone line ("voice", sent as speech).
 *
 * How the basket is read: from the person's side. After the last turn the person asks for the basket
 * ("Warenkorb", "show my basket") and the list the bot shows (written or spoken) is parsed; the stored cart
 * is not read. A bot that keeps the right cart but shows it wrongly, or does not show it when asked, fails
 * the case — that is what the person would see. The read-back before an order is placed ("Ihre
 * Bestellung: …") counts as showing the basket too: the main menu offers "Warenkorb bestellen", and a typed
 * "Warenkorb" may be taken for it; nothing is placed without a "ja". Quantities are compared in the unit the
 * product is sold in (a line shown as "500 g" counts as 0.5 kg), and units are named in German singular in
 * every language ("Glas", "Packung", "Flasche", "Stück", "Bund", "Beutel", "kg").
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEMO_PRODUCERS } from '../../catalog/demo-week.ts';
import type { Language, Unit } from '../../catalog/types.ts';
import { startHarness, type Harness, type Person } from './conversation.ts';
import { register, setStock } from './customers.ts';

export interface BasketLine {
  product: string;
  quantity: number;
  unit: string;
}

/** A turn: a message written or spoken, or a tap on the choice whose label a person would pick. */
export type CorpusTurn = { says: string } | { taps: string };

export interface BasketCase {
  id: string;
  language: Language;
  /** Telegram for written messages, the phone line for speech-style transcripts. */
  channel: 'telegram' | 'voice';
  /** Why the expected basket is what it is, where a reader might wonder. */
  note?: string;
  /** Stock left of a product before the conversation, as a producer would have posted it. */
  setup?: { stock?: Record<string, number> };
  turns: CorpusTurn[];
  expect: BasketLine[];
}

export interface CorpusFile {
  file: string;
  cases: BasketCase[];
}

export interface CaseResult {
  file: string;
  id: string;
  channel: BasketCase['channel'];
  passed: boolean;
  /** The turns as the person made them: messages in quotes, taps in brackets. */
  said: string;
  expected: BasketLine[];
  /** The basket the bot showed at the end; null when it showed none. */
  got: BasketLine[] | null;
  /** What went wrong besides a different basket: a label not shown, no basket shown, an error. */
  problem?: string;
  transcript: string[];
}

export interface CorpusRun {
  results: CaseResult[];
  passed: number;
  total: number;
  /** Percent of cases passed, one decimal. */
  rate: number;
}

export const BASKET_CORPUS_DIR = fileURLToPath(new URL('../flows/corpus/basket/', import.meta.url));
const FLOOR_FILE = 'floor.json';

/** The unit each product is sold in, named as the corpus names it. */
const UNIT_NAME: Record<Unit, string> = {
  kg: 'kg', g: 'g', l: 'Liter', jar: 'Glas', bottle: 'Flasche', bunch: 'Bund', bag: 'Beutel', pack: 'Packung', piece: 'Stück',
};

/** Every unit word a basket line may show, written or spoken, German or English → the corpus unit. */
const SHOWN_UNITS: Record<string, string> = {
  kg: 'kg', kilo: 'kg', kilos: 'kg', g: 'g', gramm: 'g', grams: 'g',
  glas: 'Glas', 'gläser': 'Glas', jar: 'Glas', jars: 'Glas',
  flasche: 'Flasche', flaschen: 'Flasche', bottle: 'Flasche', bottles: 'Flasche',
  packung: 'Packung', packungen: 'Packung', pack: 'Packung', packs: 'Packung',
  'stück': 'Stück', piece: 'Stück', pieces: 'Stück',
  bund: 'Bund', bunch: 'Bund', bunches: 'Bund',
  beutel: 'Beutel', bag: 'Beutel', bags: 'Beutel',
  liter: 'Liter', litre: 'Liter', litres: 'Liter',
};

/** The demo week's products by name, with the unit they are sold in. */
export const PRODUCTS_ON_OFFER: ReadonlyMap<string, string> = new Map(
  DEMO_PRODUCERS.flatMap((producer) => producer.products.map((product) => [product.name, UNIT_NAME[product.unit]] as const)),
);

const ASK_FOR_BASKET: Record<Language, string> = { de: 'Warenkorb', en: 'show my basket' };

/** Every corpus file with its cases, in file order. */
export function loadBasketCorpus(dir = BASKET_CORPUS_DIR): CorpusFile[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.json') && file !== FLOOR_FILE)
    .sort()
    .map((file) => ({ file, cases: JSON.parse(readFileSync(join(dir, file), 'utf8')) as BasketCase[] }));
}

/** The floor the pass rate must not fall below (percent), and the goal it is working towards. */
export function loadFloor(dir = BASKET_CORPUS_DIR): { floor: number; goal: number } {
  return JSON.parse(readFileSync(join(dir, FLOOR_FILE), 'utf8')) as { floor: number; goal: number };
}

/** Mistakes in the corpus itself: duplicate ids, products not on offer, units they are not sold in, empty turns. */
export function corpusProblems(corpus: CorpusFile[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const { file, cases } of corpus) {
    for (const corpusCase of cases) {
      const where = `${file}/${corpusCase.id}`;
      if (seen.has(corpusCase.id)) problems.push(`${where}: id used twice`);
      seen.add(corpusCase.id);
      if (!['de', 'en'].includes(corpusCase.language)) problems.push(`${where}: language ${corpusCase.language}`);
      if (!['telegram', 'voice'].includes(corpusCase.channel)) problems.push(`${where}: channel ${corpusCase.channel}`);
      if (corpusCase.turns.length < 1 || corpusCase.turns.length > 6) problems.push(`${where}: ${corpusCase.turns.length} turns`);
      for (const line of corpusCase.expect) {
        const unit = PRODUCTS_ON_OFFER.get(line.product);
        if (!unit) problems.push(`${where}: ${line.product} is not on offer`);
        else if (unit !== line.unit) problems.push(`${where}: ${line.product} is sold by ${unit}, not ${line.unit}`);
        if (!(line.quantity > 0)) problems.push(`${where}: quantity ${line.quantity}`);
      }
      if (new Set(corpusCase.expect.map((line) => line.product)).size !== corpusCase.expect.length) problems.push(`${where}: a product twice`);
      for (const product of Object.keys(corpusCase.setup?.stock ?? {})) {
        if (!PRODUCTS_ON_OFFER.has(product)) problems.push(`${where}: setup names ${product}, not on offer`);
      }
    }
  }
  return problems;
}

/** Plays every case of one file; a case that throws is a failed case with the error as its problem. */
export async function playFile({ file, cases }: CorpusFile): Promise<CaseResult[]> {
  const results: CaseResult[] = [];
  let shared: Harness | null = null;
  try {
    for (const [index, corpusCase] of cases.entries()) {
      const own = corpusCase.setup?.stock !== undefined;
      let harness: Harness | null = null;
      try {
        harness = own ? await startHarness() : (shared ??= await startHarness());
        results.push(await playCase(harness, file, corpusCase, index));
      } finally {
        if (own && harness) await harness.dispose();
      }
    }
  } finally {
    if (shared) await shared.dispose();
  }
  return results;
}

/** Plays the whole corpus, file by file. */
export async function runBasketCorpus(corpus = loadBasketCorpus()): Promise<CorpusRun> {
  const results: CaseResult[] = [];
  for (const file of corpus) results.push(...(await playFile(file)));
  return summarise(results);
}

export function summarise(results: CaseResult[]): CorpusRun {
  const passed = results.filter((result) => result.passed).length;
  const rate = results.length === 0 ? 0 : Math.floor((passed / results.length) * 1000) / 10;
  return { results, passed, total: results.length, rate };
}

async function playCase(h: Harness, file: string, corpusCase: BasketCase, index: number): Promise<CaseResult> {
  for (const [product, available] of Object.entries(corpusCase.setup?.stock ?? {})) await setStock(h, product, available);
  // A file's cases share a harness, so the case's place in its file makes the person new.
  const person = corpusCase.channel === 'voice'
    ? h.person('voice', `+491519${String(index).padStart(7, '0')}`)
    : h.person('telegram', String(8_000_000 + index));
  const result: CaseResult = {
    file, id: corpusCase.id, channel: corpusCase.channel, passed: false, said: describeTurns(corpusCase.turns),
    expected: corpusCase.expect, got: null, transcript: [],
  };
  const say = (text: string) => (corpusCase.channel === 'voice' ? person.speaks(text) : person.says(text));
  let from = 0;
  try {
    if (corpusCase.channel === 'voice') await registerCaller(person);
    else await register(person, corpusCase.language);
    from = person.transcript.length;
    for (const turn of corpusCase.turns) {
      if ('says' in turn) {
        await say(turn.says);
      } else {
        const shown = person.last?.choices.map((choice) => choice.label) ?? [];
        if (!shown.some((label) => labelNamed(turn.taps).test(label))) {
          result.problem = `no choice "${turn.taps}" shown (shown: ${shown.join(' | ') || 'none'})`;
          break;
        }
        await person.taps(labelNamed(turn.taps));
      }
    }
    await say(ASK_FOR_BASKET[corpusCase.language]);
    result.got = readBasket(person.text);
    if (!result.got && !result.problem) result.problem = `no basket shown when asked: ${JSON.stringify(person.text.slice(0, 160))}`;
    result.passed = !result.problem && result.got !== null && sameBasket(corpusCase.expect, result.got);
  } catch (error) {
    result.problem = `error: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`;
  }
  result.transcript = person.transcript.slice(from);
  return result;
}

/** A caller on the phone line: agrees, says a name and a place; then at the main menu. */
async function registerCaller(caller: Person): Promise<void> {
  await caller.starts();
  await caller.speaks('ja');
  await caller.speaks('anna schulz');
  await caller.speaks('straupitz');
}

function describeTurns(turns: CorpusTurn[]): string {
  return turns.map((turn) => ('says' in turn ? JSON.stringify(turn.says) : `[${turn.taps}]`)).join(' → ');
}

const PRODUCT_NAMES = [...PRODUCTS_ON_OFFER.keys()].sort((a, b) => b.length - a.length);
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A label counts as the one the person names when it is that text, or that text followed by a price. */
const labelNamed = (named: string) => new RegExp(`^${escape(named.trim())}(?:\\s|$)`, 'i');
const PRODUCT = `(${PRODUCT_NAMES.map(escape).join('|')}|.+?)`;
const QUANTITY = '(\\d+(?:[.,]\\d+)?)';
const WRITTEN_LINE = new RegExp(`^• ${QUANTITY} (\\S+) ${PRODUCT}: .+$`);
const SPOKEN_LINE = new RegExp(`${QUANTITY} (\\S+) (?:of )?${PRODUCT} (?:für|for) .+?\\.(?= |$)`, 'g');

/**
 * The basket in the bot's answer to "Warenkorb": the written list ("Ihr Korb:\n• 2 Gläser Senfgurken: 7,80 €"),
 * the spoken one ("In Ihrem Korb: 2 Gläser Senfgurken für 7 Euro 80. Zusammen …"), the read-back before an
 * order, or an empty basket; null when the answer shows no basket.
 */
export function readBasket(text: string): BasketLine[] | null {
  if (/Ihr Korb ist leer|Your basket is empty/.test(text)) return [];
  const written = /(?:^|\n)(?:Ihr Korb|Your basket|Ihre Bestellung|Your order):\n([\s\S]*?)\n(?:Zusammen|Total):/.exec(text);
  if (written) {
    return written[1].split('\n').map((line) => {
      const match = WRITTEN_LINE.exec(line.trim());
      return match ? basketLine(match[1], match[2], match[3]) : { product: `(unreadable line "${line}")`, quantity: 0, unit: '' };
    });
  }
  const spoken = /(?:In Ihrem Korb:|In your basket:|Ich lese Ihre Bestellung vor\.|I'll read your order back to you\.) (.*?) (?:Zusammen|That makes)/s.exec(text);
  if (spoken) return [...spoken[1].matchAll(SPOKEN_LINE)].map((match) => basketLine(match[1], match[2], match[3]));
  return null;
}

function basketLine(quantityShown: string, unitShown: string, product: string): BasketLine {
  const quantity = Number(quantityShown.replace(',', '.'));
  const unit = SHOWN_UNITS[unitShown.toLowerCase()] ?? unitShown;
  // The same amount of a product sold by the kilo, shown in grams.
  if (unit === 'g' && PRODUCTS_ON_OFFER.get(product) === 'kg') return { product, quantity: Math.round(quantity) / 1000, unit: 'kg' };
  return { product, quantity, unit };
}

const lineKey = (line: BasketLine) => `${line.product}|${line.unit}|${line.quantity}`;

function sameBasket(expected: BasketLine[], got: BasketLine[]): boolean {
  const a = expected.map(lineKey).sort();
  const b = got.map(lineKey).sort();
  return a.length === b.length && a.every((key, i) => key === b[i]);
}

const showLine = (line: BasketLine) => `${line.quantity} ${line.unit} ${line.product}`;
const showBasket = (lines: BasketLine[] | null) => (lines === null ? '(none shown)' : lines.length === 0 ? '(empty)' : lines.map(showLine).join(', '));

/** What differs, line by line: missing, extra, or another quantity or unit of the same product. */
export function basketDifference(expected: BasketLine[], got: BasketLine[] | null): string {
  if (got === null) return 'no basket shown';
  const parts: string[] = [];
  for (const line of expected) {
    const shown = got.find((candidate) => candidate.product === line.product);
    if (!shown) parts.push(`missing ${showLine(line)}`);
    else if (lineKey(shown) !== lineKey(line)) parts.push(`${line.product}: ${shown.quantity} ${shown.unit} instead of ${line.quantity} ${line.unit}`);
  }
  for (const line of got) if (!expected.some((candidate) => candidate.product === line.product)) parts.push(`extra ${showLine(line)}`);
  return parts.join('; ');
}

/** The report a run prints: the pass rate per file and overall, then one line per failing case. */
export function formatReport(run: CorpusRun, floor?: { floor: number; goal: number }): string {
  const files = [...new Set(run.results.map((result) => result.file))];
  const lines = [
    `basket corpus: ${run.passed} of ${run.total} cases pass (${run.rate} %)${floor ? `; floor ${floor.floor} %, goal ${floor.goal} %` : ''}`,
    ...files.map((file) => {
      const ofFile = summarise(run.results.filter((result) => result.file === file));
      return `  ${file.padEnd(24)} ${String(ofFile.passed).padStart(3)} of ${String(ofFile.total).padStart(3)} (${ofFile.rate} %)`;
    }),
  ];
  for (const failed of run.results.filter((result) => !result.passed)) {
    lines.push(
      `✗ ${failed.file.replace(/\.json$/, '')}/${failed.id} [${failed.channel}] said ${failed.said}`,
      `    expected: ${showBasket(failed.expected)}`,
      `    got:      ${showBasket(failed.got)}${failed.problem ? `\n    problem:  ${failed.problem}` : ''}`,
      `    diff:     ${basketDifference(failed.expected, failed.got)}`,
    );
  }
  return lines.join('\n');
}

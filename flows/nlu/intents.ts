/**
 * Rule-based intent classification, German first and English second.
 *
 * Every intent has cue phrases with a weight (how sure the phrase alone makes us); entities add
 * evidence (items with a quantity → add_to_cart, a postcode → pickup_info). The highest score wins;
 * below `MIN_CONFIDENCE` the intent is `unknown` and the engine reads the entities in context.
 * Patterns run on folded text (ä→ae, ß→ss), so they are written that way.
 */
import type { Entities, Intent, UnderstandContext } from './types.ts';

type Role = NonNullable<UnderstandContext['role']>;

/** What a cue needs besides its words to count in full; `only item`: without an item it does not count at all. */
type Need = 'item' | 'only item' | 'number' | 'code' | 'place' | 'none';

interface Cue {
  intent: Intent;
  weight: number;
  pattern: RegExp;
  need: Need;
  /** Cues of producers' and staff's intents count less from anyone else. */
  role?: Role;
}

/** Below this the text is `unknown`. */
export const MIN_CONFIDENCE = 0.5;
/** A cue whose need is missing, or said by someone outside its role, counts this much. */
const WEAKENED = 0.7;

function cue(intent: Intent, weight: number, phrases: string[], need: Need = 'none', role?: Role): Cue {
  return { intent, weight, pattern: new RegExp(`\\b(?:${phrases.join('|')})\\b`), need, role };
}

const CUES: Cue[] = [
  cue('greet', 0.8, ['hallo+', 'hallochen', 'moin( moin)?', 'guten (tag|morgen|abend)', 'servus', 'gruess gott', 'tach', 'hi', 'hey', 'hello', 'good (morning|afternoon|evening)', 'start']),
  cue('help', 0.85, ['hilfe', 'was kann ich (hier )?(sagen|tun|machen|fragen)', 'wie funktioniert (das|es)( hier)?', 'wie geht das', 'anleitung', 'help', 'how does (this|it) work', 'what can i (say|do|ask)', 'menue?', 'ich komme nicht (weiter|klar)']),
  cue('cancel', 0.85, ['abbrechen', 'abbruch', 'stopp?', 'aufhoeren', 'vergiss es', 'lass (es|mal) (sein|gut)', 'cancel', 'quit', 'exit', 'forget it', 'never mind', 'nevermind']),
  cue('back', 0.85, ['zurueck', 'zurueckgehen', 'einen schritt zurueck', 'back', 'go back', 'previous']),
  cue('repeat', 0.85, ['wiederhol\\w*', '(noch ?mal|nochmals) sagen', 'sag (das )?(noch ?mal|nochmal)', 'wie bitte', 'was hast du gesagt', 'nicht verstanden', 'repeat', 'say (that|it) again', 'say again', 'pardon', 'come again', 'sorry what']),
  cue('repeat', 0.7, ['noch ?mal', 'nochmals', 'again']),
  cue('human', 0.9, ['mitarbeiter\\w*', 'mensch(en)?', '(echten|richtigen|einer|eine) person', 'person sprechen', 'jemand(em|en)? (sprechen|reden)', 'mit jemandem', 'berater\\w*', 'kundenservice', 'kundendienst', 'agent', 'human', 'real person', 'operator', 'talk to (a |someone|somebody)', 'speak to (a |someone|somebody)']),
  cue('yes', 0.7, ['ja+', 'jo', 'jep', 'jap', 'jawohl', 'genau', 'richtig', 'stimmt', 'okay', 'ok', 'okey', 'gerne?', 'passt', 'einverstanden', 'klar', 'sicher', 'in ordnung', 'korrekt', 'bestaetig\\w*', 'super', 'prima', 'yes', 'yeah', 'yep', 'yup', 'sure', 'correct', 'right', 'alright', 'of course', 'confirm']),
  cue('no', 0.75, ['nein', 'nee+', 'ne', 'noe', 'auf keinen fall', 'lieber nicht', 'eher nicht', 'no', 'nope', 'nah', 'not really']),
  cue('thanks', 0.65, ['danke\\w*', 'vielen dank', 'herzlichen dank', 'merci', 'thanks?', 'thank you', 'thx', 'cheers']),

  cue('browse', 0.9, ['was gibt es', 'was gibts', 'was habt ihr', 'was haben sie', 'was ist im angebot', 'was kann ich (bestellen|kaufen)', 'angebot\\w*', 'wochenangebot\\w*', 'sortiment', 'produkte', 'katalog', 'was ist (diese woche )?da', 'zeig (mir )?(alles|was)', 'what s on offer', 'what is on offer', 'what do you (have|sell)', 'what is available', 'what s available', 'what can i (buy|order)', 'offers?', 'catalogu?e?', 'show me (everything|what)']),
  cue('ask_product', 0.88, ['(habt|haben|hast) (ihr|sie|du)( noch| auch| denn)?', 'gibt es( noch| auch)?', 'gibts( noch| auch)?', 'ist (noch )?\\w+ (da|vorraetig|verfuegbar)', 'sind (noch )?\\w+ (da|vorraetig|verfuegbar)', 'do you (have|sell|stock)', 'is there', 'are there', 'have you got', 'any \\w+ left', 'was kostet', 'was kosten', 'wie ?viel kostet', 'wie ?viel kosten', 'how much (is|are|does|do)'], 'item'),
  cue('pickup_info', 0.9, ['wo kann ich( \\w+){0,3} abholen', 'wo (kann|koennte) man( \\w+){0,3} abholen', 'abholstelle\\w*', 'abholort\\w*', 'abholpunkt\\w*', 'ausgabestelle\\w*', 'wo abholen', 'wann kann ich( \\w+){0,3} abholen', 'wann (ist|sind) (die )?abholung', 'oeffnungszeit\\w*', 'wo (ist|sind) (der|die|das) (hofladen|laden|dorfladen|verkaufswagen|wagen)', 'wann kommt der (verkaufs)?wagen', 'ich wohne', 'wohne in', 'in der naehe', 'naechste\\w* (abholstelle|laden|hofladen)', 'plz', 'postleitzahl', 'where (can|do) i (pick|collect)', 'pick ?up (point|points|location|locations|place|places|times?)', 'where is the (shop|van|store)', 'opening (hours|times)', 'near me', 'i live in', 'postcode', 'zip( code)?', 'collection point\\w*']),
  cue('choose_pickup', 0.88, ['(in|bei|im|am) \\w+( \\w+)? abholen', 'hole? (es |das |die bestellung )?(in|bei|im|am) \\w+( \\w+)? ab', 'abholen (in|bei|im|am)', 'pick ?up (in|at|from)', 'collect (in|at|from)'], 'place'),
  cue('add_to_cart', 0.85, ['(ich )?moechte', '(ich )?haette gerne?', 'ich nehme', 'nimm', 'ich will', 'ich brauche', 'bestellen', 'bestelle', 'in den (waren)?korb', 'dazu', 'noch', 'kaufen', 'gib mir', 'i d like', 'i would like', 'i want', 'i ll take', 'i ll have', 'i need', 'add', 'give me', 'get me', 'buy', 'order', 'can i (have|get)', 'put'], 'item'),
  cue('remove_from_cart', 0.9, ['raus', 'heraus', 'rausnehmen', 'herausnehmen', 'entfern\\w*', 'streich\\w*', 'weglassen', 'loesch\\w*', 'doch kein\\w*', 'doch nicht', 'kein\\w* \\w+ mehr', 'remove', 'take out', 'take off', 'delete', 'no more', 'drop', 'don t want'], 'item'),
  // "ohne den Honig" takes the honey out; "ohne Nummer", "ohne Namen" name no product and take nothing out.
  cue('remove_from_cart', 0.9, ['ohne', 'without'], 'only item'),
  // "keine Eier", "ich will keinen Quark": a product said with "kein" is never one to add ("keine Ahnung" is no product).
  cue('remove_from_cart', 0.95, ['kein(e|en|er|es|em)?'], 'only item'),
  cue('change_quantity', 0.9, ['doch (lieber )?(nur )?\\S+', 'lieber (nur )?\\S+', 'nur (noch )?\\S+', 'statt', 'stattdessen', 'aender\\w* (\\w+ )*auf', 'auf \\S+ (aendern|erhoehen|reduzieren|setzen)', 'mach (daraus|es|das|mal) \\S+', 'make it', 'make that', 'change (it |that |the \\w+ )?to', 'only \\S+', 'instead'], 'number'),
  cue('show_cart', 0.9, ['warenkorb', 'korb', 'was habe ich( drin| im korb| im warenkorb| ausgewaehlt)?', 'was hab ich( drin)?', 'was ist (im|in meinem) (waren)?korb', 'meine auswahl', 'zusammenfassung', 'was kostet (das )?alles', 'wie ?viel (kostet|macht) (das|alles)', 'was macht das( \\w+)?', 'wie ?viel (ist|macht|kostet) das (zusammen|insgesamt)', 'was (kostet|macht) (das )?(zusammen|insgesamt)', 'what s (the|my) total', 'what is (the|my) total', 'how much (is it|is that|altogether|in total)', 'my cart', 'show (me )?(my )?cart', 'basket', 'what s in my (cart|basket)', 'what is in my (cart|basket)', 'what have i got']),
  cue('checkout', 0.85, ['bestellen', 'jetzt bestellen', 'verbindlich bestellen', 'bestellung (abschicken|absenden|aufgeben|abschliessen|bestaetigen)', 'abschicken', 'absenden', 'abschliessen', 'fertig', 'das wars?', 'das war s', 'das ist alles', 'das waere alles', 'mehr nicht', 'sonst nichts', 'zur kasse', 'kasse', 'checkout', 'check out', 'place (the |my )?order', 'that s (all|it)', 'that is (all|it)', 'i m done', 'done', 'finish', 'nothing else', 'submit', 'send (the |my )?order']),
  cue('ask_deadline', 0.97, ['bis wann (kann|koennte|muss|darf) (ich|man)( \\w+){0,4} bestell\\w*', 'bestellschluss', 'annahmeschluss', 'wann ist (der )?(bestell|annahme)?schluss', 'wie lange (kann|koennte) (ich|man)( noch)? bestellen', 'wie lange habe? ich( noch)? zeit', 'bis wann (geht|gilt) (das|es)', 'deadline', 'cut ?off', '(until|by) when (can|do|must|should) i (order|place)', 'when (do|must) i order by', 'how long (can|do) i (still )?(order|have)']),
  // Questions asked before buying. Worded as questions, so that "2 kg Bio-Möhren" or "beim Verkaufswagen in Werben
  // abholen" stay an order and a choice; they outweigh ask_product (0.88) and pickup_info (0.9).
  cue('ask_organic', 0.93, ['(habt|haben|hast|gibt|gibts|ist|sind|was|welche\\w*|wieviel)( \\w+){0,4} bio', 'bio (sachen|produkte|ware|waren|lebensmittel|qualitaet|angebot\\w*)', 'biologisch\\w*', 'oeko\\w*', 'organic', 'organically']),
  cue('ask_allergens', 0.93, ['allerg\\w*', 'unvertraeglich\\w*', 'zutat\\w*', 'inhaltsstoff\\w*', 'was (ist|steckt|sind) (\\w+ ){0,4}drin', 'ist (\\w+ ){0,4}(was|etwas|gluten|laktose|milch|nuesse|ei|senf|sellerie|zucker) drin', 'gluten\\w*', 'laktose\\w*', 'ingredients?', 'what s in (it|the \\w+)', 'what is in (it|the \\w+)', 'does (it|the \\w+) contain'], 'item'),
  cue('ask_delivery', 0.93, ['liefert (ihr|sie|du)', 'liefern (ihr|sie)', 'lieferst du', 'lieferservice', 'lieferdienst', 'lieferung\\w*', 'geliefert', 'liefern lassen', 'nach hause (bringen|liefern|bringt|kommen|geliefert|gebracht)', 'bringt (ihr|du)', 'bringen sie (\\w+ ){0,3}(vorbei|nach hause)', 'ins haus', 'frei haus', 'zustell\\w*', 'verschickt ihr', 'versendet ihr', 'do you deliver', 'deliver\\w*', 'home delivery', 'bring it']),
  cue('ask_van', 0.95, ['(wo|wann|wie ?oft|welche\\w*|um wie ?viel uhr)( \\w+){0,5} (verkaufs)?wagen\\w*', '(verkaufs)?wagen (haelt|halten|kommt|steht|faehrt)', 'halte?stellen? (des|vom) (verkaufs)?wagens?', 'fahrplan', 'where (does|is) the (\\w+ )?van', 'when (does|is) the (\\w+ )?van', 'van stops?']),
  cue('ask_hours', 0.95, ['oeffnungszeit\\w*', 'geoeffnet', '(wann|bis wann|wie lange) (hat|haben|ist|sind) (\\w+ ){0,4}(auf|offen|geoeffnet)', 'wann (oeffnet|oeffnen|schliesst|schliessen)', 'wann (macht|machen) (\\w+ ){0,4}(auf|zu)', 'opening (hours|times)', 'when (is|are|does|do) (\\w+ ){0,4}(open|close)\\w*', 'how long (is|are) (\\w+ ){0,4}open']),
  cue('ask_about_us', 0.93, ['wer (seid|sind) (ihr|sie)', 'wer bist du', 'wer steckt (da )?(hinter|dahinter)', 'wer (betreibt|macht|organisiert) (das|den|die|diesen|dieses|euch)( \\w+)?', 'was (seid|ist) (ihr|das hier|der marktbote)', 'kann (ich|man) (euch|sie|jemanden|wen|das buero) anrufen', 'wen kann ich anrufen', 'wie (erreiche|erreicht|kontaktiere) (ich|man) (euch|sie|jemanden|einen menschen|das buero)', 'eure (telefon)?nummer', 'impressum', 'who (are|is) (you|behind)', 'who runs', 'can i (call|phone) (you|someone|somebody)', 'your (phone )?number']),
  cue('repeat_last_order', 0.95, ['wie (die )?letzte woche', 'wie (beim )?letzte[ns]? mal', 'wie letztes mal', '(das|dasselbe|das gleiche|das selbe) wie (immer|letzte woche|letztes mal|sonst|beim letzten mal)', '(noch ?mal|wieder|nochmals) (dasselbe|das gleiche|das selbe)', 'wie immer', 'das uebliche', 'wie gehabt', '(letzte )?bestellung wiederholen', 'same as (last time|last week|usual|always|before)', 'the usual', 'my usual', 'same again', 'same order', 'repeat (my )?(last )?order', 'reorder']),
  cue('my_orders', 0.92, ['bestellstatus', 'status (meiner|der) bestellung', 'wo (ist|bleibt) meine bestellung', 'was habe ich bestellt', 'hab(e)? ich (schon )?bestellt', 'welche bestellungen', 'bestellungen anzeigen', 'order status', 'what did i order', 'where is my order', 'have i ordered']),
  cue('my_orders', 0.85, ['meine bestellung(en)?', 'my orders?', 'bestellung \\d+', 'order \\d+']),
  cue('cancel_order', 0.95, ['stornier\\w*', 'storno', 'bestellung (\\w+ )?(absagen|zuruecknehmen|zurueckziehen|canceln|abbestellen|loeschen)', 'abbestellen', 'cancel (my |the |this |that )?order', 'cancel \\d+', 'cancel order'], 'none'),
  cue('change_order', 0.95, ['bestellung (\\w+ )?(aendern|anpassen|bearbeiten|korrigieren)', 'aenderung (an|der|meiner) bestellung', '(change|modify|edit|amend|update) (my |the )?order']),
  cue('reminders_on', 0.9, ['erinnerung(en)? (an|einschalten|aktivieren|bitte|ja)', 'erinnere mich', 'erinnern sie mich', 'bitte erinnern', 'erinnert mich', 'remind me', 'reminders? on', 'turn on reminders?', 'send (me )?reminders?']),
  cue('reminders_on', 0.7, ['erinnerung(en)?', 'reminders?']),
  cue('reminders_off', 0.95, ['kein(e)? erinnerung(en)?', 'erinnerung(en)? (aus|ausschalten|deaktivieren|abbestellen|stoppen|abschalten)', 'nicht (mehr )?erinnern', 'no (more )?reminders?', 'reminders? off', 'turn off reminders?', 'stop remind\\w*', 'don t remind', 'stop (the |sending )?reminders?']),
  cue('set_language', 0.9, ['(auf|in) (deutsch|englisch|english|german)', 'sprache( \\w+)?', '(english|englisch|deutsch|german) (bitte|please)', 'speak (english|german)', 'sprechen sie (englisch|deutsch)', 'do you speak', 'language', 'switch to (english|german)']),
  cue('set_language', 0.8, ['deutsch', 'englisch', 'english', 'german']),
  cue('my_data', 0.9, ['meine daten', 'was (wisst|wissen|speichert|speichern|habt|haben) (ihr|sie) (ueber|von) mir', 'ueber mich', 'welche daten', 'datenauskunft', 'datenschutz', 'gespeicherten daten', 'my data', 'my personal data', 'what do you (know|store|have) about me', 'what data', 'privacy']),
  cue('delete_data', 0.95, ['daten (\\w+ )?loeschen', 'loesch\\w* (\\w+ )?daten', 'konto loeschen', 'account loeschen', 'vergiss mich', 'vergesst mich', 'delete (my |all )*(data|account)', 'erase my data', 'forget me', 'remove my data']),

  cue('picklist', 0.9, ['pickliste', 'packliste', 'was wurde bestellt', 'was ist bestellt( worden)?', 'was (ist|wurde) (bisher|schon) bestellt', 'wie ?viel (wurde|ist) bestellt', 'bestellungen bisher', 'bisherige bestellungen', 'bestelluebersicht', 'wer hat was bestellt', 'orders so far', 'what (was|has been) ordered', 'pick ?list', 'packing list'], 'none', 'producer'),
  cue('handout_list', 0.9, ['ausgabeliste', 'ausgabe liste', 'abholliste', 'liste (fuer )?heute', 'wer (holt|kommt) heute', 'heute abholen', 'heutige (abholungen|liste)', 'liste', 'handout list', 'pickup list', 'who is coming( today)?', 'today s list', 'list'], 'none', 'staff'),
  cue('mark_picked_up', 0.95, ['abgeholt', 'ausgegeben', 'uebergeben', 'picked up', 'collected', 'handed (out|over)'], 'code', 'staff'),
  cue('mark_no_show', 0.97, ['nicht abgeholt', 'nicht erschienen', 'nicht gekommen', 'nicht da gewesen', 'nicht aufgetaucht', 'no ?show', 'didn t (come|show|pick)', 'not picked up', 'not collected', 'never came'], 'code', 'staff'),
];

const QUESTION_WORDS = /\b(wo|wann|welche\w*|where|when|which)\b/;
const STOCK_CHANGE = /\b(nur noch|noch|jetzt|neu|mehr|statt|preis|kostet|kosten|nachschub|dazu|zusaetzlich|only|now|price|more|left)\b/;

/** What the classifier needs to know beyond the folded text. */
export interface ClassifyInput {
  folded: string;
  entities: Entities;
  role: Role | undefined;
  /** The raw text contained a question mark. */
  question: boolean;
  /** Lines of a stock post the producer sent (0 when not a producer or not a post). */
  stockLines: number;
}

function needMet(need: Need, entities: Entities): boolean {
  switch (need) {
    case 'item':
    case 'only item': return entities.items.length > 0 || entities.category !== null;
    case 'number': return entities.number !== null;
    case 'code': return entities.orderCode !== null || entities.number !== null;
    case 'place': return entities.place !== null;
    case 'none': return true;
  }
}

function raise(scores: Map<Intent, number>, intent: Intent, score: number): void {
  if ((scores.get(intent) ?? 0) < score) scores.set(intent, score);
}

// Evidence from the entities alone, when no cue says more.
function scoreEntities(scores: Map<Intent, number>, input: ClassifyInput): void {
  const { entities, folded, question } = input;
  const items = entities.items;
  const onlyWords = folded.split(' ').length;
  if (items.some((item) => item.quantity !== null)) raise(scores, 'add_to_cart', 0.85);
  else if (items.length > 0) raise(scores, question ? 'ask_product' : 'add_to_cart', question ? 0.85 : 0.65);
  if (entities.category !== null && items.length <= 1 && onlyWords <= 2 && entities.number === null) raise(scores, 'browse', 0.87);
  if (entities.producerName !== null && items.length === 0) raise(scores, 'browse', 0.75);
  if (entities.postcode !== null) raise(scores, 'pickup_info', 0.85);
  if (entities.place !== null && items.length === 0) {
    raise(scores, QUESTION_WORDS.test(folded) || question ? 'pickup_info' : 'choose_pickup', 0.75);
  }
  if (entities.language !== null && onlyWords <= 3) raise(scores, 'set_language', 0.85);
}

function scoreRole(scores: Map<Intent, number>, input: ClassifyInput): void {
  const { entities, folded, role, stockLines } = input;
  if (role !== 'producer') return;
  if (stockLines > 0) raise(scores, 'stock_post', 0.95);
  const namesStock = entities.items.length > 0 || entities.category !== null;
  if (namesStock && entities.soldOut) raise(scores, 'stock_update', 0.97);
  else if (namesStock && (entities.number !== null || entities.priceCents !== null || entities.items.some((item) => item.quantity !== null))) {
    raise(scores, 'stock_update', STOCK_CHANGE.test(folded) ? 0.96 : 0.9);
  }
}

/** Decides the intent and its confidence. */
export function classify(input: ClassifyInput): { intent: Intent; confidence: number } {
  const scores = new Map<Intent, number>();
  for (const { intent, weight, pattern, need, role } of CUES) {
    if (!pattern.test(input.folded)) continue;
    const met = needMet(need, input.entities);
    if (!met && need === 'only item') continue;
    let score = met ? weight : weight * WEAKENED;
    if (role !== undefined && role !== input.role) score *= WEAKENED;
    raise(scores, intent, score);
  }
  scoreEntities(scores, input);
  scoreRole(scores, input);
  let best: Intent = 'unknown';
  let bestScore = 0;
  for (const [intent, score] of scores) {
    if (score > bestScore) {
      best = intent;
      bestScore = score;
    }
  }
  return bestScore < MIN_CONFIDENCE ? { intent: 'unknown', confidence: 0 } : { intent: best, confidence: bestScore };
}

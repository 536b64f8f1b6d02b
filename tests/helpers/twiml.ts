/**
 * A tiny XML reader for the TwiML our renderers produce: elements, attributes,
 * text and the five entities plus numeric references. Enough to follow a call
 * as Twilio would, without a new dependency.
 */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** The element's own text, entities decoded (text of children not included). */
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, entity: string) => {
    if (entity.startsWith('#x') || entity.startsWith('#X')) return String.fromCodePoint(parseInt(entity.slice(2), 16));
    if (entity.startsWith('#')) return String.fromCodePoint(Number(entity.slice(1)));
    const value = ENTITIES[entity];
    if (value === undefined) throw new Error(`unknown entity ${whole}`);
    return value;
  });
}

const TOKEN = /<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<\/([\w:.-]+)\s*>|<([\w:.-]+)((?:\s+[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|([^<]+)/g;
const ATTRIBUTE = /([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

/** Parses an XML document into its root element; throws on mismatched or unclosed tags. */
export function parseXml(xml: string): XmlElement {
  const root: XmlElement = { name: '#document', attributes: {}, children: [], text: '' };
  const stack: XmlElement[] = [root];
  let consumed = 0;
  for (const match of xml.matchAll(TOKEN)) {
    if (match.index !== consumed) throw new Error(`unparsable XML at ${consumed}: ${xml.slice(consumed, consumed + 20)}`);
    consumed = match.index + match[0].length;
    const [, closing, opening, attributeText, selfClosing, text] = match;
    const current = stack[stack.length - 1];
    if (closing !== undefined) {
      if (current.name !== closing) throw new Error(`</${closing}> closes <${current.name}>`);
      stack.pop();
    } else if (opening !== undefined) {
      const attributes: Record<string, string> = {};
      for (const [, name, double, single] of (attributeText ?? '').matchAll(ATTRIBUTE)) {
        attributes[name] = decode(double ?? single);
      }
      const element: XmlElement = { name: opening, attributes, children: [], text: '' };
      current.children.push(element);
      if (selfClosing !== '/') stack.push(element);
    } else if (text !== undefined) {
      current.text += decode(text);
    }
  }
  if (consumed !== xml.length) throw new Error(`unparsable XML at ${consumed}`);
  if (stack.length !== 1) throw new Error(`<${stack[stack.length - 1].name}> is not closed`);
  const [element] = root.children;
  if (root.children.length !== 1 || root.text.trim() !== '') throw new Error('XML must have exactly one root element');
  return element;
}

/** The direct children named `name`. */
export function childrenNamed(element: XmlElement, name: string): XmlElement[] {
  return element.children.filter((child) => child.name === name);
}

/** The first direct child named `name`; throws when there is none. */
export function child(element: XmlElement, name: string): XmlElement {
  const found = element.children.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`<${element.name}> has no <${name}>; it has ${element.children.map((c) => c.name).join(', ') || 'no children'}`);
  return found;
}

/** Every `<Say>` text inside `element`, depth first. */
export function spokenTexts(element: XmlElement): string[] {
  return element.children.flatMap((candidate) => (candidate.name === 'Say' ? [candidate.text] : spokenTexts(candidate)));
}

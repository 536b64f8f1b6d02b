/** Yes and no: the buttons every yes/no question offers, and how an answer reads as one. */
import { declareDialog, picked, type Answer } from './dialog.ts';
import type { Turn } from './turn.ts';
import type { Choice, ReplyParam } from './types.ts';

const my = declareDialog('answers', { choices: { yes: {}, no: {} } });

/** A yes or no pressed when nothing was asked, or under another question: the question it answered is gone. */
const stale = (t: Turn) => t.stale();

export const answers = my.define({
  choices: { yes: { handle: stale }, no: { handle: stale } },
  questions: {},
});

/** The two buttons of a yes/no question, labelled for it. */
export function yesNoChoices(
  yes: string,
  no: string,
  params?: Record<string, ReplyParam>,
): [Choice, Choice] {
  return [my.choice.yes.make({}, params ? { key: yes, params } : { key: yes }), my.choice.no.make({}, { key: no })];
}

export function yesNo(input: Answer): boolean | null {
  if (picked(input, my.choice.yes)) return true;
  if (picked(input, my.choice.no)) return false;
  if (input.kind !== 'text') return null;
  if (input.understanding.intent === 'yes') return true;
  if (input.understanding.intent === 'no') return false;
  return null;
}

/** The number in an answer ("drei", "2 Gläser"). */
export function numberOf(input: Answer): number | null {
  if (input.kind !== 'text') return null;
  const { entities } = input.understanding;
  return entities.items.find((i) => i.quantity !== null)?.quantity ?? entities.number;
}

/** Yes and no: the buttons every yes/no question offers, and how an answer reads as one. */
import { declareDialog, key, picked, type Answer } from './dialog.ts';
import type { Turn } from './turn.ts';
import type { Choice, ReplyParam } from './types.ts';

const my = declareDialog('answers', {
  choices: {
    yes: {},
    no: {},
    /** Yes and no to one thing shown (a read-back, an order), named by `about`. */
    confirm: { about: key },
    decline: { about: key },
  },
});

/** A yes or no pressed when nothing was asked, or under another question: the question it answered is gone. */
const stale = (t: Turn) => t.stale();

export const answers = my.define({
  choices: { yes: { handle: stale }, no: { handle: stale }, confirm: { handle: stale }, decline: { handle: stale } },
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

/** An amount a person can mean: more than nothing, and a number at all ("-5", "1e9" and "0" are not). */
export function isAmount(quantity: number): boolean {
  return Number.isFinite(quantity) && quantity > 0;
}

/**
 * The yes and no buttons of a question about one thing shown, `about` (a key of at most 24 letters, digits,
 * "-" or "_"): they answer that question only, so a button left on an earlier message can never answer a later one.
 */
export function confirmChoices(about: string, yes: string, no: string): [Choice, Choice] {
  return [my.choice.confirm.make({ about }, { key: yes }), my.choice.decline.make({ about }, { key: no })];
}

/**
 * How `input` answers the question about `about`. `ownButton` is true when the answer came on a button of
 * that very question; false when it was words ("ja") or a number or label read against the choices shown
 * last, which the person may not have seen yet. 'stale': a button of another question, or a yes/no button
 * that names nothing (one from before buttons named what they answer). null: no yes or no at all.
 */
export function confirmation(input: Answer, about: string): { yes: boolean; ownButton: boolean } | 'stale' | null {
  if (input.kind === 'choice') {
    const named = picked(input, my.choice.confirm) ?? picked(input, my.choice.decline);
    if (named) {
      if (named.about !== about) return 'stale';
      return { yes: picked(input, my.choice.confirm) !== null, ownButton: input.pressed };
    }
    if (picked(input, my.choice.yes) || picked(input, my.choice.no)) return 'stale';
    return null;
  }
  const yes = yesNo(input);
  return yes === null ? null : { yes, ownButton: false };
}

/** The number in an answer ("drei", "2 Gläser"). */
export function numberOf(input: Answer): number | null {
  if (input.kind !== 'text') return null;
  const { entities } = input.understanding;
  return entities.items.find((i) => i.quantity !== null)?.quantity ?? entities.number;
}

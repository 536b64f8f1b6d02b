/**
 * The public entry of the dialogue layer: everything `bot/` may use of `flows/`.
 * Channels see the neutral contract (events in, rendered turns out), the engine,
 * the renderer and the recogniser contract; dialogs and their state stay inside.
 */
export type {
  Choice, Expectation, InboundEvent, InboundPayload, Medium, Reply, ReplyParam, TurnResult, TurnStatus, UnsupportedKind,
} from './types.ts';
export { createEngine, type Engine } from './engine.ts';
export { createRenderer, type Renderer } from './render.ts';
export type { Office, Locator } from './turn.ts';
export { createEmbeddedRecogniser } from './nlu/recogniser.ts';
export { INTENTS, type Intent, type Recogniser, type UnderstandContext, type Understanding } from './nlu/types.ts';
export { cleanText } from './text.ts';
export { createRegistry, declareDialog, type Dialog } from './dialog.ts';
export { DIALOGS } from './dialogs.ts';

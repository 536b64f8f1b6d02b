import type { Channel } from '../../../catalog/types.ts';
import type { InboundEvent } from '../../../flows/index.ts';
import type { ChannelContext, RenderedTurn, TurnOptions } from '../../types.ts';

/** Runs one turn, timing it for turn_duration_seconds; a throw is counted in errors_total and re-thrown. */
export async function measuredTurn(
  ctx: ChannelContext,
  channel: Channel,
  event: InboundEvent,
  options: TurnOptions,
): Promise<RenderedTurn | null> {
  const started = performance.now();
  try {
    return await ctx.turn(event, options);
  } catch (error) {
    ctx.metrics.error(channel, 'turn');
    throw error;
  } finally {
    ctx.metrics.turn(channel, (performance.now() - started) / 1000);
  }
}

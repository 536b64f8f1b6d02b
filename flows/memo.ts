/** Within one turn the week and its offer are read once; any write forgets them. */
import type { Marketplace } from '../catalog/marketplace.ts';

const WRITES = ['placeOrder', 'changeOrder', 'cancelOrder', 'applyStockPost', 'updateOffer', 'markHandout'] as const;

export function turnMarket(market: Marketplace): Marketplace {
  let week: ReturnType<Marketplace['currentWeek']> | null = null;
  let offers: ReturnType<Marketplace['weekOffer']> | null = null;
  const forget = () => {
    week = null;
    offers = null;
  };
  const memo: Marketplace = {
    ...market,
    currentWeek: () => (week ??= market.currentWeek()),
    weekOffer: (filter = {}) => (filter.category || filter.producerId ? market.weekOffer(filter) : (offers ??= market.weekOffer())),
  };
  for (const name of WRITES) {
    const write = market[name] as (...args: unknown[]) => Promise<unknown>;
    (memo as unknown as Record<string, unknown>)[name] = async (...args: unknown[]) => {
      forget();
      try {
        return await write(...args);
      } finally {
        forget();
      }
    };
  }
  return memo;
}

/**
 * Every dialog of the service, in the order the engine offers them a message:
 * a dialog earlier in the list answers an intent first (a producer's "meine
 * Angebote" before the customers' offer; a product before a place).
 */
import { about } from './about.ts';
import { answers } from './answers.ts';
import { browse } from './browse.ts';
import { cart } from './cart.ts';
import { checkout } from './checkout.ts';
import type { Dialog } from './dialog.ts';
import { home, homeDialogs } from './home.ts';
import { identity } from './identity.ts';
import { onboarding } from './onboarding.ts';
import { orders } from './orders.ts';
import { pickup } from './pickup.ts';
import { producer } from './producer.ts';
import { settings } from './settings.ts';
import { shoppingDialogs } from './shopping.ts';
import { staff } from './staff.ts';

export const DIALOGS: readonly Dialog[] = [
  answers, identity, ...shoppingDialogs, producer, staff, onboarding, cart, browse, checkout, orders, pickup, settings, about, ...homeDialogs,
];

export { home };

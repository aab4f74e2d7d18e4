import type { ApiAction } from './action';
import { accountActions } from '@/lib/api/actions/account';
import { fundsActions } from '@/lib/api/actions/funds';
import { historyActions } from '@/lib/api/actions/history';
import { marketDataActions } from '@/lib/api/actions/market-data';
import { orderActions } from '@/lib/api/actions/orders';
import { publicActions } from '@/lib/api/actions/public';
import { tradingActions } from '@/lib/api/actions/trading';

/** Every API action, by name: REST, WebSocket, permissions and /docs/api all read this list. */
export const API_ACTIONS: readonly ApiAction[] = [
  ...publicActions,
  ...marketDataActions,
  ...accountActions,
  ...orderActions,
  ...tradingActions,
  ...fundsActions,
  ...historyActions,
] as ApiAction[];

const byName = new Map(API_ACTIONS.map((a) => [a.name, a]));

export function findAction(name: string): ApiAction | undefined {
  return byName.get(name);
}

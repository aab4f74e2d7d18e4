import type { ApiAction } from './action';
import { accountActions } from './actions/account';
import { fundsActions } from './actions/funds';
import { historyActions } from './actions/history';
import { publicActions } from './actions/public';
import { tradingActions } from './actions/trading';

/** Every API action, by name: REST, WebSocket, permissions and /docs/api all read this list. */
export const API_ACTIONS: readonly ApiAction[] = [...publicActions, ...accountActions, ...tradingActions, ...fundsActions, ...historyActions] as ApiAction[];

const byName = new Map(API_ACTIONS.map((a) => [a.name, a]));

export function findAction(name: string): ApiAction | undefined {
  return byName.get(name);
}

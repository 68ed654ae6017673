// What a mysql_* module does when the server cannot be reached through the unix socket: in check
// mode on a fresh host (MariaDB not installed yet) it predicts its actions; in a real run it fails.

import type { Action, ModuleContext, Plan } from './types.js';

export function unavailablePlan(ctx: ModuleContext, reason: string, wouldDo: Action[]): Plan {
  if (ctx.check) return { actions: wouldDo, reason: `server not reachable yet (${reason}): predicted` };
  return { actions: [], failed: `cannot reach MariaDB/MySQL through its unix socket as root: ${reason}` };
}

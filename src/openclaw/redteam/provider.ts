// The `redteam` live view for `oss verify --redteam`: one red-team run per verify run,
// against --local or the stack's gateway container.
import type { ProviderContext } from '../../verify/providers';
import { ProviderUnavailable } from '../../verify/providers';
import type { OpenClawTarget } from '../target';
import { runRedteam, type RedteamReport } from './run';

export async function redteamProvider(ctx: ProviderContext, target: OpenClawTarget): Promise<RedteamReport> {
  if (!ctx.mode.redteam) throw new ProviderUnavailable('real agent turns run only with --redteam');
  return runRedteam(target);
}

import { ProductionRefusedError } from '../errors.ts';
import type { Contract } from './load.ts';

/**
 * Refuses an environment marked `production: true` unless the caller says
 * it means it (`--i-know`): minting or forging tokens there makes real
 * credentials. The one guard mint, token (mint source) and drill share.
 *
 * @example assertNotProduction(contract, 'prod', { allow: flags.iKnow === true, action: 'mint' })
 */
export function assertNotProduction(contract: Contract, envName: string, options: { allow?: boolean; action: string }): void {
  if (contract.environments[envName]?.production === true && options.allow !== true)
    throw new ProductionRefusedError(envName, options.action);
}

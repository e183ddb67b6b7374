/**
 * The runbook of one environment, planned from the contract alone (no I/O):
 * the steps its sections support, each as the exact jwt-doctor command with
 * the contract and environment filled in, its owners (the reason registry's
 * owner roles, named by the contract's `owners` teams) and the reason codes
 * it may report.
 */
import type { Contract } from '../contract/load.ts';
import { readIssuerBaseUrl } from '../contract/api_section.ts';
import type { Owners } from '../expectations.ts';
import { REASONS, type OwnerRole, type ReasonCode } from '../reasons.ts';
import { STEP_RULES, TOKEN, type EnvironmentShape, type RunbookSection } from './runbook_steps.ts';

export interface RunbookReason {
  code: ReasonCode;
  title: string;
  owner: OwnerRole;
  /** The contract's team for that role, when it names one. */
  team?: string;
}

export interface RunbookStep {
  id: string;
  section: RunbookSection;
  title: string;
  /** Arguments after `jwt-doctor`; TOKEN (runbook_steps.ts) where the token goes. */
  argv: string[];
  /** Whether the step needs the token. */
  needsToken: boolean;
  answers: string;
  /** Owner roles of the step's reasons, most frequent first, with their teams. */
  owners: { role: OwnerRole; team?: string }[];
  reasons: RunbookReason[];
  note?: string;
}

export interface Runbook {
  schema: 'jwt-doctor/runbook/v1';
  env: string;
  /** The contract path as the operator gave it (what the commands carry). */
  contract: string;
  production: boolean;
  owners: Owners;
  /** Where the token comes from: the `token` step, or the operator. */
  tokenFrom: 'token-step' | 'operator';
  steps: RunbookStep[];
}

/**
 * Plans the runbook of `envName`: only the steps its contract supports.
 *
 * @example planRunbook(loadContract('auth-contract.yaml'), 'staging', 'auth-contract.yaml').steps.map((s) => s.id)
 */
export function planRunbook(contract: Contract, envName: string, contractPath: string): Runbook {
  const env = contract.environments[envName];
  if (!env) throw new Error(`planRunbook: unknown environment "${envName}"`);
  const owners = env.owners ?? {};
  const shape = environmentShape(contract, envName);
  const steps = STEP_RULES.filter((rule) => rule.applies(shape)).map((rule): RunbookStep => {
    const contractArgs = rule.contract === 'none' ? [] : ['--contract', contractPath];
    const envArgs = rule.contract === 'env' ? ['--env', envName] : [];
    const [verb, ...rest] = rule.argv(shape);
    const argv = [...verb!.split(' '), ...rest, ...contractArgs, ...envArgs];
    const reasons = rule.reasons.map((code) => withTeam({ code, title: REASONS[code].title, owner: REASONS[code].owner }, owners));
    const note = rule.note?.(shape);
    return {
      id: rule.id,
      section: rule.section,
      title: rule.title,
      argv,
      needsToken: argv.includes(TOKEN),
      answers: rule.answers,
      owners: stepOwners(reasons, owners),
      reasons,
      ...(note !== undefined ? { note } : {}),
    };
  });
  return {
    schema: 'jwt-doctor/runbook/v1',
    env: envName,
    contract: contractPath,
    production: shape.production,
    owners,
    tokenFrom: shape.obtain ? 'token-step' : 'operator',
    steps,
  };
}

function withTeam<T extends { owner: OwnerRole }>(item: T, owners: Owners): T & { team?: string } {
  const team = owners[item.owner];
  return team !== undefined ? { ...item, team } : item;
}

/** The roles that act on a step's reasons, the most frequent first (ties: first named). */
function stepOwners(reasons: readonly RunbookReason[], owners: Owners): { role: OwnerRole; team?: string }[] {
  const counts = new Map<OwnerRole, number>();
  for (const r of reasons) counts.set(r.owner, (counts.get(r.owner) ?? 0) + 1);
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([role]) => (owners[role] !== undefined ? { role, team: owners[role] } : { role }));
}

/** What the environment's contract sections make possible. */
export function environmentShape(contract: Contract, envName: string): EnvironmentShape {
  const env = contract.environments[envName]!;
  const keys = env.keys ?? [];
  const verifier = env.verifier as { debugUrl?: unknown } | undefined;
  return {
    issuerUrl: readIssuerBaseUrl(contract, envName) !== undefined,
    api: env.api !== undefined,
    keys: keys.length > 0,
    servedKeys: keys.some((k) => 'jwksUri' in k || 'discovery' in k),
    verifierDebugUrl: typeof verifier?.debugUrl === 'string',
    policy: env.policy !== undefined,
    obtain: obtainOf(env),
    production: env.production === true,
  };
}

function obtainOf(env: Record<string, unknown>): { client?: string } | undefined {
  if (env.obtain !== undefined) return {};
  const clients = (env.clients ?? {}) as Record<string, { obtain?: unknown } | undefined>;
  const client = Object.keys(clients)
    .sort()
    .find((c) => clients[c]?.obtain !== undefined);
  return client !== undefined ? { client } : undefined;
}

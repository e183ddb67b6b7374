import type { Contract } from '../contract/load.ts';
import { ContractError, UsageError } from '../errors.ts';
import { draftToken } from '../mint/draft_token.ts';
import { mintToken, type MintedToken } from '../mint/mint_token.ts';
import { audiencesOf } from './static_overlaps.ts';

/** One token shaped for another environment, or for one dimension of it (the token stays in memory, never in a result). */
export interface MintedVariant {
  from: string;
  variant: 'as-minted' | 'key' | 'issuer' | 'audience';
  /** The issuer or audience the variant carries (issuer and audience variants). */
  value?: string;
  token: string;
  signer: MintedToken['signer'];
}

/** A variant that could not be minted, and why (no signer, a signer that does not load). */
export interface NotMinted {
  from: string;
  variant: string;
  why: string;
}

export interface VariantPlan {
  minted: MintedVariant[];
  notMinted: NotMinted[];
}

interface Ctx {
  contract: Contract;
  prodName: string;
  now: number;
  vars?: Record<string, string | undefined>;
  plan: VariantPlan;
}

/** Mints one variant; a signer that cannot be loaded is a NotMinted line (its message names the field, never the secret). */
function attempt(ctx: Ctx, from: string, variant: MintedVariant['variant'], value: string | undefined, mint: () => MintedToken): void {
  try {
    const m = mint();
    ctx.plan.minted.push({ from, variant, ...(value !== undefined ? { value } : {}), token: m.token, signer: m.signer });
  } catch (e) {
    if (!(e instanceof ContractError || e instanceof UsageError)) throw e;
    ctx.plan.notMinted.push({ from, variant, why: e.message });
  }
}

/**
 * Production's own claims (iss, aud, sub, expected and required claims)
 * without the instant-bound ones: what the `key` variant puts in a token
 * the other environment's signer signs, so only the key differs.
 */
function productionClaims(ctx: Ctx): Record<string, unknown> {
  const {
    iat: _iat,
    exp: _exp,
    jti: _jti,
    ...claims
  } = draftToken({ env: ctx.contract.environments[ctx.prodName]!, now: ctx.now, lifetimeSeconds: 1 }, { alg: 'none' }).payload;
  return claims;
}

/** The other environment's own token and its key with production's claims: both minted for that (non-production) environment. */
function otherSignerVariants(ctx: Ctx, from: string): void {
  const base = { now: ctx.now, ...(ctx.vars ? { vars: ctx.vars } : {}) };
  attempt(ctx, from, 'as-minted', undefined, () => mintToken(ctx.contract, from, base));
  const claims = productionClaims(ctx);
  attempt(ctx, from, 'key', undefined, () => mintToken(ctx.contract, from, { ...base, claims }));
}

/** Production's signer with one of the other environment's issuers or audiences: proves that one check keeps it out. */
function productionSignerVariants(ctx: Ctx, from: string): void {
  const { contract, prodName } = ctx;
  const base = { now: ctx.now, allowProduction: true, ...(ctx.vars ? { vars: ctx.vars } : {}) };
  for (const iss of contract.environments[from]!.issuer ?? [])
    attempt(ctx, from, 'issuer', iss, () => mintToken(contract, prodName, { ...base, claims: { iss } }));
  for (const aud of audiencesOf(contract, from))
    attempt(ctx, from, 'audience', aud, () => mintToken(contract, prodName, { ...base, claims: { aud } }));
}

/**
 * Every token the isolation check sends, per other environment: `as-minted`
 * and `key` with that environment's signer (when it has one), `issuer` and
 * `audience` with production's own signer (when production has one; the
 * caller asked for a check of production). Other environments are minted
 * for as themselves, so the production guard (src/contract/production_guard.ts)
 * applies to them as to `jwt-doctor mint`.
 *
 * @example mintVariants(contract, 'prod', NOW).minted.map((v) => `${v.from}/${v.variant}`) // ['staging/as-minted', 'staging/key', ...]
 */
export function mintVariants(contract: Contract, prodName: string, now: number, vars?: Record<string, string | undefined>): VariantPlan {
  const ctx: Ctx = { contract, prodName, now, plan: { minted: [], notMinted: [] }, ...(vars ? { vars } : {}) };
  const prodSigner = contract.environments[prodName]!.signer !== undefined;
  for (const [from, env] of Object.entries(contract.environments)) {
    if (from === prodName) continue;
    // Another production environment is not minted for (the production guard): its issuer, audience and keys are still compared.
    if (env.production === true) ctx.plan.notMinted.push({ from, variant: 'as-minted, key', why: `environment ${from} is production too` });
    else if (env.signer !== undefined) otherSignerVariants(ctx, from);
    else ctx.plan.notMinted.push({ from, variant: 'as-minted, key', why: `environment ${from} has no signer` });
    if (prodSigner) productionSignerVariants(ctx, from);
  }
  if (!prodSigner) ctx.plan.notMinted.push({ from: prodName, variant: 'issuer, audience', why: `environment ${prodName} has no signer` });
  return ctx.plan;
}

/**
 * jwt-doctor's one error hierarchy (the shape of jose's src/util/errors.ts):
 * a base class, one subclass per kind of failure, each with a stable `code`
 * from a closed union and the process `exitCode` the CLI maps it to.
 *
 * Errors are never the answer about a token: a bad token is a Finding with a
 * reason code (src/reasons.ts). An error means the input cannot be used (a
 * flag, a contract, a key given directly) or an I/O step a command cannot do
 * without failed. Messages are free text for people; `code` is for programs.
 *
 * @example
 * import { errors, loadContract } from 'jwt-doctor';
 * try {
 *   loadContract('auth-contract.yaml');
 * } catch (e) {
 *   if (e instanceof errors.ContractError) console.error(e.code, e.path); // 'ERR_CONTRACT_INVALID' 'environments.prod.issuer'
 * }
 */

/**
 * The process exit codes of the CLI (docs/cli-input.md, "Exit codes"):
 *
 * - `ok` 0: the token is valid / every check passes.
 * - `fail` 1: a finding: the token, or the setup a command checks, fails.
 * - `usage` 2: usage or contract error: the input cannot be used.
 * - `software` 70: an error jwt-doctor did not foresee, a defect
 *   (EX_SOFTWARE of sysexits.h), so scripts can tell it from a finding or a
 *   usage error.
 */
export const EXIT = { ok: 0, fail: 1, usage: 2, software: 70 } as const;

/** One of {@link EXIT}'s values. */
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/**
 * Every error code jwt-doctor raises (a closed union: new codes are added,
 * never renamed or reused):
 *
 * - `ERR_USAGE`: the operator's input cannot be used: a malformed flag, a
 *   missing or empty file, an unset variable, the token given twice. Exit 2.
 * - `ERR_CONTRACT_INVALID`: the contract cannot be used: the error names the
 *   file, the field path, what was expected and what was found. Exit 2.
 * - `ERR_KEY_IMPORT`: key material given directly (a JWK, JWK Set, PEM,
 *   certificate or secret) does not import. Key sources of a contract report
 *   this as a finding instead (`key_invalid`, `jwks_unreachable`). Exit 2.
 * - `ERR_NETWORK`: a network step that a command cannot do without failed
 *   (a key source that is only a finding never raises it). Exit 1, as for
 *   the `jwks_unreachable` finding: the network belongs to the environment.
 * - `ERR_PRODUCTION_REFUSED`: a command that forges or mints tokens (mint,
 *   drill) was pointed at an environment marked `production: true` without
 *   `--i-know` (`allowProduction`). Exit 2.
 * - `ERR_UNEXPECTED`: anything else (the base class, and how the CLI reports
 *   an error that is not a JwtDoctorError). Exit 70.
 */
export type ErrorCode =
  'ERR_USAGE' | 'ERR_CONTRACT_INVALID' | 'ERR_KEY_IMPORT' | 'ERR_NETWORK' | 'ERR_PRODUCTION_REFUSED' | 'ERR_UNEXPECTED';

/** The base class: every error jwt-doctor throws on purpose is one of its subclasses. */
export class JwtDoctorError extends Error {
  /** The code of this class, for checks without an instance. */
  static readonly code: ErrorCode = 'ERR_UNEXPECTED';
  /** A stable code from {@link ErrorCode}. */
  readonly code: ErrorCode = JwtDoctorError.code;
  /** The exit code the CLI ends with when this error stops a command. */
  readonly exitCode: ExitCode = EXIT.software;

  constructor(message?: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * The operator's input cannot be used (a missing file, an unset variable, a
 * malformed flag): exit 2 with one line saying what to fix, never a token
 * finding.
 */
export class UsageError extends JwtDoctorError {
  static override readonly code = 'ERR_USAGE';
  override readonly code = UsageError.code;
  override readonly exitCode = EXIT.usage;
}

/**
 * A contract that cannot be used: exit 2, with the file, the field path,
 * what was expected and what was found (never a secret value).
 */
export class ContractError extends JwtDoctorError {
  static override readonly code = 'ERR_CONTRACT_INVALID';
  override readonly code = ContractError.code;
  override readonly exitCode = EXIT.usage;

  constructor(
    /** The contract file, or `(object)` for a contract passed as an object. */
    readonly file: string,
    /** The field path (`environments.prod.keys[0].jwksUri`), '' for the top level. */
    readonly path: string,
    readonly expected: string,
    readonly found: string,
  ) {
    super(`${file}: ${path || '(top level)'}: expected ${expected}, found ${found}`);
  }
}

/**
 * Key material that does not import (a JWK missing members, a PEM that does
 * not parse, a secret that does not decode). The message never carries the
 * material itself.
 */
export class KeyImportError extends JwtDoctorError {
  static override readonly code = 'ERR_KEY_IMPORT';
  override readonly code = KeyImportError.code;
  override readonly exitCode = EXIT.usage;
}

/**
 * A network step a command cannot do without failed. `url` names where,
 * `reason` says how (the transport vocabulary: `timeout`, `refused`, `dns`,
 * `tls`, `http_status`, ...).
 */
export class NetworkError extends JwtDoctorError {
  static override readonly code = 'ERR_NETWORK';
  override readonly code = NetworkError.code;
  override readonly exitCode = EXIT.fail;

  constructor(
    message: string,
    readonly url?: string,
    readonly reason?: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/**
 * A command that mints or forges tokens refused an environment marked
 * `production: true`: exit 2. Pass `--i-know` (library: `allowProduction`)
 * when that is really meant.
 */
export class ProductionRefusedError extends JwtDoctorError {
  static override readonly code = 'ERR_PRODUCTION_REFUSED';
  override readonly code = ProductionRefusedError.code;
  override readonly exitCode = EXIT.usage;

  constructor(
    /** The environment refused. */
    readonly env: string,
    /** What was refused (`mint`, `drill`). */
    readonly action: string,
  ) {
    super(
      `environment ${env} is marked production: true; ${action} refuses it (tokens minted there are real credentials): pass --i-know if that is really meant`,
    );
  }
}

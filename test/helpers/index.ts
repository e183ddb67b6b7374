/**
 * The shared test helpers, one import:
 *
 *   import { NOW, makeKey, signToken, claimsAt, codes, runCli, startServer } from '../helpers/index.ts';
 *
 * - mint.ts: makeKey(alg, { kid, fresh, ... }), signToken(key, claims, header?), signJws, rawToken, jwksOf, claimsAt
 * - clock.ts: NOW (the one fixed clock), NOW_ISO, isoAt, EXAMPLES_NOW(_ISO)
 * - codes.ts: codes(result | findings)
 * - cli.ts: runCli(args, options) -> { code, stdout, stderr }
 * - http_server.ts: startServer(routes), serve(handler), listen(server), closeServer(server), json, hang
 */
export * from './mint.ts';
export * from './clock.ts';
export * from './codes.ts';
export * from './cli.ts';
export * from './http_server.ts';

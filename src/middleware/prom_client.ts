import { createRequire } from 'node:module';

/**
 * prom-client, required on first use: it is an optional peer dependency of
 * jwt-doctor, so `jwt-doctor/middleware` loads without it and a verifier
 * with `registry: false` never needs it. prom-client is CommonJS, so a
 * synchronous require keeps metric creation synchronous.
 *
 * @example const { Counter } = loadPromClient();
 */
export function loadPromClient(): typeof import('prom-client') {
  try {
    return createRequire(import.meta.url)('prom-client') as typeof import('prom-client');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND' || !(e as Error).message.includes("'prom-client'")) throw e;
    throw Object.assign(new Error('jwt-doctor metrics need prom-client: npm install prom-client, or pass registry: false'), {
      code: 'ERR_JWT_DOCTOR_MISSING_PEER',
    });
  }
}

/**
 * The compiler options of a careful TypeScript consumer of the package
 * (nodenext, strict, exactOptionalPropertyTypes, noUncheckedIndexedAccess):
 * shared by the packed-tarball test and the type tests so both compile as
 * the same user would.
 */
export const STRICT_CONSUMER_OPTIONS = {
  module: 'nodenext',
  moduleResolution: 'nodenext',
  target: 'ES2022',
  strict: true,
  exactOptionalPropertyTypes: true,
  noUncheckedIndexedAccess: true,
  types: ['node'],
} as const;

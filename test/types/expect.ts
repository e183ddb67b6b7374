/**
 * Type assertions for the type tests (as jose's test-d/ with tsd): each
 * file of test/types/ is compiled, never run, by
 * test/type_declarations.test.ts against the declarations tsc emits, as a
 * strict nodenext consumer importing 'jwt-doctor' sees them. A wrong type
 * fails `Expect<Equal<...>>`; an unused `@ts-expect-error` (an unknown
 * option accepted, an internal exported) fails too.
 */
export type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
export type Expect<T extends true> = T;

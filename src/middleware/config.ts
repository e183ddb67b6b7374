// The middleware's contract sections (tokenSource, verifier) are parsed in src/contract/sections.ts,
// with the rotation and diff front ends' sections: one parser per section.
export { parseTokenSource, parseVerifierSection, DEFAULT_TOKEN_SOURCE, type TokenSourceConfig, type VerifierSection } from '../contract/sections.ts';

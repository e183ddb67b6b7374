/**
 * jwt-doctor/probe: gateway and clock checks (re-exports only): send one
 * token to every route of an environment's API and compare the answers
 * (probeApi), the echo handler a gateway forwards to (createEchoHandler), the
 * clock offset of a server (measureClockOffset), the readers of a
 * WWW-Authenticate challenge and a gateway's header dump, and the text
 * formats the CLI prints. api/probe.api.md lists every name.
 *
 * @example
 * import { probeApi, formatProbeText } from 'jwt-doctor/probe';
 */
export { probeApi, PROBE_SCHEMA, type ProbeReport, type RouteResult, type RouteOutcome, type ProbeOptions } from './probe_api.ts';
export { createEchoHandler, ECHO_SCHEMA, type EchoReport, type EchoHeader, type EchoHandlerOptions } from './echo_handler.ts';
export { measureClockOffset, CLOCK_SCHEMA, type ClockMeasurement, type ClockSample, type MeasureClockOptions } from './clock_offset.ts';
export { parseWwwAuthenticate, type Challenge, type RejectionReason } from './www_authenticate.ts';
export { parseHeaderDump, checkHeaderDump, type HeaderDump, type HeaderHygiene, type HeaderSettings } from './headers.ts';
export { formatProbeText, formatClockText, type ClockProbeReport } from './format_probe.ts';
export type { HeaderFate, ModificationKind } from './classify_echo.ts';
// The environment's `api` section (baseUrl, routes) as probeApi takes it.
export { readApiConfig, type ApiConfig, type ApiRoute } from '../contract/api_section.ts';
export type { HttpResult } from './send_request.ts';
export type { TransportErrorKind } from '../net/failure.ts';

// Gateway and clock checks: re-exports only.
export { createEchoHandler, describeRequestAuth, AUTH_HEADERS, ECHO_SCHEMA, type EchoReport, type EchoHeader, type EchoHandlerOptions } from './echo_handler.ts';
export { probeApi, routeDrift, PROBE_SCHEMA, type ProbeReport, type RouteResult, type RouteOutcome, type ProbeOptions } from './probe_api.ts';
export { classifyEcho, type HeaderFate, type ModificationKind } from './classify_echo.ts';
export { parseWwwAuthenticate, mapRejection, mapVerifierMessage, type Challenge, type RejectionReason } from './www_authenticate.ts';
export { measureClockOffset, compareTokenTimes, clockFindings, CLOCK_SCHEMA, type ClockMeasurement, type ClockSample, type TokenTimeComparison } from './clock_offset.ts';
export { parseHeaderDump, checkHeaderDump, headerSettingsFor, mergeHeaderFindings, type HeaderDump, type HeaderHygiene, type HeaderSettings } from './headers.ts';
export { readApiConfig, readIssuerBaseUrl, DEFAULT_ECHO_PATH, type ApiConfig, type ApiRoute } from '../contract/api_section.ts';
export { echoPathFor } from './route_urls.ts';
export { sendRequest, type HttpResult } from './send_request.ts';
export type { TransportErrorKind } from '../net/failure.ts';
export { fingerprintToken } from './fingerprint.ts';
export { formatProbeText, formatClockText, type ClockProbeReport } from './format_probe.ts';

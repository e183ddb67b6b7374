import type { Diagnosis } from '../diagnose.ts';

/**
 * The diagnosis as `--format json` prints it: the object itself, versioned by
 * its `schema` member (jwt-doctor/diagnosis/v1), two-space indented, one
 * trailing newline. Sanitize first (sanitizeDiagnosis) for an incident note.
 *
 * @example
 * process.stdout.write(formatDiagnosisJson(sanitizeDiagnosis(report)));
 */
export function formatDiagnosisJson(d: Diagnosis): string {
  return JSON.stringify(d, null, 2) + '\n';
}

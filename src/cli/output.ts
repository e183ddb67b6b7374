import type { Diagnosis } from '../diagnose.ts';
import { formatDiagnosisMarkdown } from '../report/markdown.ts';
import { sanitizeDiagnosis } from '../report/sanitize.ts';
import { formatDiagnosisText } from '../report/text.ts';
import { useColor } from './common.ts';

/** Renders a diagnosis in the chosen format, sanitized when asked. */
export function renderDiagnosis(d: Diagnosis, format: string, sanitize: boolean): string {
  const out = sanitize ? sanitizeDiagnosis(d) : d;
  if (format === 'json') return JSON.stringify(out, null, 2) + '\n';
  if (format === 'markdown') return formatDiagnosisMarkdown(out);
  return formatDiagnosisText(out, { color: useColor() });
}

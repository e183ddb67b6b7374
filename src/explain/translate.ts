import type { ReasonCode } from '../reasons.ts';
export interface Translation {
  code: ReasonCode;
  verifier: string;
  claim?: string;
  expected?: string;
  actual?: string;
  kid?: string;
  source: string;
}
/** PLACEHOLDER: the explain helper writes the real table. */
export function translateMessage(_text: string): Translation | undefined {
  const m = /jwt expired|Jwt is expired/i.exec(_text);
  return m ? { code: 'token_expired', verifier: 'placeholder', source: 'placeholder' } : undefined;
}

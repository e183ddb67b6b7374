import type { DiagnoseResponse, EnvironmentsResponse, ExplainResponse } from '../api.ts';

const STORAGE_KEY = 'jwt-doctor-ui-access';
const HEADER = 'X-Jwt-Doctor-Token';

/**
 * The access token from the URL jwt-doctor printed (?token=...), kept in
 * sessionStorage (this tab only) and taken out of the address bar, so it
 * is not in the history, a bookmark or a screenshot of the page.
 */
export function takeAccessToken(): string | undefined {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    sessionStorage.setItem(STORAGE_KEY, fromUrl);
    url.searchParams.delete('token');
    history.replaceState(null, '', url.pathname + url.search + url.hash);
  }
  return fromUrl ?? sessionStorage.getItem(STORAGE_KEY) ?? undefined;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Calls the local API with the access token; a refusal becomes an ApiError with the server's code. */
async function call<T>(access: string, path: string, body?: unknown): Promise<T> {
  const init: RequestInit = { method: body === undefined ? 'GET' : 'POST', headers: { [HEADER]: access }, cache: 'no-store' };
  if (body !== undefined) init.headers = { [HEADER]: access, 'Content-Type': 'application/json' };
  if (body !== undefined) init.body = JSON.stringify(body);
  const res = await fetch(path, init);
  const json = (await res.json().catch(() => ({}))) as { error?: { code?: string; message?: string } };
  if (!res.ok) throw new ApiError(res.status, json.error?.code ?? 'http_error', json.error?.message ?? `HTTP ${res.status}`);
  return json as T;
}

export const api = {
  environments: (access: string) => call<EnvironmentsResponse>(access, '/api/environments'),
  diagnose: (access: string, input: string, env: string) => call<DiagnoseResponse>(access, '/api/diagnose', { input, env }),
  explain: (access: string, text: string) => call<ExplainResponse>(access, '/api/explain', { text }),
};

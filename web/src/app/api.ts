// The console's HTTP client: same-origin JSON fetch, problem+json errors, Accept-Language, 401 hook.
import type { ProblemFieldError } from './types.ts';

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly errors: ProblemFieldError[];

  constructor(status: number, code: string, detail: string, errors: ProblemFieldError[] = []) {
    super(detail);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.detail = detail;
    this.errors = errors;
  }
}

type Hooks = { language: () => string; onUnauthorized: () => void };

const hooks: Hooks = { language: () => 'zh-CN', onUnauthorized: () => {} };

/** Wires the client to the app: where the current language comes from and what a 401 does. */
export function configureApi(next: Partial<Hooks>): void {
  Object.assign(hooks, next);
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

type Problem = { code?: unknown; detail?: unknown; title?: unknown; errors?: unknown };

async function toApiError(response: Response): Promise<ApiError> {
  let body: Problem = {};
  try {
    body = (await response.json()) as Problem;
  } catch {
    // Not JSON (a proxy error page, say): keep the status text.
  }
  const code = typeof body.code === 'string' ? body.code : `http_${response.status}`;
  const detail =
    typeof body.detail === 'string'
      ? body.detail
      : typeof body.title === 'string'
        ? body.title
        : response.statusText || `HTTP ${response.status}`;
  const errors = Array.isArray(body.errors) ? (body.errors as ProblemFieldError[]) : [];
  return new ApiError(response.status, code, detail, errors);
}

type QueryValue = string | number | boolean | undefined | readonly (string | number)[];

type RequestOptions = {
  method?: string;
  body?: unknown;
  /** Query parameters; an array repeats the key (`colour=red&colour=yellow`), undefined is left out. */
  query?: Record<string, QueryValue>;
  /** Extra request headers (an Idempotency-Key, say). */
  headers?: Record<string, string>;
};

function withQuery(path: string, query: RequestOptions['query']): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (Array.isArray(value))
      for (const item of value as readonly (string | number)[]) params.append(key, String(item));
    else params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

/** Calls the API and returns the parsed JSON body (undefined for 204). Throws ApiError on failure. */
export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': hooks.language() };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  Object.assign(headers, options.headers);
  const response = await fetch(withQuery(path, options.query), {
    method: options.method ?? 'GET',
    credentials: 'same-origin',
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  if (!response.ok) {
    const error = await toApiError(response);
    if (response.status === 401 && path !== '/api/auth/login') hooks.onUnauthorized();
    throw error;
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

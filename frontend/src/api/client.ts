// The one way the web app talks to Bureau's API.
//
// - Auth is the HttpOnly session cookie; nothing secret is ever kept in
//   localStorage or sessionStorage (SES-08). Requests are same-origin only.
// - Every state-changing request sends JSON (or a RawBody, e.g. a CSV
//   upload) and the session-bound X-CSRF-Token. The token changes when the session does (setup, login,
//   logout): callers hand the new one to setCsrfToken, or clear it so the next
//   request fetches it again. A 403 csrf_rejected refreshes it and retries once.
// - Errors are problem+json and surface as ApiError.

export const API_BASE = '/api/v1'

export interface FieldProblem {
  field?: string
  code?: string
  message?: string
  /** the line of an uploaded file the problem is on (CSV imports) */
  line?: number
}

export interface Problem {
  type?: string
  status?: number
  title?: string
  detail?: string
  code?: string
  errors?: FieldProblem[]
}

export class ApiError extends Error {
  readonly status: number
  readonly code: string
  readonly title: string
  readonly detail: string
  /** field name → first message for it */
  readonly fieldErrors: Record<string, string>
  /** field name → first code for it */
  readonly fieldCodes: Record<string, string>
  /** seconds from a Retry-After header (429, 503), when present */
  readonly retryAfter: number | null
  /** every entry of the problem's errors list, in order (several may share a field) */
  readonly errors: FieldProblem[]

  constructor(init: {
    status: number
    code: string
    title?: string
    detail?: string
    fieldErrors?: Record<string, string>
    fieldCodes?: Record<string, string>
    retryAfter?: number | null
    errors?: FieldProblem[]
  }) {
    super(init.detail || init.title || `Request failed (${init.status})`)
    this.name = 'ApiError'
    this.status = init.status
    this.code = init.code
    this.title = init.title ?? ''
    this.detail = init.detail ?? ''
    this.fieldErrors = init.fieldErrors ?? {}
    this.fieldCodes = init.fieldCodes ?? {}
    this.retryAfter = init.retryAfter ?? null
    this.errors = init.errors ?? []
  }

  /** True when the server said the caller is not signed in. */
  get isUnauthenticated(): boolean {
    return this.status === 401
  }
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError
}

/**
 * parseRetryAfter reads a Retry-After value: delta-seconds or an HTTP date.
 * Returns whole seconds (at least 1) or null when absent or unreadable.
 */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | null {
  if (value == null) return null
  const v = value.trim()
  if (v === '') return null
  if (/^\d+$/.test(v)) return Math.max(1, parseInt(v, 10))
  const at = Date.parse(v)
  if (Number.isNaN(at)) return null
  return Math.max(1, Math.ceil((at - now) / 1000))
}

/** problemFromResponse turns any failed response into an ApiError. */
export async function problemFromResponse(res: Response): Promise<ApiError> {
  let body: Problem | null = null
  const type = res.headers.get('Content-Type') ?? ''
  if (type.includes('json')) {
    try {
      body = (await res.json()) as Problem
    } catch {
      body = null
    }
  }
  const fieldErrors: Record<string, string> = {}
  const fieldCodes: Record<string, string> = {}
  for (const fe of body?.errors ?? []) {
    if (!fe || typeof fe.field !== 'string' || fe.field === '') continue
    if (!(fe.field in fieldErrors)) {
      fieldErrors[fe.field] = fe.message || 'This value is not valid.'
      if (fe.code) fieldCodes[fe.field] = fe.code
    }
  }
  return new ApiError({
    status: body?.status ?? res.status,
    code: body?.code || fallbackCode(res.status),
    title: body?.title || res.statusText || '',
    detail: body?.detail || fallbackDetail(res.status),
    fieldErrors,
    fieldCodes,
    retryAfter: parseRetryAfter(res.headers.get('Retry-After')),
    errors: (body?.errors ?? []).filter((fe): fe is FieldProblem => !!fe && typeof fe === 'object'),
  })
}

function fallbackCode(status: number): string {
  switch (status) {
    case 401:
      return 'unauthenticated'
    case 403:
      return 'permission_denied'
    case 404:
      return 'not_found'
    case 429:
      return 'rate_limited'
    default:
      return status >= 500 ? 'server_error' : 'http_error'
  }
}

function fallbackDetail(status: number): string {
  if (status >= 500) return 'The server could not answer. Try again in a moment.'
  if (status === 404) return 'Not found.'
  return `The request failed (HTTP ${status}).`
}

// --- CSRF token -----------------------------------------------------------

let csrfToken: string | null = null
let csrfInFlight: Promise<string> | null = null

/** setCsrfToken stores the token a login or setup response returned; null forgets it. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token
  csrfInFlight = null
}

/** fetchCsrfToken asks the server for the session's token; concurrent callers share one request. */
function fetchCsrfToken(): Promise<string> {
  if (csrfInFlight) return csrfInFlight
  const p = (async () => {
    const res = await send('GET', '/auth/csrf', undefined, undefined)
    if (!res.ok) throw await problemFromResponse(res)
    const body = (await res.json()) as { token?: string }
    if (!body.token) {
      throw new ApiError({ status: res.status, code: 'csrf_unavailable', detail: 'Could not get a security token. Reload the page.' })
    }
    return body.token
  })()
  csrfInFlight = p
  p.then(
    (token) => {
      // A token set meanwhile by setCsrfToken (login, setup) wins.
      if (csrfInFlight === p) {
        csrfToken = token
        csrfInFlight = null
      }
    },
    () => {
      if (csrfInFlight === p) csrfInFlight = null
    },
  )
  return p
}

async function currentCsrfToken(): Promise<string> {
  return csrfToken ?? fetchCsrfToken()
}

// --- requests ---------------------------------------------------------------

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

const SAFE: ReadonlySet<Method> = new Set(['GET'])

/**
 * RawBody is a request body that is not JSON (a CSV upload): sent as is, with
 * its own Content-Type, and with the CSRF token like any other write.
 */
export class RawBody {
  readonly contentType: string
  readonly data: string

  constructor(contentType: string, data: string) {
    this.contentType = contentType
    this.data = data
  }
}

function networkError(e: unknown): ApiError {
  if (e instanceof ApiError) return e
  if (e instanceof DOMException && e.name === 'AbortError') {
    return new ApiError({ status: 0, code: 'aborted', detail: 'The request was cancelled.' })
  }
  return new ApiError({
    status: 0,
    code: 'network_error',
    title: 'Network error',
    detail: 'Could not reach Bureau. Check your connection and try again.',
  })
}

async function send(method: Method, path: string, body: unknown, token: string | undefined, signal?: AbortSignal): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json, application/problem+json' }
  let payload: string | undefined
  if (!SAFE.has(method)) {
    if (body instanceof RawBody) {
      headers['Content-Type'] = body.contentType
      payload = body.data
    } else {
      headers['Content-Type'] = 'application/json'
      payload = JSON.stringify(body ?? {})
    }
    if (token) headers['X-CSRF-Token'] = token
  }
  try {
    return await fetch(API_BASE + path, {
      method,
      headers,
      body: payload,
      credentials: 'same-origin',
      cache: 'no-store',
      signal,
    })
  } catch (e) {
    throw networkError(e)
  }
}

export interface RequestOptions {
  signal?: AbortSignal
}

/**
 * request performs one API call and returns the parsed JSON body (undefined
 * for 204). Failures throw ApiError.
 */
export async function request<T>(method: Method, path: string, body?: unknown, opts: RequestOptions = {}): Promise<T> {
  let res: Response
  if (SAFE.has(method)) {
    res = await send(method, path, undefined, undefined, opts.signal)
  } else {
    const token = await currentCsrfToken()
    res = await send(method, path, body, token, opts.signal)
    if (res.status === 403) {
      const err = await problemFromResponse(res)
      if (err.code !== 'csrf_rejected') throw err
      // The session changed under us (or the token expired): refresh once.
      csrfToken = null
      const fresh = await fetchCsrfToken()
      res = await send(method, path, body, fresh, opts.signal)
    }
  }
  if (!res.ok) throw await problemFromResponse(res)
  if (res.status === 204 || res.headers.get('Content-Length') === '0') return undefined as T
  const text = await res.text()
  if (text === '') return undefined as T
  try {
    return JSON.parse(text) as T
  } catch {
    throw new ApiError({ status: res.status, code: 'bad_response', detail: 'The server sent an answer Bureau could not read.' })
  }
}

export const api = {
  get: <T>(path: string, opts?: RequestOptions) => request<T>('GET', path, undefined, opts),
  post: <T>(path: string, body?: unknown, opts?: RequestOptions) => request<T>('POST', path, body, opts),
  put: <T>(path: string, body?: unknown, opts?: RequestOptions) => request<T>('PUT', path, body, opts),
  patch: <T>(path: string, body?: unknown, opts?: RequestOptions) => request<T>('PATCH', path, body, opts),
  delete: <T>(path: string, body?: unknown, opts?: RequestOptions) => request<T>('DELETE', path, body, opts),
}

/** Test hook: forget the cached token. */
export function resetClientForTests(): void {
  csrfToken = null
  csrfInFlight = null
}

import { vi } from 'vitest'

export interface Call {
  method: string
  path: string
  /** the query string's parameters */
  query: URLSearchParams
  headers: Record<string, string>
  body: unknown
}

type Reply = { status?: number; body?: unknown; headers?: Record<string, string> }
type Handler = (call: Call) => Reply | Promise<Reply>

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Reply {
  return { status, body, headers }
}

export function problem(
  status: number,
  code: string,
  detail = '',
  errors?: Array<{ field: string; code?: string; message: string }>,
  headers: Record<string, string> = {},
): Reply {
  return {
    status,
    body: { type: 'about:blank', title: 'Error', status, detail, code, ...(errors ? { errors } : {}) },
    headers: { 'Content-Type': 'application/problem+json', ...headers },
  }
}

/**
 * mockFetch installs a fetch that answers by "METHOD /path" (path without the
 * /api/v1 prefix and query). A handler may be a reply, a function, or a list
 * of replies used in turn (the last one repeats). Unknown routes answer 404.
 */
export function mockFetch(routes: Record<string, Reply | Handler | Reply[]>) {
  const calls: Call[] = []
  const counters: Record<string, number> = {}
  const fn = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input), 'http://localhost')
    const method = (init?.method ?? 'GET').toUpperCase()
    const path = url.pathname.replace(/^\/api\/v1/, '')
    const headers: Record<string, string> = {}
    new Headers(init?.headers).forEach((v, k) => {
      headers[k.toLowerCase()] = v
    })
    let body: unknown = undefined
    if (typeof init?.body === 'string') {
      try {
        body = JSON.parse(init.body)
      } catch {
        body = init.body
      }
    }
    const call: Call = { method, path, query: url.searchParams, headers, body }
    calls.push(call)
    const key = `${method} ${path}`
    const route = routes[key]
    let reply: Reply
    if (route === undefined) {
      reply = problem(404, 'not_found', `no mock for ${key}`)
    } else if (typeof route === 'function') {
      reply = await route(call)
    } else if (Array.isArray(route)) {
      const i = counters[key] ?? 0
      counters[key] = i + 1
      reply = route[Math.min(i, route.length - 1)]
    } else {
      reply = route
    }
    const status = reply.status ?? 200
    const hdrs = new Headers(reply.headers)
    if (!hdrs.has('Content-Type') && reply.body !== undefined) hdrs.set('Content-Type', 'application/json')
    return new Response(reply.body === undefined || status === 204 ? null : JSON.stringify(reply.body), {
      status,
      headers: hdrs,
    })
  })
  vi.stubGlobal('fetch', fn)
  return { fn, calls, callsTo: (key: string) => calls.filter((c) => `${c.method} ${c.path}` === key) }
}

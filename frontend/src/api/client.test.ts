import { beforeEach, describe, expect, it } from 'vitest'
import { json, mockFetch, problem } from '../test/fetchMock'
import { ApiError, api, parseRetryAfter, resetClientForTests, setCsrfToken } from './client'
import { getMe, login, logout, postSetup } from './endpoints'

beforeEach(() => {
  resetClientForTests()
})

describe('api client: CSRF', () => {
  it('fetches the token once and sends it, with a JSON body, on state-changing requests', async () => {
    const m = mockFetch({
      'GET /auth/csrf': json({ token: 'tok-1' }),
      'POST /things': json({ ok: true }, 201),
      'PATCH /things/1': json({ ok: true }),
    })
    await api.post('/things', { name: 'a' })
    await api.patch('/things/1', { name: 'b' })

    expect(m.callsTo('GET /auth/csrf')).toHaveLength(1)
    const post = m.callsTo('POST /things')[0]
    expect(post.headers['x-csrf-token']).toBe('tok-1')
    expect(post.headers['content-type']).toBe('application/json')
    expect(post.body).toEqual({ name: 'a' })
    expect(m.callsTo('PATCH /things/1')[0].headers['x-csrf-token']).toBe('tok-1')
  })

  it('sends an empty JSON object when a state-changing request has no body', async () => {
    const m = mockFetch({ 'GET /auth/csrf': json({ token: 't' }), 'DELETE /things/1': { status: 204 } })
    const out = await api.delete('/things/1')
    expect(out).toBeUndefined()
    const del = m.callsTo('DELETE /things/1')[0]
    expect(del.body).toEqual({})
    expect(del.headers['content-type']).toBe('application/json')
  })

  it('sends no token and no body on GET, with same-origin credentials', async () => {
    const m = mockFetch({ 'GET /me': json({ user: { id: 'u' } }) })
    await api.get('/me')
    expect(m.calls).toHaveLength(1)
    expect(m.calls[0].headers['x-csrf-token']).toBeUndefined()
    expect(m.calls[0].body).toBeUndefined()
    const init = m.fn.mock.calls[0][1] as RequestInit
    expect(init.credentials).toBe('same-origin')
  })

  it('on 403 csrf_rejected re-fetches the token and retries once', async () => {
    const m = mockFetch({
      'GET /auth/csrf': [json({ token: 'old' }), json({ token: 'new' })],
      'POST /things': (c) =>
        c.headers['x-csrf-token'] === 'new' ? json({ ok: true }) : problem(403, 'csrf_rejected', 'stale'),
    })
    await expect(api.post('/things', {})).resolves.toEqual({ ok: true })
    expect(m.callsTo('GET /auth/csrf')).toHaveLength(2)
    expect(m.callsTo('POST /things').map((c) => c.headers['x-csrf-token'])).toEqual(['old', 'new'])
  })

  it('retries only once: a second csrf_rejected becomes the error', async () => {
    const m = mockFetch({
      'GET /auth/csrf': json({ token: 'x' }),
      'POST /things': problem(403, 'csrf_rejected', 'Not from Bureau.'),
    })
    const err = (await api.post('/things', {}).catch((e) => e)) as ApiError
    expect(err).toBeInstanceOf(ApiError)
    expect(err.code).toBe('csrf_rejected')
    expect(m.callsTo('POST /things')).toHaveLength(2)
  })

  it('does not retry other 403s', async () => {
    const m = mockFetch({
      'GET /auth/csrf': json({ token: 'x' }),
      'POST /things': problem(403, 'permission_denied', 'No.'),
    })
    const err = (await api.post('/things', {}).catch((e) => e)) as ApiError
    expect(err.code).toBe('permission_denied')
    expect(m.callsTo('POST /things')).toHaveLength(1)
    expect(m.callsTo('GET /auth/csrf')).toHaveLength(1)
  })

  it('uses the token from the login response, and forgets it on logout', async () => {
    const m = mockFetch({
      'GET /auth/csrf': [json({ token: 'anon' }), json({ token: 'after-logout' })],
      'POST /auth/login': json({ user: {}, tenant: {}, csrf_token: 'session-tok' }),
      'POST /auth/logout': { status: 204 },
      'POST /things': json({}),
    })
    await login({ email: 'a@b.c', password: 'x' })
    expect(m.callsTo('POST /auth/login')[0].headers['x-csrf-token']).toBe('anon')
    await api.post('/things', {})
    expect(m.callsTo('POST /things')[0].headers['x-csrf-token']).toBe('session-tok')
    await logout()
    expect(m.callsTo('POST /auth/logout')[0].headers['x-csrf-token']).toBe('session-tok')
    await api.post('/things', {})
    expect(m.callsTo('POST /things')[1].headers['x-csrf-token']).toBe('after-logout')
  })

  it('uses the token from the setup response', async () => {
    const m = mockFetch({
      'GET /auth/csrf': json({ token: 'anon' }),
      'POST /setup': json({ tenant: {}, account: {}, user: {}, csrf_token: 'owner-tok' }, 201),
      'POST /things': json({}),
    })
    await postSetup({
      tenant_name: 'T',
      tenant_slug: 'tt',
      owner_name: 'O',
      owner_email: 'o@x.io',
      owner_password: 'p'.repeat(15),
    })
    await api.post('/things', {})
    expect(m.callsTo('POST /things')[0].headers['x-csrf-token']).toBe('owner-tok')
  })

  it('shares one token request between concurrent calls', async () => {
    const m = mockFetch({ 'GET /auth/csrf': json({ token: 't' }), 'POST /a': json({}), 'POST /b': json({}) })
    await Promise.all([api.post('/a', {}), api.post('/b', {})])
    expect(m.callsTo('GET /auth/csrf')).toHaveLength(1)
  })

  it('a token set explicitly is used without asking the server', async () => {
    setCsrfToken('given')
    const m = mockFetch({ 'POST /a': json({}) })
    await api.post('/a', {})
    expect(m.calls.map((c) => c.path)).toEqual(['/a'])
    expect(m.calls[0].headers['x-csrf-token']).toBe('given')
  })
})

describe('api client: errors', () => {
  it('parses problem+json into an ApiError with field errors', async () => {
    mockFetch({
      'GET /auth/csrf': json({ token: 't' }),
      'POST /setup': problem(422, 'validation_failed', 'Check the highlighted fields.', [
        { field: 'tenant_slug', code: 'slug_reserved', message: '“api” is reserved by Bureau.' },
        { field: 'owner_password', code: 'password_too_short', message: 'Use at least 15 characters.' },
        { field: 'owner_password', code: 'password_too_common', message: 'second message is ignored' },
      ]),
    })
    const err = (await api.post('/setup', {}).catch((e) => e)) as ApiError
    expect(err).toBeInstanceOf(ApiError)
    expect(err.status).toBe(422)
    expect(err.code).toBe('validation_failed')
    expect(err.detail).toBe('Check the highlighted fields.')
    expect(err.fieldErrors).toEqual({
      tenant_slug: '“api” is reserved by Bureau.',
      owner_password: 'Use at least 15 characters.',
    })
    expect(err.fieldCodes.tenant_slug).toBe('slug_reserved')
  })

  it('reads Retry-After on 429', async () => {
    mockFetch({
      'GET /auth/csrf': json({ token: 't' }),
      'POST /auth/login': problem(429, 'rate_limited', 'Too many requests.', undefined, { 'Retry-After': '42' }),
    })
    const err = (await login({ email: 'a@b.c', password: 'x' }).catch((e) => e)) as ApiError
    expect(err.status).toBe(429)
    expect(err.code).toBe('rate_limited')
    expect(err.retryAfter).toBe(42)
  })

  it('makes an ApiError of a non-JSON failure', async () => {
    const fetchFn = async () => new Response('<html>Bad gateway</html>', { status: 502, headers: { 'Content-Type': 'text/html' } })
    vi.stubGlobal('fetch', fetchFn)
    const err = (await api.get('/me').catch((e) => e)) as ApiError
    expect(err).toBeInstanceOf(ApiError)
    expect(err.status).toBe(502)
    expect(err.code).toBe('server_error')
    expect(err.detail).toMatch(/try again/i)
  })

  it('turns a network failure into network_error', async () => {
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('Failed to fetch')
    })
    const err = (await api.get('/me').catch((e) => e)) as ApiError
    expect(err).toBeInstanceOf(ApiError)
    expect(err.status).toBe(0)
    expect(err.code).toBe('network_error')
  })

  it('getMe answers null for 401, and throws other errors', async () => {
    mockFetch({ 'GET /me': problem(401, 'unauthenticated', 'Sign in.') })
    await expect(getMe()).resolves.toBeNull()
    mockFetch({ 'GET /me': problem(500, 'internal', 'Boom.') })
    await expect(getMe()).rejects.toMatchObject({ status: 500, code: 'internal' })
  })
})

describe('parseRetryAfter', () => {
  it('reads delta-seconds', () => {
    expect(parseRetryAfter('30')).toBe(30)
    expect(parseRetryAfter(' 5 ')).toBe(5)
    expect(parseRetryAfter('0')).toBe(1)
  })
  it('reads an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z')
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:10 GMT', now)).toBe(10)
  })
  it('returns null when absent or unreadable', () => {
    expect(parseRetryAfter(null)).toBeNull()
    expect(parseRetryAfter('')).toBeNull()
    expect(parseRetryAfter('soon')).toBeNull()
  })
})

describe('logout', () => {
  it('answers no provider sign-out page for a 204, or for an already ended session', async () => {
    mockFetch({ 'GET /auth/csrf': json({ token: 't' }), 'POST /auth/logout': [{ status: 204 }, problem(401, 'unauthenticated', '')] })
    expect(await logout()).toEqual({ endSessionUrl: null })
    expect(await logout()).toEqual({ endSessionUrl: null })
  })

  it('passes on the provider’s end_session_url of a session from SSO', async () => {
    mockFetch({
      'GET /auth/csrf': json({ token: 't' }),
      'POST /auth/logout': json({ end_session_url: 'https://login.example/oauth2/logout?id_token_hint=x&post_logout_redirect_uri=y' }),
    })
    expect(await logout()).toEqual({
      endSessionUrl: 'https://login.example/oauth2/logout?id_token_hint=x&post_logout_redirect_uri=y',
    })
  })

  it.each([['javascript:alert(1)'], ['/relative'], [''], [42]])('ignores an end_session_url that is not a web address: %j', async (url) => {
    mockFetch({ 'GET /auth/csrf': json({ token: 't' }), 'POST /auth/logout': json({ end_session_url: url }) })
    expect(await logout()).toEqual({ endSessionUrl: null })
  })

  it('still fails on other errors', async () => {
    mockFetch({ 'GET /auth/csrf': json({ token: 't' }), 'POST /auth/logout': problem(500, 'server_error', 'Boom.') })
    await expect(logout()).rejects.toBeInstanceOf(ApiError)
  })
})

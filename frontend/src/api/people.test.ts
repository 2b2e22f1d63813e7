import { beforeEach, describe, expect, it } from 'vitest'
import { ApiError, resetClientForTests } from './client'
import { importInvitations, listMembers } from './people'
import { json, mockFetch } from '../test/fetchMock'
import { road, wile } from '../test/people'

beforeEach(() => resetClientForTests())

describe('people endpoints', () => {
  it('sends a CSV as text/csv with the CSRF token and the role', async () => {
    const m = mockFetch({
      'GET /auth/csrf': json({ token: 'tok' }),
      'POST /accounts/acme/invitations/import': json({ items: [], emailed: 0, outbox: 0 }, 201),
    })
    await importInvitations('acme', 'email\na@x.io\n', 'client')
    const call = m.callsTo('POST /accounts/acme/invitations/import')[0]
    expect(call.headers['content-type']).toBe('text/csv; charset=utf-8')
    expect(call.headers['x-csrf-token']).toBe('tok')
    expect(call.query.get('role')).toBe('client')
    expect(call.body).toBe('email\na@x.io\n')
  })

  it('keeps every error of a refused file, with its line', async () => {
    mockFetch({
      'GET /auth/csrf': json({ token: 'tok' }),
      'POST /accounts/acme/invitations/import': {
        status: 422,
        headers: { 'Content-Type': 'application/problem+json' },
        body: {
          status: 422,
          code: 'csv_invalid',
          errors: [
            { line: 2, field: 'email', code: 'email_invalid', message: 'a' },
            { line: 4, field: 'email', code: 'email_invalid', message: 'b' },
          ],
        },
      },
    })
    const err = (await importInvitations('acme', 'x', 'account_user').catch((e) => e)) as ApiError
    expect(err).toBeInstanceOf(ApiError)
    expect(err.code).toBe('csv_invalid')
    expect(err.errors.map((e) => e.line)).toEqual([2, 4])
    // The first-per-field view stays as it was.
    expect(err.fieldErrors).toEqual({ email: 'a' })
  })

  it('follows the members cursor', async () => {
    const m = mockFetch({
      'GET /accounts/acme/members': (c) =>
        json(c.query.get('cursor') ? { items: [wile], next_cursor: null } : { items: [road], next_cursor: 'next' }),
    })
    const page = await listMembers('acme')
    expect(page.items.map((x) => x.user_id)).toEqual(['u11', 'u10'])
    expect(m.calls.map((c) => c.query.get('limit'))).toEqual(['500', '500'])
  })
})

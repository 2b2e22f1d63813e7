import { screen, waitFor } from '@testing-library/react'
import { fill, setupUser } from '../test/user'
import { describe, expect, it } from 'vitest'
import { json, mockFetch, problem } from '../test/fetchMock'
import { renderApp } from '../test/render'

const location = () => screen.getByTestId('location').textContent
const SENT = 'If an account exists for that address, we sent a link. It is valid for 1 hour.'

function routes(over: Parameters<typeof mockFetch>[0] = {}) {
  return mockFetch({
    'GET /setup': json({ needed: false }),
    'GET /auth/csrf': json({ token: 'anon' }),
    'GET /me': problem(401, 'unauthenticated', 'Sign in.'),
    'POST /auth/password-reset': json({}, 202),
    ...over,
  })
}

describe('forgot password', () => {
  it('is reached from the sign-in page, keeping the typed email', async () => {
    routes()
    const user = setupUser()
    renderApp('/login')
    await fill(user, await screen.findByRole('textbox', { name: /^Email/ }), 'ada@northwind.example')
    await user.click(screen.getByRole('link', { name: 'Forgot password?' }))
    expect(await screen.findByRole('heading', { name: 'Reset your password' })).toBeInTheDocument()
    expect(location()).toBe('/forgot-password')
    expect(screen.getByRole('textbox', { name: /^Email/ })).toHaveValue('ada@northwind.example')
  })

  it('always gives the same answer, and links back to sign in', async () => {
    const m = routes()
    const user = setupUser()
    renderApp('/forgot-password')
    await fill(user, await screen.findByRole('textbox', { name: /^Email/ }), ' nobody@nowhere.example {Enter}')
    expect(await screen.findByRole('status')).toHaveTextContent(SENT)
    expect(m.callsTo('POST /auth/password-reset')[0].body).toEqual({ email: 'nobody@nowhere.example' })
    expect(screen.getByRole('link', { name: /Back to sign in/ })).toHaveAttribute('href', '/login')
  })

  it('checks the address before asking, and reports a rate limit', async () => {
    const m = routes({ 'POST /auth/password-reset': problem(429, 'rate_limited', 'Slow down.', undefined, { 'Retry-After': '20' }) })
    const user = setupUser()
    renderApp('/forgot-password')
    await user.click(await screen.findByRole('button', { name: 'Send reset link' }))
    expect(screen.getByText('Enter the email address you sign in with.')).toBeInTheDocument()
    expect(m.callsTo('POST /auth/password-reset')).toHaveLength(0)
    await fill(user, screen.getByRole('textbox', { name: /^Email/ }), 'ada@northwind.example{Enter}')
    expect(await screen.findByRole('alert')).toHaveTextContent('Too many attempts. Try again in 20 seconds.')
  })
})

describe('reset password', () => {
  const newPw = () => screen.getByLabelText(/^New password/, { selector: 'input' })
  const confirmPw = () => screen.getByLabelText(/^Confirm new password/, { selector: 'input' })

  it('sets the new password, then sends the person to sign in', async () => {
    const m = routes({ 'POST /auth/password-reset/rt-1': { status: 204 } })
    const user = setupUser()
    renderApp('/reset-password/rt-1')
    expect(await screen.findByRole('heading', { name: 'Choose a new password' })).toBeInTheDocument()
    await fill(user, newPw(), 'lantern harbour quietly')
    await fill(user, confirmPw(), 'lantern harbour quiet')
    await user.click(screen.getByRole('button', { name: 'Set new password' }))
    expect(screen.getByText('The two passwords do not match.')).toBeInTheDocument()
    expect(m.callsTo('POST /auth/password-reset/rt-1')).toHaveLength(0)

    await fill(user, confirmPw(), 'ly{Enter}')
    await waitFor(() => expect(location()).toBe('/login'))
    expect(await screen.findByText('Password changed')).toBeInTheDocument()
    expect(screen.getByRole('heading', { name: 'Sign in' })).toBeInTheDocument()
    expect(m.callsTo('POST /auth/password-reset/rt-1')[0].body).toEqual({ password: 'lantern harbour quietly' })
  })

  it('puts the policy error on the new password', async () => {
    routes({
      'POST /auth/password-reset/rt-1': problem(422, 'validation_failed', 'Check the password.', [
        { field: 'password', code: 'password_too_common', message: 'This password is on a list of common passwords.' },
      ]),
    })
    const user = setupUser()
    renderApp('/reset-password/rt-1')
    await fill(user, await screen.findByLabelText(/^New password/, { selector: 'input' }), 'correct horse battery staple')
    await fill(user, confirmPw(), 'correct horse battery staple{Enter}')
    expect(await screen.findByText('This password is on a list of common passwords.')).toBeInTheDocument()
    expect(newPw()).toHaveAttribute('aria-invalid', 'true')
    expect(location()).toBe('/reset-password/rt-1')
  })

  it('explains a dead link and offers a new one', async () => {
    routes({ 'POST /auth/password-reset/rt-1': problem(410, 'reset_link_invalid', 'This link is no longer valid.') })
    const user = setupUser()
    renderApp('/reset-password/rt-1')
    await fill(user, await screen.findByLabelText(/^New password/, { selector: 'input' }), 'lantern harbour quietly')
    await fill(user, confirmPw(), 'lantern harbour quietly{Enter}')
    expect(await screen.findByRole('heading', { name: 'This reset link can no longer be used' })).toBeInTheDocument()
    expect(screen.getByText(/Reset links work once, for 1 hour/)).toBeInTheDocument()
    await user.click(screen.getByRole('link', { name: 'Send a new link' }))
    await waitFor(() => expect(location()).toBe('/forgot-password'))
  })
})

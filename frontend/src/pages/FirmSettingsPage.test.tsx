import { screen, waitFor, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import type { FirmSettings } from '../api/tenantSettings'
import type { Me } from '../api/types'
import { json, mockFetch, problem } from '../test/fetchMock'
import { consultantMe, ownerMe } from '../test/fixtures'
import { renderApp } from '../test/render'
import { fill, setupUser } from '../test/user'

const adminMe: Me = { ...ownerMe, permissions: [...ownerMe.permissions, 'tenant:sso'] }

const firm: FirmSettings = {
  id: 't1',
  slug: 'northwind-automation',
  name: 'Northwind Automation',
  plan: 'trial',
  branding: { display_name: 'Northwind', logo: '', color: '#1f4e79', support_email: 'help@northwind.example' },
  staff_passwords_enabled: true,
}

type Routes = Parameters<typeof mockFetch>[0]

function routes(over: Routes = {}, me: Me = adminMe) {
  return mockFetch({
    'GET /setup': json({ needed: false }),
    'GET /me': json(me),
    'GET /auth/csrf': json({ token: 't' }),
    'GET /accounts': json({ items: [], next_cursor: null }),
    'GET /tenant': json(firm),
    ...over,
  })
}

describe('firm settings page', () => {
  it('is the first settings page of a Tenant Admin, in the navigation', async () => {
    routes()
    renderApp('/settings')
    expect(await screen.findByRole('heading', { name: 'Firm settings', level: 1 })).toBeInTheDocument()
    expect(screen.getByTestId('location')).toHaveTextContent('/settings/firm')
    const nav = screen.getByRole('navigation', { name: 'Main navigation' })
    expect(within(nav).getByRole('link', { name: 'Firm settings' })).toHaveAttribute('aria-current', 'page')
    expect(within(nav).getByRole('link', { name: 'Single sign-on' })).toHaveAttribute('href', '/settings/sso')
  })

  it('is not there for a consultant', async () => {
    const m = routes({}, consultantMe)
    renderApp('/settings/firm')
    expect(await screen.findByRole('heading', { name: 'Page not found' })).toBeInTheDocument()
    const nav = screen.getByRole('navigation', { name: 'Main navigation' })
    expect(within(nav).queryByRole('link', { name: 'Firm settings' })).not.toBeInTheDocument()
    expect(within(nav).queryByRole('link', { name: 'Single sign-on' })).not.toBeInTheDocument()
    expect(m.callsTo('GET /tenant')).toHaveLength(0)
  })

  it('loads the settings, previews the brand live and saves only what changed', async () => {
    const m = routes({
      'PATCH /tenant': (c) => {
        const body = c.body as { name?: string; branding?: FirmSettings['branding'] }
        return json({ ...firm, ...(body.name ? { name: body.name } : {}), ...(body.branding ? { branding: body.branding } : {}) })
      },
    })
    const user = setupUser()
    renderApp('/settings/firm')
    const name = await screen.findByLabelText(/^Firm name/)
    expect(name).toHaveValue('Northwind Automation')
    expect(screen.getByLabelText('Slug')).toHaveValue('northwind-automation')
    expect(screen.getByLabelText('Slug')).toHaveAttribute('readonly')
    expect(screen.getByLabelText('Brand colour')).toHaveValue('#1f4e79')
    expect(screen.getByLabelText('Support email')).toHaveValue('help@northwind.example')
    expect(screen.getByTestId('brand-preview-name')).toHaveTextContent('Northwind')
    expect(screen.getByTestId('brand-preview-color')).toHaveTextContent('#1f4e79')
    expect(screen.getByRole('button', { name: 'Save branding' })).toBeDisabled()

    // The preview follows the edits before they are saved.
    const display = screen.getByLabelText('Display name')
    await user.clear(display)
    await fill(user, display, 'Northwind Partners')
    const colour = screen.getByLabelText('Brand colour')
    await user.clear(colour)
    await fill(user, colour, '#AA3366')
    expect(screen.getByTestId('brand-preview-name')).toHaveTextContent('Northwind Partners')
    expect(screen.getByTestId('brand-preview-color')).toHaveTextContent('#aa3366')
    const branding = screen.getByRole('form', { name: 'Branding' }).closest('.mantine-Card-root') as HTMLElement
    expect(within(branding).getByText('Unsaved changes')).toBeInTheDocument()

    await user.click(screen.getByRole('button', { name: 'Save branding' }))
    expect(await screen.findByText('Branding saved')).toBeInTheDocument()
    expect(m.callsTo('PATCH /tenant')[0].body).toEqual({
      branding: { display_name: 'Northwind Partners', color: '#aa3366', logo: '', support_email: 'help@northwind.example' },
    })
    await waitFor(() => expect(screen.getByRole('button', { name: 'Save branding' })).toBeDisabled())
    expect(within(branding).queryByText('Unsaved changes')).not.toBeInTheDocument()
    // The shell's name and brand come from /me: it is asked again.
    await waitFor(() => expect(m.callsTo('GET /me').length).toBeGreaterThan(1))

    // Renaming the firm sends the name alone.
    await user.clear(name)
    await fill(user, name, 'Northwind Automation Ltd')
    await user.click(screen.getByRole('button', { name: 'Save firm' }))
    expect(await screen.findByText('Firm saved')).toBeInTheDocument()
    expect(m.callsTo('PATCH /tenant')[1].body).toEqual({ name: 'Northwind Automation Ltd' })
  })

  it('puts a colour error on the colour field, from the form and from the server', async () => {
    const m = routes({
      'PATCH /tenant': problem(422, 'validation_failed', 'Check the branding.', [
        { field: 'branding.color', code: 'color_invalid', message: 'Use a colour like #1f4e79.' },
      ]),
    })
    const user = setupUser()
    renderApp('/settings/firm')
    const colour = await screen.findByLabelText('Brand colour')
    await user.clear(colour)
    await fill(user, colour, '#12')
    await user.click(screen.getByRole('button', { name: 'Save branding' }))
    expect(await screen.findByText(/Use a colour like #1f4e79: a # and six hexadecimal digits/)).toBeInTheDocument()
    expect(colour).toHaveAttribute('aria-invalid', 'true')
    expect(m.callsTo('PATCH /tenant')).toHaveLength(0)

    await user.clear(colour)
    await fill(user, colour, '#123456')
    expect(colour).not.toHaveAttribute('aria-invalid', 'true')
    await user.click(screen.getByRole('button', { name: 'Save branding' }))
    expect(await screen.findByText('Use a colour like #1f4e79.')).toBeInTheDocument()
    expect(colour).toHaveAttribute('aria-invalid', 'true')
    await waitFor(() => expect(colour).toHaveFocus())
    expect(m.callsTo('PATCH /tenant')).toHaveLength(1)
  })

  it('explains why staff passwords cannot be turned off before SSO worked once', async () => {
    const m = routes({
      'PATCH /tenant': problem(409, 'sso_not_verified', 'Set up single sign-on and sign in with it once before turning staff passwords off, so nobody is locked out.'),
    })
    const user = setupUser()
    renderApp('/settings/firm')
    const toggle = await screen.findByRole('switch', { name: /^Staff may sign in with a password/ })
    expect(toggle).toBeChecked()
    await user.click(toggle)
    const dialog = await screen.findByRole('dialog', { name: 'Turn staff passwords off?' })
    expect(within(dialog).getByText(/you will be signed out too/)).toBeInTheDocument()
    await user.click(within(dialog).getByRole('button', { name: 'Turn passwords off' }))

    const alert = await screen.findByRole('alert')
    expect(alert).toHaveTextContent('Set up single sign-on and sign in with it once before turning staff passwords off')
    expect(within(alert).getByRole('link', { name: 'Set up single sign-on' })).toHaveAttribute('href', '/settings/sso')
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument())
    expect(toggle).toBeChecked()
    expect(m.callsTo('PATCH /tenant')[0].body).toEqual({ staff_passwords_enabled: false })
  })
})

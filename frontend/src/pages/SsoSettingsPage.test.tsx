import { screen, waitFor, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import type { SsoSettings, SsoTestResult } from '../api/tenantSettings'
import type { Me } from '../api/types'
import { json, mockFetch, problem } from '../test/fetchMock'
import { ownerMe } from '../test/fixtures'
import { mockLocation } from '../test/location'
import { renderApp } from '../test/render'
import { fill, setupUser } from '../test/user'

const adminMe: Me = { ...ownerMe, permissions: [...ownerMe.permissions, 'tenant:sso'] }

const REDIRECT = 'https://bureau.example/api/v1/auth/oidc/northwind-automation/callback'
const ISSUER = 'https://login.microsoftonline.com/0b9a5f3e-1c2d-4e5f-8a9b-0c1d2e3f4a5b/v2.0'

const notConfigured: SsoSettings = {
  configured: false,
  issuer: '',
  client_id: '',
  client_secret_set: false,
  allowed_domains: [],
  groups_claim: 'groups',
  group_roles: {},
  entra_tenant_ids: [],
  last_success_at: null,
  updated_at: null,
  redirect_uri: REDIRECT,
}

const configured: SsoSettings = {
  ...notConfigured,
  configured: true,
  issuer: ISSUER,
  client_id: 'c0ffee00-1111-2222-3333-444455556666',
  client_secret_set: true,
  allowed_domains: ['northwind.example'],
  group_roles: { 'admins-group-id': 'tenant_admin', 'consultants-group-id': 'consultant' },
  updated_at: new Date(Date.now() - 3_600_000).toISOString(),
}

type Routes = Parameters<typeof mockFetch>[0]

function routes(sso: SsoSettings, over: Routes = {}) {
  return mockFetch({
    'GET /setup': json({ needed: false }),
    'GET /me': json(adminMe),
    'GET /auth/csrf': json({ token: 't' }),
    'GET /accounts': json({ items: [], next_cursor: null }),
    'GET /tenant/sso': json(sso),
    'PUT /tenant/sso': (c) => json({ ...sso, ...(c.body as object), configured: true, client_secret_set: sso.client_secret_set }),
    ...over,
  })
}

describe('single sign-on page', () => {
  it('shows the status, the Entra steps with the redirect URI, and the test sign-in', async () => {
    routes(notConfigured)
    renderApp('/settings/sso')
    expect(await screen.findByRole('heading', { name: 'Single sign-on', level: 1 })).toBeInTheDocument()
    expect(await screen.findByTestId('sso-status')).toHaveTextContent('Not configured')
    expect(screen.getByRole('heading', { name: 'Register Bureau in Microsoft Entra ID' })).toBeInTheDocument()
    expect(screen.getByTestId('redirect-uri')).toHaveTextContent(REDIRECT)
    expect(screen.getByRole('button', { name: 'Copy the redirect URI' })).toBeInTheDocument()
    expect(screen.queryByText(/arrive with the SSO sign-in flow/)).not.toBeInTheDocument()
    // Nothing to test before the settings are saved.
    expect(screen.getByRole('button', { name: 'Test sign-in' })).toBeDisabled()
    expect(screen.getByTestId('sso-test-reason')).toHaveTextContent('Save the settings first')
    expect(screen.getByLabelText(/^Issuer URL/)).toHaveAttribute('placeholder', 'https://login.microsoftonline.com/<tenant id>/v2.0')
    expect(screen.getByTestId('no-mappings')).toHaveTextContent('nobody can sign in')
    const nav = screen.getByRole('navigation', { name: 'Main navigation' })
    expect(within(nav).getByRole('link', { name: 'Single sign-on' })).toHaveAttribute('aria-current', 'page')
  })

  it('says when SSO is configured but unproven, and when it last worked', async () => {
    routes(configured)
    const first = renderApp('/settings/sso')
    expect(await screen.findByTestId('sso-status')).toHaveTextContent('Configured — no successful sign-in yet')
    first.unmount()
    routes({ ...configured, last_success_at: new Date(Date.now() - 5 * 60_000).toISOString() })
    renderApp('/settings/sso')
    expect(await screen.findByTestId('sso-status')).toHaveTextContent('Last successful sign-in 5 minutes ago')
  })

  it('keeps the stored secret unless a new one is typed', async () => {
    const m = routes(configured)
    const user = setupUser()
    renderApp('/settings/sso')
    const secret = await screen.findByLabelText('Client secret')
    expect(secret).toHaveValue('')
    expect(screen.getByText('A secret is stored — leave empty to keep it.')).toBeInTheDocument()
    expect(screen.getByLabelText(/^Group or app role, line 1/)).toHaveValue('admins-group-id')
    expect(screen.getByLabelText(/^Staff role, line 1/)).toHaveValue('tenant_admin')

    const save = screen.getByRole('button', { name: 'Save single sign-on' })
    expect(save).toBeDisabled()
    await fill(user, screen.getByRole('combobox', { name: /^Allowed email domains/ }), '@Partner.Example')
    await user.click(save)
    expect(await screen.findByText('Single sign-on saved')).toBeInTheDocument()
    const body = m.callsTo('PUT /tenant/sso')[0].body as Record<string, unknown>
    expect(body).toEqual({
      issuer: ISSUER,
      client_id: 'c0ffee00-1111-2222-3333-444455556666',
      allowed_domains: ['northwind.example', 'partner.example'],
      groups_claim: 'groups',
      group_roles: { 'admins-group-id': 'tenant_admin', 'consultants-group-id': 'consultant' },
      entra_tenant_ids: [],
    })
    expect('client_secret' in body).toBe(false)

    // A new secret is sent as typed.
    await fill(user, screen.getByLabelText('Client secret'), 's3cr3t~value')
    await user.click(screen.getByRole('button', { name: 'Save single sign-on' }))
    await waitFor(() => expect(m.callsTo('PUT /tenant/sso')).toHaveLength(2))
    expect((m.callsTo('PUT /tenant/sso')[1].body as Record<string, unknown>).client_secret).toBe('s3cr3t~value')
    await waitFor(() => expect(screen.getByLabelText('Client secret')).toHaveValue(''))
  })

  it('removes the stored secret on request', async () => {
    const m = routes(configured)
    const user = setupUser()
    renderApp('/settings/sso')
    await user.click(await screen.findByRole('button', { name: 'Remove the stored secret' }))
    expect(screen.getByText('The stored secret will be removed when you save.')).toBeInTheDocument()
    expect(screen.getByText('Unsaved changes')).toBeInTheDocument()
    // Changed their mind, then again.
    await user.click(screen.getByRole('button', { name: 'Keep the stored secret' }))
    expect(screen.getByRole('button', { name: 'Save single sign-on' })).toBeDisabled()
    await user.click(screen.getByRole('button', { name: 'Remove the stored secret' }))
    await user.click(screen.getByRole('button', { name: 'Save single sign-on' }))
    await waitFor(() => expect(m.callsTo('PUT /tenant/sso')).toHaveLength(1))
    expect((m.callsTo('PUT /tenant/sso')[0].body as Record<string, unknown>).client_secret).toBe('')
  })

  it('puts the server’s field errors on their fields, rows and list entries', async () => {
    const m = routes(configured, {
      'PUT /tenant/sso': problem(422, 'validation_failed', 'Check the settings.', [
        { field: 'issuer', code: 'issuer_invalid', message: 'Enter the provider’s issuer URL.' },
        { field: 'allowed_domains[1]', code: 'domain_invalid', message: 'Enter a domain like consultancy.example.' },
        { field: 'group_roles.x', code: 'role_invalid', message: 'Groups map to tenant_admin or consultant.' },
      ]),
    })
    const user = setupUser()
    renderApp('/settings/sso')
    await fill(user, await screen.findByRole('combobox', { name: /^Allowed email domains/ }), 'partner.example')
    await user.click(screen.getByRole('button', { name: 'Add a mapping' }))
    const value = screen.getByLabelText(/^Group or app role, line 3/)
    await waitFor(() => expect(value).toHaveFocus())
    await fill(user, value, 'x')
    await user.click(screen.getByRole('button', { name: 'Save single sign-on' }))

    expect(await screen.findByText('Enter the provider’s issuer URL.')).toBeInTheDocument()
    const issuer = screen.getByLabelText(/^Issuer URL/)
    expect(issuer).toHaveAttribute('aria-invalid', 'true')
    await waitFor(() => expect(issuer).toHaveFocus())
    expect(screen.getByText('“partner.example”: Enter a domain like consultancy.example.')).toBeInTheDocument()
    expect(screen.getByRole('combobox', { name: /^Allowed email domains/ })).toHaveAttribute('aria-invalid', 'true')
    expect(screen.getByText('Groups map to tenant_admin or consultant.')).toBeInTheDocument()
    expect(screen.getByLabelText(/^Staff role, line 3/)).toHaveAttribute('aria-invalid', 'true')
    expect(screen.getByLabelText(/^Staff role, line 1/)).not.toHaveAttribute('aria-invalid', 'true')
    expect(m.callsTo('PUT /tenant/sso')[0].body).toMatchObject({
      allowed_domains: ['northwind.example', 'partner.example'],
      group_roles: { 'admins-group-id': 'tenant_admin', 'consultants-group-id': 'consultant', x: 'consultant' },
    })
  })

  it('asks for Entra tenant ids with a multi-tenant issuer', async () => {
    const m = routes(configured)
    const user = setupUser()
    renderApp('/settings/sso')
    const issuer = await screen.findByLabelText(/^Issuer URL/)
    expect(screen.queryByRole('combobox', { name: /^Entra tenant ids/ })).not.toBeInTheDocument()
    await user.clear(issuer)
    await fill(user, issuer, 'https://login.microsoftonline.com/organizations/v2.0')
    const ids = screen.getByRole('combobox', { name: /^Entra tenant ids/ })
    await user.click(screen.getByRole('button', { name: 'Save single sign-on' }))
    expect(await screen.findByText(/needs the ids of the Entra tenants allowed to sign in/)).toBeInTheDocument()
    expect(m.callsTo('PUT /tenant/sso')).toHaveLength(0)
    await waitFor(() => expect(ids).toHaveFocus())

    await fill(user, ids, '0B9A5F3E-1C2D-4E5F-8A9B-0C1D2E3F4A5B')
    await user.click(screen.getByRole('button', { name: 'Save single sign-on' }))
    await waitFor(() => expect(m.callsTo('PUT /tenant/sso')).toHaveLength(1))
    expect(m.callsTo('PUT /tenant/sso')[0].body).toMatchObject({
      issuer: 'https://login.microsoftonline.com/organizations/v2.0',
      entra_tenant_ids: ['0b9a5f3e-1c2d-4e5f-8a9b-0c1d2e3f4a5b'],
    })

    // Back to a single-tenant issuer: the list goes away and is not sent.
    const again = screen.getByLabelText(/^Issuer URL/)
    await user.clear(again)
    await fill(user, again, ISSUER)
    expect(screen.queryByRole('combobox', { name: /^Entra tenant ids/ })).not.toBeInTheDocument()
  })

  it('shows the server’s tenant_ids_required on the tenant-id list', async () => {
    routes(
      { ...configured, issuer: 'https://login.microsoftonline.com/common/v2.0', entra_tenant_ids: ['0b9a5f3e-1c2d-4e5f-8a9b-0c1d2e3f4a5b'] },
      {
        'PUT /tenant/sso': problem(422, 'validation_failed', 'Check the settings.', [
          { field: 'entra_tenant_ids', code: 'tenant_ids_required', message: 'A multi-tenant Entra issuer needs the list of Entra tenant ids.' },
        ]),
      },
    )
    const user = setupUser()
    renderApp('/settings/sso')
    const ids = await screen.findByRole('combobox', { name: /^Entra tenant ids/ })
    await fill(user, screen.getByLabelText(/^Groups claim/), 's')
    await user.click(screen.getByRole('button', { name: 'Save single sign-on' }))
    expect(await screen.findByText('A multi-tenant Entra issuer needs the list of Entra tenant ids.')).toBeInTheDocument()
    expect(ids).toHaveAttribute('aria-invalid', 'true')
  })

  describe('test sign-in', () => {
    const TEST_URL = '/api/v1/auth/oidc/northwind-automation/login?test=1'
    const claims = {
      iss: ISSUER,
      sub: 'pairwise-sub',
      oid: '7d1e0c4a-0000-4000-8000-000000000001',
      tid: '0b9a5f3e-1c2d-4e5f-8a9b-0c1d2e3f4a5b',
      email: 'ada@northwind.example',
      name: 'Ada Lovelace',
      groups: ['admins-group-id', 'other-group-id'],
    }
    const worked: SsoTestResult = {
      ok: true,
      issuer: ISSUER,
      subject: '7d1e0c4a-0000-4000-8000-000000000001',
      email: 'ada@northwind.example',
      name: 'Ada Lovelace',
      groups: ['admins-group-id', 'other-group-id'],
      role: 'tenant_admin',
      claims,
      at: new Date(Date.now() - 10_000).toISOString(),
    }
    const noRole: SsoTestResult = {
      ok: false,
      code: 'sso_no_role',
      message: 'None of these groups is mapped to a role: this person would be refused.',
      issuer: ISSUER,
      subject: '7d1e0c4a-0000-4000-8000-000000000002',
      email: 'grace@northwind.example',
      name: 'Grace Hopper',
      groups: ['new-group-a', 'consultants-group-id', 'new-group-b'],
      claims: { ...claims, email: 'grace@northwind.example', groups: ['new-group-a', 'consultants-group-id', 'new-group-b'] },
      at: new Date().toISOString(),
    }

    it('goes to the provider for a test sign-in', async () => {
      routes(configured)
      const { assign } = mockLocation()
      const user = setupUser()
      renderApp('/settings/sso')
      const button = await screen.findByRole('button', { name: 'Test sign-in' })
      expect(button).toBeEnabled()
      expect(button).toHaveAccessibleDescription('Signs in at your provider and shows what it sends, without signing you in as anyone.')
      expect(screen.getByTestId('sso-status')).toHaveTextContent('Configured — no successful sign-in yet')
      expect(screen.getByText(/staff can choose “Use single sign-on \(SSO\)” on the sign-in page/)).toBeInTheDocument()
      await user.click(button)
      expect(assign).toHaveBeenCalledTimes(1)
      expect(assign).toHaveBeenCalledWith(TEST_URL)
    })

    it('cannot test unsaved changes, and says why', async () => {
      routes(configured)
      const { assign } = mockLocation()
      const user = setupUser()
      renderApp('/settings/sso')
      const button = await screen.findByRole('button', { name: 'Test sign-in' })
      expect(screen.queryByTestId('sso-test-reason')).not.toBeInTheDocument()
      await fill(user, screen.getByLabelText(/^Groups claim/), 's')
      expect(button).toBeDisabled()
      expect(screen.getByTestId('sso-test-reason')).toHaveTextContent('Save or discard your changes first')
      expect(button).toHaveAccessibleDescription(/Save or discard your changes first/)
      await user.click(screen.getByRole('button', { name: 'Discard changes' }))
      expect(button).toBeEnabled()
      expect(assign).not.toHaveBeenCalled()
    })

    it('shows a test that worked, with its groups, issuer, subject and claims, and refreshes the status', async () => {
      const m = routes(configured, {
        'GET /tenant/sso': [json(configured), json({ ...configured, last_success_at: worked.at })],
        'GET /tenant/sso/tests/t-ok': json(worked),
      })
      const user = setupUser()
      renderApp('/settings/sso?test=t-ok')
      const panel = await screen.findByTestId('sso-test-result')
      expect(await within(panel).findByText('Test sign-in worked: ada@northwind.example would sign in as Tenant Admin')).toBeInTheDocument()
      expect(within(panel).getByText(/This counts as a successful single sign-on sign-in/)).toBeInTheDocument()
      expect(within(panel).getByRole('link', { name: 'Firm settings' })).toHaveAttribute('href', '/settings/firm')
      const groups = within(panel).getByRole('list', { name: 'Groups received' })
      expect(within(groups).getByText('admins-group-id → Tenant Admin')).toBeInTheDocument()
      expect(within(groups).getByText('other-group-id')).toBeInTheDocument()
      expect(within(panel).getByText(ISSUER)).toBeInTheDocument()
      expect(within(panel).getByText('7d1e0c4a-0000-4000-8000-000000000001')).toBeInTheDocument()
      // Nothing to map when it worked.
      expect(within(panel).queryByRole('button', { name: /^Map / })).not.toBeInTheDocument()

      // The status follows: the test counts as a successful sign-in.
      await waitFor(() => expect(screen.getByTestId('sso-status')).toHaveTextContent('Last successful sign-in'))
      expect(m.callsTo('GET /tenant/sso').length).toBeGreaterThanOrEqual(2)

      // All claims, on request.
      const toggle = within(panel).getByRole('button', { name: 'All claims (7)' })
      expect(toggle).toHaveAttribute('aria-expanded', 'false')
      expect(screen.queryByTestId('sso-test-claims')).not.toBeInTheDocument()
      await user.click(toggle)
      expect(toggle).toHaveAttribute('aria-expanded', 'true')
      const json_ = screen.getByTestId('sso-test-claims')
      expect(JSON.parse(json_.textContent ?? '')).toEqual(claims)
      expect(json_.textContent).toContain('\n  "tid": "0b9a5f3e-1c2d-4e5f-8a9b-0c1d2e3f4a5b"')
      await user.click(toggle)
      expect(screen.queryByTestId('sso-test-claims')).not.toBeInTheDocument()

      // Dismissed: gone from the page and the URL.
      await user.click(within(panel).getByRole('button', { name: 'Dismiss' }))
      await waitFor(() => expect(screen.queryByTestId('sso-test-result')).not.toBeInTheDocument())
      expect(screen.getByTestId('location')).toHaveTextContent(/^\/settings\/sso$/)
    })

    it('says when a test that mapped would still be refused for its email domain', async () => {
      routes(configured, { 'GET /tenant/sso/tests/t-dom': json({ ...worked, email: 'ada@elsewhere.example', role: 'consultant' }) })
      renderApp('/settings/sso?test=t-dom')
      const panel = await screen.findByTestId('sso-test-result')
      expect(await within(panel).findByText('Test sign-in reached Bureau, but ada@elsewhere.example would be refused')).toBeInTheDocument()
      expect(within(panel).getByText(/“elsewhere.example” is not one of the allowed email domains/)).toBeInTheDocument()
    })

    it('explains sso_no_role and maps a received group in one click', async () => {
      const m = routes(configured, { 'GET /tenant/sso/tests/t-role': json(noRole) })
      const user = setupUser()
      renderApp('/settings/sso?test=t-role')
      const panel = await screen.findByTestId('sso-test-result')
      expect(await within(panel).findByText('Test sign-in failed: grace@northwind.example would be refused')).toBeInTheDocument()
      expect(within(panel).getByText(noRole.message!)).toBeInTheDocument()
      expect(within(panel).getByTestId('sso-test-advice')).toHaveTextContent('Map one of these groups below')
      const groups = within(panel).getByRole('list', { name: 'Groups received' })
      expect(within(groups).getAllByRole('listitem')).toHaveLength(3)
      expect(within(groups).getByText('consultants-group-id → Consultant')).toBeInTheDocument()

      // Only the groups not mapped yet are offered.
      const offers = within(panel).getByRole('list', { name: 'Map one of these groups' })
      expect(within(offers).getAllByRole('listitem')).toHaveLength(2)
      expect(within(panel).queryByRole('button', { name: 'Map consultants-group-id to Consultant' })).not.toBeInTheDocument()
      expect(screen.queryByLabelText(/^Group or app role, line 3/)).not.toBeInTheDocument()

      await user.click(within(panel).getByRole('button', { name: 'Map new-group-b to Tenant Admin' }))
      expect(screen.getByLabelText(/^Group or app role, line 3/)).toHaveValue('new-group-b')
      const role = screen.getByLabelText(/^Staff role, line 3/)
      expect(role).toHaveValue('tenant_admin')
      await waitFor(() => expect(role).toHaveFocus())
      expect(screen.getByText('Unsaved changes')).toBeInTheDocument()
      // The group is mapped now, in the form: no longer offered.
      expect(within(panel).queryByRole('button', { name: 'Map new-group-b to Tenant Admin' })).not.toBeInTheDocument()
      expect(within(groups).getByText('new-group-b → Tenant Admin')).toBeInTheDocument()
      expect(within(panel).getByRole('button', { name: 'Map new-group-a to Consultant' })).toBeInTheDocument()
      // Testing again needs the change saved.
      expect(within(panel).getByRole('button', { name: 'Test again' })).toBeDisabled()
      expect(within(panel).getByText(/Your changes below are not saved yet/)).toBeInTheDocument()

      await user.click(screen.getByRole('button', { name: 'Save single sign-on' }))
      await waitFor(() => expect(m.callsTo('PUT /tenant/sso')).toHaveLength(1))
      expect(m.callsTo('PUT /tenant/sso')[0].body).toMatchObject({
        group_roles: { 'admins-group-id': 'tenant_admin', 'consultants-group-id': 'consultant', 'new-group-b': 'tenant_admin' },
      })
      await waitFor(() => expect(within(panel).getByRole('button', { name: 'Test again' })).toBeEnabled())
    })

    it('says what to do when the provider sent no groups', async () => {
      routes(configured, { 'GET /tenant/sso/tests/t-none': json({ ...noRole, groups: [], claims: { sub: 'x' } }) })
      renderApp('/settings/sso?test=t-none')
      const panel = await screen.findByTestId('sso-test-result')
      expect(await within(panel).findByTestId('sso-test-no-groups')).toBeInTheDocument()
      expect(within(panel).getByTestId('sso-test-advice')).toHaveTextContent('The provider sent nothing in the “groups” claim')
      expect(within(panel).queryByRole('button', { name: /^Map / })).not.toBeInTheDocument()
    })

    it('points at the client id and secret when the code exchange failed', async () => {
      routes(configured, {
        'GET /tenant/sso/tests/t-x': json({
          ok: false,
          code: 'sso_exchange_failed',
          message: 'The identity provider refused the sign-in code: check the client id and secret.',
          groups: [],
          at: new Date().toISOString(),
        }),
      })
      renderApp('/settings/sso?test=t-x')
      const panel = await screen.findByTestId('sso-test-result')
      expect(await within(panel).findByText('Test sign-in failed')).toBeInTheDocument()
      expect(within(panel).getByTestId('sso-test-advice')).toHaveTextContent(/client secret: enter the secret’s Value/)
      expect(within(panel).queryByRole('list', { name: 'Groups received' })).not.toBeInTheDocument()
      expect(within(panel).queryByRole('button', { name: /^All claims/ })).not.toBeInTheDocument()
    })

    it('handles a test result that is not there', async () => {
      const m = routes(configured, { 'GET /tenant/sso/tests/gone': problem(404, 'not_found', 'Not found.') })
      const { assign } = mockLocation()
      const user = setupUser()
      renderApp('/settings/sso?test=gone')
      const panel = await screen.findByTestId('sso-test-result')
      expect(await within(panel).findByText('This test result is not available')).toBeInTheDocument()
      expect(m.callsTo('GET /tenant/sso/tests/gone')).toHaveLength(1)
      // The rest of the page works as ever.
      expect(screen.getByTestId('sso-status')).toHaveTextContent('Configured — no successful sign-in yet')
      expect(screen.getByLabelText(/^Issuer URL/)).toHaveValue(ISSUER)
      await user.click(within(panel).getByRole('button', { name: 'Test sign-in' }))
      expect(assign).toHaveBeenCalledWith(TEST_URL)
      await user.click(within(panel).getByRole('button', { name: 'Dismiss' }))
      await waitFor(() => expect(screen.queryByTestId('sso-test-result')).not.toBeInTheDocument())
      expect(screen.getByTestId('location')).toHaveTextContent(/^\/settings\/sso$/)
    })
  })
})

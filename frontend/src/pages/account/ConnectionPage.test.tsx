import { screen, waitFor, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import type { Connection, ConnectionTestResult } from '../../api/connection'
import {
  accountUserMe,
  ago,
  cloudConnection,
  connClientMe,
  connStaffMe,
  connectionRoutes,
  noConnection,
} from '../../test/connection'
import { json, problem } from '../../test/fetchMock'
import { renderApp } from '../../test/render'
import { fill, setupUser } from '../../test/user'

const PATH = '/acme-corporation/connection'
const PUT = 'PUT /accounts/acme-corporation/connection'
const TEST = 'POST /accounts/acme-corporation/connection/test'
const ROTATE = 'PUT /accounts/acme-corporation/connection/secrets'

const provider = (name: string) => screen.getByRole('radio', { name })

/** deferred: a reply the test sends when it wants to (to see what the page shows meanwhile). */
function deferred<T>() {
  let resolve!: (v: T) => void
  const promise = new Promise<T>((r) => (resolve = r))
  return { promise, resolve }
}

describe('connection page', () => {
  it('explains an unconnected account and draws each provider’s fields', async () => {
    connectionRoutes(connStaffMe, noConnection)
    const user = setupUser()
    renderApp(PATH)
    expect(await screen.findByRole('heading', { name: /^Connection/, level: 1 })).toBeInTheDocument()
    const empty = await screen.findByTestId('connection-empty')
    expect(empty).toHaveTextContent('syncs processes, jobs, robots and schedules every few minutes')
    expect(empty).toHaveTextContent('demo estate')
    const nav = screen.getByRole('navigation', { name: 'Main navigation' })
    expect(within(nav).getByRole('link', { name: 'Connection' })).toHaveAttribute('aria-current', 'page')

    // The picker: vendors together, the demo last and named for what it is.
    const radios = within(screen.getByRole('radiogroup', { name: /Provider/ })).getAllByRole('radio')
    expect(radios.map((r) => r.getAttribute('aria-label'))).toEqual([
      'UiPath Automation Cloud',
      'UiPath Orchestrator (on-premises)',
      'Blue Prism',
      'Demo estate (no credentials)',
    ])
    expect(screen.getByTestId('choose-provider-first')).toBeInTheDocument()
    expect(screen.queryByLabelText(/Client ID/)).not.toBeInTheDocument()

    await user.click(provider('UiPath Automation Cloud'))
    expect(provider('UiPath Automation Cloud')).toHaveAttribute('aria-checked', 'true')
    expect(screen.getByTestId('provider-help')).toHaveTextContent('External Applications')
    // Defaults are prefilled for a new connection; help is each field's description.
    expect(screen.getByLabelText(/^Cloud URL/)).toHaveValue('https://cloud.uipath.com')
    expect(screen.getByLabelText(/^Tenant/)).toHaveValue('DefaultTenant')
    expect(screen.getByLabelText(/^Organization/)).toHaveAccessibleDescription('The organization name in the URL.')
    expect(screen.getByLabelText(/^Client ID/)).toBeRequired()
    expect(screen.getByLabelText(/^Folder/)).not.toBeRequired()
    // A new secret is simply an empty input.
    expect(screen.getByLabelText(/^Client secret/)).toHaveValue('')
    expect(screen.getByLabelText(/^Client secret/)).toHaveAttribute('type', 'password')

    await user.click(provider('Blue Prism'))
    expect(screen.getByLabelText(/^Authentication Server URL/)).toHaveValue('')
    expect(screen.queryByLabelText(/^Organization/)).not.toBeInTheDocument()
    expect(screen.getByLabelText(/^Client ID/)).toHaveValue('')

    // The demo: nothing to fill in.
    await user.click(within(empty).getByRole('button', { name: 'Use the demo estate' }))
    expect(provider('Demo estate (no credentials)')).toHaveAttribute('aria-checked', 'true')
    await waitFor(() => expect(provider('Demo estate (no credentials)')).toHaveFocus())
    expect(screen.getByTestId('no-fields')).toHaveTextContent('needs no address and no credentials')
    expect(screen.getByRole('heading', { name: 'Demo estate (no credentials) settings' })).toBeInTheDocument()
  })

  it('shows, hides and requires fields by the other settings', async () => {
    connectionRoutes(connStaffMe, noConnection)
    const user = setupUser()
    renderApp(PATH)
    await user.click(await screen.findByRole('radio', { name: 'UiPath Orchestrator (on-premises)' }))
    const method = screen.getByLabelText(/^Sign-in method/)
    expect(method).toHaveValue('client_credentials')
    expect(screen.getByLabelText(/^Client ID/)).toBeRequired()
    expect(screen.getByLabelText(/^Client secret/)).toBeRequired()
    expect(screen.getByLabelText(/^Username/)).not.toBeRequired()
    expect(screen.queryByLabelText(/^Password/)).not.toBeInTheDocument()
    expect(screen.getByRole('switch', { name: /Skip TLS verification/ })).not.toBeChecked()
    expect(screen.getByLabelText(/^CA certificates/).tagName).toBe('TEXTAREA')

    await user.selectOptions(method, 'password')
    expect(screen.queryByLabelText(/^Client ID/)).not.toBeInTheDocument()
    expect(screen.queryByLabelText(/^Client secret/)).not.toBeInTheDocument()
    expect(screen.getByLabelText(/^Username/)).toBeRequired()
    expect(screen.getByLabelText(/^Password/)).toBeRequired()

  })

  it('checks required fields before saving, and sends only the shown ones', async () => {
    const m = connectionRoutes(connStaffMe, noConnection)
    const user = setupUser()
    renderApp(PATH)
    await user.click(await screen.findByRole('radio', { name: 'UiPath Orchestrator (on-premises)' }))
    await user.selectOptions(screen.getByLabelText(/^Sign-in method/), 'password')
    // Required fields are checked before anything is sent; the first one gets the focus.
    await fill(user, screen.getByLabelText(/^Orchestrator URL/), 'orchestrator.acme.example')
    await user.click(screen.getByRole('button', { name: 'Save' }))
    expect(await screen.findByText('Enter a full address such as https://example.com.')).toBeInTheDocument()
    expect(screen.getByText('Username is required.')).toBeInTheDocument()
    expect(screen.getByText('Password is required.')).toBeInTheDocument()
    await waitFor(() => expect(screen.getByLabelText(/^Orchestrator URL/)).toHaveFocus())
    expect(m.callsTo(PUT)).toHaveLength(0)

    await user.clear(screen.getByLabelText(/^Orchestrator URL/))
    await fill(user, screen.getByLabelText(/^Orchestrator URL/), 'https://orchestrator.acme.example')
    await fill(user, screen.getByLabelText(/^Username/), 'svc-bureau')
    await fill(user, screen.getByLabelText(/^Password/), 'hunter2')
    await user.click(screen.getByRole('switch', { name: /Skip TLS verification/ }))
    await user.click(screen.getByRole('button', { name: 'Save' }))
    expect(await screen.findByText('Connection saved')).toBeInTheDocument()
    // Hidden fields are not sent.
    expect(m.callsTo(PUT)[0].body).toEqual({
      provider: 'uipath-onprem',
      settings: {
        url: 'https://orchestrator.acme.example',
        tenant: 'Default',
        auth: 'password',
        username: 'svc-bureau',
        ca_bundle: '',
        skip_verify: 'true',
      },
      secrets: { password: 'hunter2' },
    })
  })

  it('never shows a stored secret, and leaves it out of the body', async () => {
    const m = connectionRoutes(connStaffMe, cloudConnection)
    const user = setupUser()
    renderApp(PATH)
    expect(await screen.findByTestId('connection-status')).toHaveTextContent('Saved — not tested yet')
    expect(screen.getByLabelText(/^Client ID/)).toHaveValue('bureau-app')
    // Configured, not an input.
    const secret = screen.getByRole('group', { name: 'Client secret' })
    expect(within(secret).getByTestId('secret-client_secret-state')).toHaveTextContent('Configured · updated 3 days ago')
    expect(screen.queryByLabelText(/^Client secret/, { selector: 'input' })).not.toBeInTheDocument()

    // Saving other settings leaves the secret out of the body.
    expect(screen.getByRole('button', { name: 'Save' })).toBeDisabled()
    await fill(user, screen.getByLabelText(/^Folder/), 'Finance')
    expect(screen.getByText('Unsaved changes')).toBeInTheDocument()
    await user.click(screen.getByRole('button', { name: 'Save' }))
    await waitFor(() => expect(m.callsTo(PUT)).toHaveLength(1))
    expect(m.callsTo(PUT)[0].body).toEqual({
      provider: 'uipath-cloud',
      settings: { url: 'https://cloud.uipath.com', organization: 'acme', tenant: 'DefaultTenant', folder: 'Finance', client_id: 'bureau-app' },
      secrets: {},
    })

  })

  it('replaces a stored secret only when a new value is typed', async () => {
    const m = connectionRoutes(connStaffMe, cloudConnection)
    const user = setupUser()
    renderApp(PATH)
    // Replace opens an empty input; keeping the stored one closes it again.
    await screen.findByTestId('secret-client_secret-state')
    await user.click(screen.getByRole('button', { name: 'Replace Client secret' }))
    const input = screen.getByLabelText(/^Client secret/)
    expect(input).toHaveValue('')
    await waitFor(() => expect(input).toHaveFocus())
    expect(screen.getByRole('button', { name: 'Save' })).toBeDisabled()
    await user.click(screen.getByRole('button', { name: 'Keep the stored client secret' }))
    expect(screen.queryByLabelText(/^Client secret/, { selector: 'input' })).not.toBeInTheDocument()
    await waitFor(() => expect(screen.getByRole('button', { name: 'Replace Client secret' })).toHaveFocus())

    await user.click(screen.getByRole('button', { name: 'Replace Client secret' }))
    await fill(user, screen.getByLabelText(/^Client secret/), 'n3w-s3cret')
    await user.click(screen.getByRole('button', { name: 'Save' }))
    await waitFor(() => expect(m.callsTo(PUT)).toHaveLength(1))
    expect((m.callsTo(PUT)[0].body as { secrets: Record<string, string> }).secrets).toEqual({ client_secret: 'n3w-s3cret' })
    // Back to "configured", just updated; the value is gone from the page.
    expect(await screen.findByText('Configured · updated just now')).toBeInTheDocument()
    expect(screen.queryByDisplayValue('n3w-s3cret')).not.toBeInTheDocument()
  })

  it('switching provider asks for every secret again', async () => {
    const m = connectionRoutes(connStaffMe, cloudConnection)
    const user = setupUser()
    renderApp(PATH)
    await user.click(await screen.findByRole('radio', { name: 'Blue Prism' }))
    expect(screen.getByText(/Saving replaces the UiPath Automation Cloud connection/)).toBeInTheDocument()
    expect(screen.getByLabelText(/^Client secret/)).toHaveValue('')
    await fill(user, screen.getByLabelText(/^API URL/), 'https://bp.acme.example/api')
    await fill(user, screen.getByLabelText(/^Authentication Server URL/), 'https://bp.acme.example/auth')
    await fill(user, screen.getByLabelText(/^Client ID/), 'bureau')
    await user.click(screen.getByRole('button', { name: 'Save' }))
    expect(await screen.findByText('Client secret is required.')).toBeInTheDocument()
    expect(m.callsTo(PUT)).toHaveLength(0)
    // Back to the saved provider: its settings and stored secret again.
    await user.click(screen.getByRole('radio', { name: 'UiPath Automation Cloud' }))
    expect(screen.getByLabelText(/^Client ID/)).toHaveValue('bureau-app')
    expect(screen.getByTestId('secret-client_secret-state')).toHaveTextContent('Configured')
    expect(screen.getByRole('button', { name: 'Save' })).toBeDisabled()
  })

  it('puts the server’s field errors on their fields', async () => {
    connectionRoutes(connStaffMe, cloudConnection, {
      [PUT]: problem(422, 'validation_failed', 'Check the connection.', [
        { field: 'settings.url', code: 'url_invalid', message: 'Cloud URL: must not contain ? or #' },
        { field: 'secrets.client_secret', code: 'required', message: 'Client secret is required' },
        { field: 'settings.nope', code: 'unknown_field', message: 'nope is not a setting of UiPath Automation Cloud' },
      ]),
    })
    const user = setupUser()
    renderApp(PATH)
    await fill(user, await screen.findByLabelText(/^Organization/), '-north')
    await user.click(screen.getByRole('button', { name: 'Save' }))
    expect(await screen.findByText('Cloud URL: must not contain ? or #')).toBeInTheDocument()
    expect(screen.getByLabelText(/^Cloud URL/)).toHaveAccessibleDescription(/must not contain \? or #/)
    // The stored secret's error opens its input.
    expect(screen.getByLabelText(/^Client secret/)).toHaveAccessibleDescription(/Client secret is required/)
    // What fits no field is said above the form.
    expect(screen.getByText('Could not save the connection')).toBeInTheDocument()
    expect(screen.getByText('nope is not a setting of UiPath Automation Cloud')).toBeInTheDocument()
    await waitFor(() => expect(screen.getByLabelText(/^Cloud URL/)).toHaveFocus())
  })

  it('saves, then tests: progress while the vendor answers, then its details', async () => {
    const reply = deferred<ReturnType<typeof json>>()
    const m = connectionRoutes(connStaffMe, noConnection, { [TEST]: () => reply.promise })
    const user = setupUser()
    renderApp(PATH)
    await user.click(await screen.findByRole('radio', { name: 'Demo estate (no credentials)' }))
    await user.click(screen.getByRole('button', { name: 'Save and test connection' }))
    expect(await screen.findByTestId('connection-testing')).toHaveTextContent('Contacting the demo estate…')
    expect(screen.getByRole('button', { name: 'Save and test connection' })).toHaveAttribute('data-loading')
    expect(m.callsTo(PUT)[0].body).toEqual({ provider: 'demo', settings: {}, secrets: {} })
    expect(m.callsTo(TEST)).toHaveLength(1)

    reply.resolve(json({ ok: true, details: 'Signed in; 12 processes, 3 robots visible.' } satisfies ConnectionTestResult))
    const result = await screen.findByTestId('connection-test-result')
    expect(result).toHaveTextContent('Connection test succeeded')
    expect(result).toHaveTextContent('Signed in; 12 processes, 3 robots visible.')
    expect(result).toHaveTextContent('Tested just now')
    expect(screen.getByTestId('connection-status')).toHaveTextContent('Connected to Demo estate (no credentials)')
    expect(screen.queryByTestId('connection-testing')).not.toBeInTheDocument()
  })

  it('shows the vendor’s own error verbatim, with what to do next', async () => {
    const vendor = '{"error":"invalid_client","error_description":"Client authentication failed."}'
    const m = connectionRoutes(connStaffMe, cloudConnection, {
      [TEST]: json({ ok: false, error: { code: 'auth_failed', message: vendor } } satisfies ConnectionTestResult),
    })
    const user = setupUser()
    renderApp(PATH)
    await user.click(await screen.findByRole('button', { name: 'Test the saved connection' }))
    const result = await screen.findByTestId('connection-test-result')
    expect(result).toHaveTextContent('The vendor refused the credentials')
    expect(within(result).getByTestId('connection-test-advice')).toHaveTextContent(
      'Check the client ID and secret; re-enter the secret if it was rotated in the vendor’s console.',
    )
    const message = within(result).getByTestId('connection-vendor-message')
    expect(message.textContent).toBe(vendor)
    expect(message.tagName).toBe('PRE')
    expect(screen.getByTestId('connection-status')).toHaveTextContent('The last connection test failed')
    expect(m.callsTo(TEST)).toHaveLength(1)

    // With unsaved edits the test waits: it uses the saved settings.
    await fill(user, screen.getByLabelText(/^Folder/), 'Finance')
    expect(screen.getByRole('button', { name: 'Test the saved connection' })).toBeDisabled()
    expect(screen.getByText('Save or discard your changes first: the test uses the saved settings.')).toBeInTheDocument()
  })

  it('shows the last recorded test and says when the settings changed since', async () => {
    const tested: Connection = {
      ...cloudConnection,
      updated_at: ago(60_000),
      last_test: { at: ago(2 * 3_600_000), ok: false, error: { code: 'rate_limited', message: 'HTTP 429 Too Many Requests' } },
    }
    connectionRoutes(connStaffMe, tested)
    renderApp(PATH)
    const result = await screen.findByTestId('connection-test-result')
    expect(result).toHaveTextContent('The vendor is limiting requests')
    expect(result).toHaveTextContent('Wait a few minutes, then test again.')
    expect(result).toHaveTextContent('Tested 2 hours ago')
    expect(result).toHaveTextContent('The settings were saved again after this test')
  })

  it('asks for a secret that can’t be read any more', async () => {
    const m = connectionRoutes(connStaffMe, {
      ...cloudConnection,
      secrets: { client_secret: { configured: true, updated_at: ago(40 * 24 * 3_600_000), needs_reentry: true } },
    })
    const user = setupUser()
    renderApp(PATH)
    expect(await screen.findByTestId('connection-status')).toHaveTextContent('A stored secret must be entered again')
    expect(
      screen.getByText('This secret was stored for another account or under an old key and can’t be read. Re-enter it.'),
    ).toBeInTheDocument()
    const input = screen.getByLabelText(/^Client secret/)
    expect(input).toHaveValue('')
    expect(input).toBeRequired()
    expect(screen.queryByRole('button', { name: /^Replace/ })).not.toBeInTheDocument()
    await fill(user, screen.getByLabelText(/^Folder/), 'Finance')
    await user.click(screen.getByRole('button', { name: 'Save' }))
    expect(await screen.findByText('Re-enter the client secret: the stored one can’t be read.')).toBeInTheDocument()
    expect(m.callsTo(PUT)).toHaveLength(0)
  })

  it('lets a Client see the status and rotate the secrets, nothing else', async () => {
    const m = connectionRoutes(connClientMe, {
      ...cloudConnection,
      last_test: { at: ago(3_600_000), ok: true, details: 'Signed in as bureau-app.' },
    })
    const user = setupUser()
    renderApp(PATH)
    expect(await screen.findByTestId('connection-status')).toHaveTextContent('Connected to UiPath Automation Cloud')
    expect(screen.getByTestId('connection-test-result')).toHaveTextContent('Signed in as bureau-app.')
    const nav = screen.getByRole('navigation', { name: 'Main navigation' })
    expect(within(nav).getByRole('link', { name: 'Connection' })).toHaveAttribute('href', PATH)
    // No provider, no settings, no test.
    expect(screen.queryByRole('radiogroup')).not.toBeInTheDocument()
    expect(screen.queryByLabelText(/^Client ID/)).not.toBeInTheDocument()
    expect(screen.queryByRole('button', { name: /Test the saved connection/ })).not.toBeInTheDocument()
    expect(screen.queryByRole('button', { name: 'Save and test connection' })).not.toBeInTheDocument()

    const form = screen.getByRole('form', { name: 'Rotate secrets' })
    expect(within(form).getByTestId('rotate-client_secret-state')).toHaveTextContent('Configured · updated 3 days ago')
    const input = within(form).getByLabelText(/^Client secret/)
    expect(input).toHaveValue('')
    expect(within(form).getByRole('button', { name: 'Rotate secrets' })).toBeDisabled()
    await fill(user, input, 'rotated-value')
    await user.click(within(form).getByRole('button', { name: 'Rotate secrets' }))
    expect(await screen.findByText('Secret rotated')).toBeInTheDocument()
    expect(m.callsTo(ROTATE)[0].body).toEqual({ secrets: { client_secret: 'rotated-value' } })
    expect(m.callsTo(PUT)).toHaveLength(0)
    await waitFor(() => expect(within(form).getByLabelText(/^Client secret/)).toHaveValue(''))
    expect(within(form).getByTestId('rotate-client_secret-state')).toHaveTextContent('Configured · updated just now')
  })

  it('tells a Client when there is nothing to rotate yet', async () => {
    connectionRoutes(connClientMe, noConnection)
    renderApp(PATH)
    expect(await screen.findByTestId('connection-empty')).toHaveTextContent('Your consultants have not connected this account')
    expect(screen.queryByRole('button', { name: 'Use the demo estate' })).not.toBeInTheDocument()
    expect(screen.queryByRole('form', { name: 'Rotate secrets' })).not.toBeInTheDocument()
  })

  it('puts a rotation’s errors on its fields', async () => {
    connectionRoutes(connClientMe, cloudConnection, {
      [ROTATE]: problem(422, 'validation_failed', 'Check the secrets.', [
        { field: 'secrets.client_secret', code: 'too_short', message: 'The client secret looks truncated.' },
      ]),
    })
    const user = setupUser()
    renderApp(PATH)
    await fill(user, await screen.findByLabelText(/^Client secret/), 'x')
    await user.click(screen.getByRole('button', { name: 'Rotate secrets' }))
    expect(await screen.findByText('The client secret looks truncated.')).toBeInTheDocument()
    expect(screen.getByLabelText(/^Client secret/)).toHaveAccessibleDescription(/looks truncated/)
  })

  it('is not there for an Account User', async () => {
    const m = connectionRoutes(accountUserMe, cloudConnection)
    renderApp(PATH)
    expect(await screen.findByRole('heading', { name: 'Page not found' })).toBeInTheDocument()
    const nav = screen.getByRole('navigation', { name: 'Main navigation' })
    expect(await within(nav).findByRole('link', { name: 'Overview' })).toBeInTheDocument()
    expect(within(nav).queryByRole('link', { name: 'Connection' })).not.toBeInTheDocument()
    expect(m.callsTo('GET /accounts/acme-corporation/connection')).toHaveLength(0)
  })

  it('asks before leaving with unsaved changes', async () => {
    connectionRoutes(connStaffMe, cloudConnection)
    const user = setupUser()
    renderApp(PATH)
    await fill(user, await screen.findByLabelText(/^Folder/), 'Finance')
    const nav = screen.getByRole('navigation', { name: 'Main navigation' })
    await user.click(within(nav).getByRole('link', { name: 'Overview' }))
    expect(await screen.findByRole('dialog', { name: 'Discard unsaved changes?' })).toBeInTheDocument()
    await user.click(screen.getByRole('button', { name: 'Keep editing' }))
    expect(screen.getByTestId('location').textContent).toBe(PATH)
    expect(screen.getByLabelText(/^Folder/)).toHaveValue('Finance')
  })
})

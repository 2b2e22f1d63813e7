import { screen, waitFor, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import type { ApiKey, CreatedApiKey } from '../../api/apiKeys'
import { activeKey, dashAccountAdminMe, dashAccountUserMe, dashRoutes, dashStaffMe, expiredKey } from '../../test/dashboard'
import { json, problem } from '../../test/fetchMock'
import { renderApp } from '../../test/render'
import { fill, setupUser } from '../../test/user'

const PATH = '/acme-corporation/api-keys'
const LIST = 'GET /accounts/acme-corporation/api-keys'
const CREATE = 'POST /accounts/acme-corporation/api-keys'
const SECRET = 'bur_f00dcafe_3xJq9vLw2RkT8sNbYp4ZmQeHcA7uDg1F'

/** keysRoutes keeps the keys: creating and deactivating change what the next list answers. */
function keysRoutes(me = dashStaffMe, start: ApiKey[] = [activeKey, expiredKey], over: Parameters<typeof dashRoutes>[1] = {}) {
  let keys = [...start]
  return dashRoutes(me, {
    [LIST]: () => json({ items: keys, next_cursor: null }),
    [CREATE]: (c) => {
      const body = c.body as { name: string; expires_in_days?: number }
      const created: CreatedApiKey = {
        id: 'k9',
        name: body.name,
        prefix: 'f00dcafe',
        created_at: new Date().toISOString(),
        created_by: { id: me.user.id, name: me.user.name },
        expires_at: body.expires_in_days ? new Date(Date.now() + body.expires_in_days * 86_400_000).toISOString() : null,
        deactivated_at: null,
        last_used_at: null,
        status: 'active',
        key: SECRET,
      }
      const { key: _k, ...item } = created
      keys = [item, ...keys]
      return json(created, 201)
    },
    'DELETE /accounts/acme-corporation/api-keys/k1': () => {
      const off: ApiKey = { ...activeKey, status: 'deactivated', deactivated_at: new Date().toISOString() }
      keys = keys.map((k) => (k.id === 'k1' ? off : k))
      return json(off)
    },
    ...over,
  })
}

/** loaded waits for the list (the first page of a test file may take a while to mount). */
const loaded = (n: number) =>
  waitFor(
    () => {
      expect(screen.getByRole('table', { name: 'API keys' })).not.toHaveAttribute('aria-busy')
      expect(rows()).toHaveLength(n)
    },
    { timeout: 10_000 },
  )
const rows = () => within(screen.getByRole('table', { name: 'API keys' })).getAllByRole('row').slice(1)

// A busy machine mounts the whole app slowly: generous limits, the waits end as soon as they can.
describe('API keys page', { timeout: 30_000 }, () => {
  it('lists the keys by their prefix, and explains ingestion', async () => {
    keysRoutes()
    renderApp(PATH)
    expect(await screen.findByRole('heading', { name: /^API keys/, level: 1 }, { timeout: 10_000 })).toBeInTheDocument()
    expect(screen.getByRole('heading', { name: 'What API keys are for' })).toBeInTheDocument()
    expect(screen.getByText(/tools Bureau has no connector for/)).toBeInTheDocument()
    await loaded(2)
    const [jenkins, old] = rows()
    expect(jenkins).toHaveTextContent('Jenkins pipeline')
    expect(jenkins).toHaveTextContent('bur_a1b2c3d4_…')
    expect(jenkins).toHaveTextContent('by Grace Hopper')
    expect(jenkins).toHaveTextContent('Never') // expires
    expect(jenkins).toHaveTextContent('2 hours ago')
    expect(within(jenkins).getByText('Active')).toBeInTheDocument()
    expect(within(old).getByText('Expired')).toBeInTheDocument()
    expect(old).toHaveTextContent('Never used')
    expect(within(old).queryByRole('button', { name: /Deactivate/ })).not.toBeInTheDocument()
    const nav = screen.getByRole('navigation', { name: 'Main navigation' })
    expect(within(nav).getByRole('link', { name: 'API keys' })).toHaveAttribute('aria-current', 'page')
  })

  it('creates a key and shows it once, with a curl example', async () => {
    const m = keysRoutes()
    const user = setupUser()
    renderApp(PATH)
    await loaded(2)
    await user.click(screen.getAllByRole('button', { name: 'Create API key' })[0])
    let dialog = await screen.findByRole('dialog', { name: 'Create API key' })
    // Checked before asking the server.
    await user.click(within(dialog).getByRole('button', { name: 'Create key' }))
    expect(within(dialog).getByRole('textbox', { name: /^Name/ })).toHaveAccessibleDescription(/Name the key after what will use it\./)
    await fill(user, within(dialog).getByRole('textbox', { name: /^Name/ }), 'Nightly import')
    await fill(user, within(dialog).getByRole('textbox', { name: /^Expires after/ }), '400')
    await user.click(within(dialog).getByRole('button', { name: 'Create key' }))
    expect(within(dialog).getByRole('textbox', { name: /^Expires after/ })).toHaveAccessibleDescription(/Enter a whole number of days from 1 to 365/)
    expect(m.callsTo(CREATE)).toHaveLength(0)
    await user.clear(within(dialog).getByRole('textbox', { name: /^Expires after/ }))
    await fill(user, within(dialog).getByRole('textbox', { name: /^Expires after/ }), '90')
    await user.click(within(dialog).getByRole('button', { name: 'Create key' }))

    dialog = await screen.findByRole('dialog', { name: 'Copy your new API key' })
    expect(m.callsTo(CREATE)[0].body).toEqual({ name: 'Nightly import', expires_in_days: 90 })
    expect(within(dialog).getByText('This is the only time the key is shown')).toBeInTheDocument()
    expect(within(dialog).getByTestId('new-api-key')).toHaveTextContent(SECRET)
    const curl = within(dialog).getByTestId('curl-example')
    expect(curl).toHaveTextContent(`curl -X POST '${window.location.origin}/api/v1/ingest/jobs'`)
    expect(curl).toHaveTextContent(`Authorization: Bearer ${SECRET}`)
    expect(curl).toHaveTextContent('"process_ref": "invoice-intake"')
    await user.click(within(dialog).getByRole('button', { name: 'Copy key' }))
    expect(await within(dialog).findByRole('button', { name: 'Copied' })).toBeInTheDocument()
    expect(await navigator.clipboard.readText()).toBe(SECRET)
    expect(within(dialog).getByRole('button', { name: 'Copy example' })).toBeInTheDocument()

    await user.click(within(dialog).getByRole('button', { name: 'Done' }))
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument())
    // Gone for good: the list shows the prefix only.
    await waitFor(() => expect(rows()).toHaveLength(3))
    expect(rows()[0]).toHaveTextContent('Nightly import')
    expect(rows()[0]).toHaveTextContent('bur_f00dcafe_…')
    expect(screen.queryByText(SECRET)).not.toBeInTheDocument()
    await user.click(screen.getAllByRole('button', { name: 'Create API key' })[0])
    const again = await screen.findByRole('dialog', { name: 'Create API key' })
    expect(within(again).getByRole('textbox', { name: /^Name/ })).toHaveValue('')
  })

  it('shows the server’s refusal on the field', async () => {
    keysRoutes(dashStaffMe, [activeKey], {
      [CREATE]: problem(422, 'validation_failed', 'Check the fields.', [{ field: 'name', code: 'name_taken', message: 'Another key has this name.' }]),
    })
    const user = setupUser()
    renderApp(PATH)
    await loaded(1)
    await user.click(screen.getAllByRole('button', { name: 'Create API key' })[0])
    const dialog = await screen.findByRole('dialog', { name: 'Create API key' })
    await fill(user, within(dialog).getByRole('textbox', { name: /^Name/ }), 'Jenkins pipeline{Enter}')
    await waitFor(() => expect(within(dialog).getByRole('textbox', { name: /^Name/ })).toHaveAccessibleDescription(/Another key has this name\./))
  })

  it('deactivates a key after confirming', async () => {
    const m = keysRoutes()
    const user = setupUser()
    renderApp(PATH)
    await loaded(2)
    await user.click(screen.getByRole('button', { name: 'Deactivate Jenkins pipeline' }))
    const dialog = await screen.findByRole('dialog', { name: 'Deactivate “Jenkins pipeline”?' })
    expect(dialog).toHaveTextContent('bur_a1b2c3d4_…')
    expect(dialog).toHaveTextContent('cannot be undone')
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }))
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument())
    expect(m.callsTo('DELETE /accounts/acme-corporation/api-keys/k1')).toHaveLength(0)

    await user.click(screen.getByRole('button', { name: 'Deactivate Jenkins pipeline' }))
    await user.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Deactivate key' }))
    await waitFor(() => expect(within(rows()[0]).getByText('Deactivated')).toBeInTheDocument())
    expect(m.callsTo('DELETE /accounts/acme-corporation/api-keys/k1')).toHaveLength(1)
    expect(screen.queryByRole('button', { name: 'Deactivate Jenkins pipeline' })).not.toBeInTheDocument()
  })

  it('invites the first key when there is none', async () => {
    keysRoutes(dashAccountAdminMe, [])
    renderApp(PATH)
    expect(await screen.findByRole('heading', { name: 'No API keys yet' }, { timeout: 10_000 })).toBeInTheDocument()
    expect(screen.getAllByRole('button', { name: 'Create API key' })).toHaveLength(2)
  })

  it('is not there for people who may not manage keys', async () => {
    const m = keysRoutes(dashAccountUserMe)
    renderApp(PATH)
    expect(await screen.findByRole('heading', { name: 'Page not found' }, { timeout: 10_000 })).toBeInTheDocument()
    expect(screen.queryByRole('link', { name: 'API keys' })).not.toBeInTheDocument()
    expect(m.callsTo(LIST)).toHaveLength(0)
  })
})

import type { Connection, ConnectorSpec } from '../api/connection'
import type { Me } from '../api/types'
import { acme, clientMe, consultantMe, trialUsage } from './fixtures'
import { json, mockFetch } from './fetchMock'

// Fixtures for the connection page: providers as GET /connectors describes
// them, connections in their states, and people with the connection's permissions.

const DAY = 24 * 3_600_000
export const ago = (ms: number) => new Date(Date.now() - ms).toISOString()

export const uipathCloud: ConnectorSpec = {
  name: 'uipath-cloud',
  label: 'UiPath Automation Cloud',
  vendor: 'UiPath',
  help: 'In Automation Cloud, open Admin → External Applications and add a confidential application with the Orchestrator API scopes OR.Jobs, OR.Robots and OR.Execution.',
  fields: [
    { key: 'url', label: 'Cloud URL', kind: 'url', secret: false, required: true, help: 'Where your Automation Cloud is.', default: 'https://cloud.uipath.com' },
    { key: 'organization', label: 'Organization', kind: 'text', secret: false, required: true, help: 'The organization name in the URL.', placeholder: 'northwind' },
    { key: 'tenant', label: 'Tenant', kind: 'text', secret: false, required: true, help: '', default: 'DefaultTenant' },
    { key: 'folder', label: 'Folder', kind: 'text', secret: false, required: false, help: 'Leave empty to read every folder.' },
    { key: 'client_id', label: 'Client ID', kind: 'text', secret: false, required: true, help: 'The App ID of the external application.' },
    { key: 'client_secret', label: 'Client secret', kind: 'text', secret: true, required: true, help: 'The App Secret, shown once by UiPath.' },
  ],
}

export const uipathOnprem: ConnectorSpec = {
  name: 'uipath-onprem',
  label: 'UiPath Orchestrator (on-premises)',
  vendor: 'UiPath',
  help: 'Register Bureau as an external application in your Orchestrator’s Identity Server, or use a robot account.',
  fields: [
    { key: 'url', label: 'Orchestrator URL', kind: 'url', secret: false, required: true, help: '', placeholder: 'https://orchestrator.client.example' },
    { key: 'tenant', label: 'Tenant', kind: 'text', secret: false, required: true, help: '', default: 'Default' },
    {
      key: 'auth',
      label: 'Sign-in method',
      kind: 'select',
      secret: false,
      required: true,
      help: 'How Bureau signs in.',
      options: ['client_credentials', 'password'],
      default: 'client_credentials',
    },
    {
      key: 'client_id',
      label: 'Client ID',
      kind: 'text',
      secret: false,
      required: false,
      help: '',
      required_when: { auth: 'client_credentials' },
      shown_when: { auth: 'client_credentials' },
    },
    {
      key: 'client_secret',
      label: 'Client secret',
      kind: 'text',
      secret: true,
      required: false,
      help: '',
      required_when: { auth: 'client_credentials' },
      shown_when: { auth: 'client_credentials' },
    },
    { key: 'username', label: 'Username', kind: 'text', secret: false, required: false, help: 'For password sign-in.', required_when: { auth: 'password' } },
    {
      key: 'password',
      label: 'Password',
      kind: 'text',
      secret: true,
      required: false,
      help: '',
      required_when: { auth: 'password' },
      shown_when: { auth: 'password' },
    },
    { key: 'ca_bundle', label: 'CA certificates', kind: 'pem', secret: false, required: false, help: 'Only for a private certificate authority.' },
    { key: 'skip_verify', label: 'Skip TLS verification', kind: 'bool', secret: false, required: false, help: 'Never in production.' },
  ],
}

export const bluePrism: ConnectorSpec = {
  name: 'blue-prism',
  label: 'Blue Prism',
  vendor: 'SS&C Blue Prism',
  help: 'Create a service account client in Blue Prism’s Authentication Server.',
  fields: [
    { key: 'url', label: 'API URL', kind: 'url', secret: false, required: true, help: '' },
    { key: 'auth_url', label: 'Authentication Server URL', kind: 'url', secret: false, required: true, help: '' },
    { key: 'client_id', label: 'Client ID', kind: 'text', secret: false, required: true, help: '' },
    { key: 'client_secret', label: 'Client secret', kind: 'text', secret: true, required: true, help: '' },
  ],
}

export const demo: ConnectorSpec = {
  name: 'demo',
  label: 'Demo',
  vendor: 'Bureau',
  help: 'A simulated estate of processes, robots and jobs, for trials and demonstrations.',
  fields: [],
}

// The server lists them sorted by name.
export const specs: ConnectorSpec[] = [bluePrism, demo, uipathCloud, uipathOnprem]

export const noConnection: Connection = {
  provider: null,
  settings: {},
  secrets: {},
  secrets_set: [],
  updated_at: null,
  last_test: null,
}

export const cloudConnection: Connection = {
  provider: 'uipath-cloud',
  settings: { url: 'https://cloud.uipath.com', organization: 'acme', tenant: 'DefaultTenant', folder: '', client_id: 'bureau-app' },
  secrets: { client_secret: { configured: true, updated_at: ago(3 * DAY), needs_reentry: false } },
  secrets_set: ['client_secret'],
  updated_at: ago(3 * DAY),
  last_test: null,
}

/** A Consultant, with the connection's permissions. */
export const connStaffMe: Me = {
  ...consultantMe,
  permissions: [...consultantMe.permissions, 'members:manage', 'connection:read', 'connection:update', 'connection:test', 'connection:rotate'],
}

/** A Client of Acme: may read the connection and rotate its secrets. */
export const connClientMe: Me = {
  ...clientMe,
  permissions: [...clientMe.permissions, 'connection:read', 'connection:rotate', 'data:read', 'runs:start', 'dashboard:read'],
}

/** An Account User of Acme: no connection at all. */
export const accountUserMe: Me = {
  ...clientMe,
  membership: { ...clientMe.membership, role: 'account_user', roles: ['account_user'] },
  permissions: ['accounts:list', 'account:read', 'data:read', 'dashboard:read', 'reports:read'],
}

const detail = (({ people: _p, clients: _c, last_activity: _l, ...rest }) => rest)(acme)

type Routes = Parameters<typeof mockFetch>[0]

/**
 * connectionRoutes mocks the API for Acme's connection page, as `me`. The
 * connection is kept: PUTs change what the next GET answers.
 */
export function connectionRoutes(me: Me, connection: Connection, over: Routes = {}) {
  let current = connection
  const save = (next: Connection) => {
    current = next
    return json(current)
  }
  const m = mockFetch({
    'GET /setup': json({ needed: false }),
    'GET /me': json(me),
    'GET /auth/csrf': json({ token: 't' }),
    'GET /accounts': json({ items: [acme], next_cursor: null }),
    'GET /tenant/usage': json(trialUsage),
    'GET /accounts/acme-corporation': json(detail),
    'GET /connectors': json({ items: specs }),
    'GET /accounts/acme-corporation/connection': () => json(current),
    'PUT /accounts/acme-corporation/connection': (c) => {
      const body = c.body as { provider: string; settings: Record<string, string>; secrets: Record<string, string> }
      const kept = body.provider === current.provider ? current.secrets : {}
      const secrets = { ...kept }
      for (const k of Object.keys(body.secrets ?? {})) secrets[k] = { configured: true, updated_at: new Date().toISOString(), needs_reentry: false }
      return save({
        ...current,
        provider: body.provider,
        settings: body.settings,
        secrets,
        secrets_set: Object.keys(secrets),
        updated_at: new Date().toISOString(),
        last_test: body.provider === current.provider ? current.last_test : null,
      })
    },
    'PUT /accounts/acme-corporation/connection/secrets': (c) => {
      const body = c.body as { secrets: Record<string, string> }
      const secrets = { ...current.secrets }
      for (const k of Object.keys(body.secrets)) secrets[k] = { configured: true, updated_at: new Date().toISOString(), needs_reentry: false }
      return save({ ...current, secrets, secrets_set: Object.keys(secrets) })
    },
    ...over,
  })
  return m
}

import type { ApiKey } from '../api/apiKeys'
import type { Connection } from '../api/connection'
import type { DailyRuns, Dashboard, OverviewItem } from '../api/dashboard'
import type { Me } from '../api/types'
import { acme, clientMe, consultantMe, trialUsage } from './fixtures'
import { json, mockFetch } from './fetchMock'

// Fixtures for the dashboards and the API keys page: people with their
// permissions, a dashboard with figures and an empty one, overview rows,
// keys in every state, and the API around them.

const DAY = 24 * 3_600_000
export const ago = (ms: number) => new Date(Date.now() - ms).toISOString()

/** A Consultant with the estate's permissions. */
export const dashStaffMe: Me = {
  ...consultantMe,
  permissions: [
    ...consultantMe.permissions,
    'overview:read',
    'dashboard:read',
    'data:read',
    'sync:run',
    'connection:read',
    'connection:update',
    'apikeys:manage',
    'members:manage',
  ],
}

/** An Account User of Acme: the dashboard, no connection, no keys. */
export const dashAccountUserMe: Me = {
  ...clientMe,
  membership: { ...clientMe.membership, role: 'account_user', roles: ['account_user'] },
  permissions: ['accounts:list', 'account:read', 'data:read', 'dashboard:read'],
}

/** An Account Admin of Acme: manages its API keys. */
export const dashAccountAdminMe: Me = {
  ...clientMe,
  membership: { ...clientMe.membership, role: 'account_admin', roles: ['account_admin'] },
  permissions: ['accounts:list', 'account:read', 'data:read', 'dashboard:read', 'apikeys:manage', 'connection:read', 'sync:run'],
}

/** days makes `n` zero-filled days ending on 2026-11-24, with `fill` for some of them. */
export function days(n: number, fill: (i: number) => Partial<DailyRuns> = () => ({})): DailyRuns[] {
  const end = Date.UTC(2026, 10, 24)
  return Array.from({ length: n }, (_, i) => {
    const date = new Date(end - (n - 1 - i) * DAY).toISOString().slice(0, 10)
    return { date, successful: 0, faulted: 0, stopped: 0, other: 0, ...fill(i) }
  })
}

export function dashboard(n: 7 | 30 = 7): Dashboard {
  return {
    days: n,
    // The last week: 91 successful, 6 faulted, 3 stopped, and 5 still running or pending today.
    totals: { runs: 105, successful: 91, faulted: 6, stopped: 3, running: 3, pending: 2, success_rate: 0.91 },
    daily: days(n, (i) => {
      const k = i - (n - 7)
      return k >= 0 ? { successful: 10 + k, faulted: k % 3, stopped: k % 2, other: k === 6 ? 5 : 0 } : {}
    }),
    failures_by_process: [
      { process_id: 'p-invoices', name: 'Invoice intake', failures: 4, runs: 40 },
      { process_id: 'p-payroll', name: 'Payroll export', failures: 2, runs: 30 },
    ],
    robots: { available: 5, busy: 2, offline: 1, unknown: 0 },
    last_sync: {
      id: 's1',
      trigger: 'cron',
      status: 'failed',
      started_at: ago(6 * 60_000),
      ended_at: ago(5 * 60_000),
      attempts: 3,
      counts: null,
      changed: 0,
      error: 'UiPath answered 401: the client secret has expired.',
      error_code: 'auth_failed',
    },
  }
}

export const emptyDashboard: Dashboard = {
  days: 7,
  totals: { runs: 0, successful: 0, faulted: 0, stopped: 0, running: 0, pending: 0, success_rate: null },
  daily: days(7),
  failures_by_process: [],
  robots: { available: 0, busy: 0, offline: 0, unknown: 0 },
  last_sync: null,
}

export const noConnection: Connection = { provider: null, settings: {}, secrets: {}, secrets_set: [], updated_at: null, last_test: null }
export const demoConnection: Connection = { ...noConnection, provider: 'demo', updated_at: ago(60_000) }

export function overviewRow(fields: Partial<OverviewItem> & { slug: string; name: string }): OverviewItem {
  const { slug, name, ...rest } = fields
  return {
    account: { id: `id-${slug}`, slug, name, status: 'active' },
    provider: 'uipath-cloud',
    last_sync: { status: 'succeeded', ended_at: ago(4 * 60_000), error: '' },
    failures_24h: 0,
    success_rate_7d: 0.98,
    runs_7d: 200,
    robots_offline: 0,
    health: 'ok',
    ...rest,
  }
}

export const overviewRows: OverviewItem[] = [
  overviewRow({
    slug: 'globex',
    name: 'Globex',
    health: 'critical',
    failures_24h: 14,
    success_rate_7d: 0.61,
    robots_offline: 3,
    last_sync: { status: 'failed', ended_at: ago(3 * 3_600_000), error: 'Blue Prism refused the credentials.' },
    provider: 'blue-prism',
  }),
  overviewRow({ slug: 'initech', name: 'Initech', health: 'warning', failures_24h: 2, success_rate_7d: 0.9, provider: 'demo' }),
  overviewRow({ slug: 'acme-corporation', name: 'Acme Corporation' }),
  overviewRow({ slug: 'umbrella', name: 'Umbrella', health: 'unknown', provider: null, last_sync: null, success_rate_7d: null, runs_7d: 0 }),
]

export const activeKey: ApiKey = {
  id: 'k1',
  name: 'Jenkins pipeline',
  prefix: 'a1b2c3d4',
  created_at: ago(10 * DAY),
  created_by: { id: 'u3', name: 'Grace Hopper' },
  expires_at: null,
  deactivated_at: null,
  last_used_at: ago(2 * 3_600_000),
  status: 'active',
}

export const expiredKey: ApiKey = {
  ...activeKey,
  id: 'k2',
  name: 'Old import',
  prefix: 'e5f6a7b8',
  expires_at: ago(DAY),
  last_used_at: null,
  status: 'expired',
}

type Routes = Parameters<typeof mockFetch>[0]

const detail = (({ people: _p, clients: _c, last_activity: _l, ...rest }) => rest)(acme)

/** dashRoutes mocks the shell and Acme for `me`; pages add their own routes. */
export function dashRoutes(me: Me, over: Routes = {}) {
  return mockFetch({
    'GET /setup': json({ needed: false }),
    'GET /me': json(me),
    'GET /auth/csrf': json({ token: 't' }),
    'GET /accounts': json({ items: [acme], next_cursor: null }),
    'GET /tenant/usage': json(trialUsage),
    'GET /accounts/acme-corporation': json(detail),
    'GET /accounts/acme-corporation/sync-runs': json({ items: [], next_cursor: null }),
    'GET /accounts/acme-corporation/run-requests': json({ items: [], next_cursor: null }),
    ...over,
  })
}

import type { Job, JobDetail, Process, Robot, RunRequest, Schedule, SyncRun } from '../api/estate'
import type { Me } from '../api/types'
import { acme, clientMe, consultantMe, trialUsage } from './fixtures'
import { json, mockFetch } from './fetchMock'
import { groups, members } from './people'

// Fixtures for the estate pages (processes, jobs, robots, schedules, syncs,
// run requests) and people with the estate's permissions (policy.csv).

/**
 * Waits of the estate page tests: the whole app mounts in a worker that may
 * share two CPUs with other test runs, and a test clicks through a dialog.
 */
export const FIRST_PAINT = 10_000
export const SLOW = 20_000

const MIN = 60_000
const HOUR = 60 * MIN
const DAY = 24 * HOUR
export const ago = (ms: number) => new Date(Date.now() - ms).toISOString()
export const ahead = (ms: number) => new Date(Date.now() + ms).toISOString()

/** A Consultant: sees and does everything in the account's estate. */
export const estateStaffMe: Me = {
  ...consultantMe,
  permissions: [
    ...consultantMe.permissions,
    'members:manage',
    'connection:read',
    'sync:run',
    'data:read',
    'processes:assign',
    'runs:start',
    'runs:approve',
    'dashboard:read',
  ],
}

/** A Client of Acme: reads, and may start runs (which may need approval). */
export const estateClientMe: Me = {
  ...clientMe,
  permissions: [...clientMe.permissions, 'connection:read', 'connection:rotate', 'data:read', 'runs:start', 'dashboard:read'],
}

/** An Account User of Acme: reads only what is assigned to them. */
export const estateUserMe: Me = {
  ...clientMe,
  membership: { ...clientMe.membership, role: 'account_user', roles: ['account_user'] },
  permissions: ['accounts:list', 'account:read', 'data:read', 'dashboard:read'],
}

export const invoices: Process = {
  id: 'p1',
  ref: 'uip-101',
  name: 'Invoice processing',
  description: 'Reads supplier invoices from the mailbox into SAP.',
  folder: 'Finance',
  source: 'sync',
  created_at: ago(30 * DAY),
  updated_at: ago(DAY),
  last_job: { id: 'j2', state: 'faulted', created_at: ago(2 * HOUR) },
  runs_7d: 42,
  failures_7d: 3,
  assignees: { user_ids: ['u11'], group_ids: ['g3'] },
}

export const payroll: Process = {
  id: 'p2',
  ref: 'uip-102',
  name: 'Payroll export',
  description: '',
  folder: '',
  source: 'sync',
  created_at: ago(30 * DAY),
  updated_at: ago(DAY),
  last_job: null,
  runs_7d: 0,
  failures_7d: 0,
  assignees: { user_ids: [], group_ids: [] },
}

export const processes: Process[] = [invoices, payroll]

const job = (fields: Partial<Job> & { id: string }): Job => ({
  ref: `job-${fields.id}`,
  process: { id: 'p1', name: 'Invoice processing' },
  robot_ref: 'r-1',
  robot_name: 'Bot 01',
  state: 'successful',
  raw_state: 'Successful',
  created_at: ago(HOUR),
  started_at: ago(HOUR),
  ended_at: ago(HOUR - 5 * MIN),
  duration_seconds: 300,
  trigger: 'schedule',
  error: '',
  source: 'sync',
  ...fields,
})

export const okJob = job({ id: 'j1' })
export const faultedJob = job({
  id: 'j2',
  state: 'faulted',
  raw_state: 'Faulted',
  created_at: ago(2 * HOUR),
  duration_seconds: 125,
  error: 'System.IO.IOException: The mailbox invoices@acme.example is not reachable.\n   at Mail.Open()',
})
export const runningJob = job({ id: 'j3', state: 'running', raw_state: 'Running', created_at: ago(2 * MIN), started_at: ago(2 * MIN), ended_at: null, duration_seconds: null, trigger: 'manual' })
export const jobs: Job[] = [runningJob, okJob, faultedJob]

export const faultedDetail: JobDetail = {
  ...faultedJob,
  vendor_updated_at: ago(2 * HOUR),
  raw: { Id: 4711, State: 'Faulted', Info: 'The mailbox is not reachable.', Robot: { Name: 'Bot 01' } },
}

export const robots: Robot[] = [
  { id: 'rb1', ref: 'r-1', name: 'Bot 01', status: 'available', raw_status: 'Available', machine: 'ACME-VM-01', last_seen_at: ago(MIN), updated_at: ago(MIN) },
  { id: 'rb2', ref: 'r-2', name: 'Bot 02', status: 'offline', raw_status: 'Disconnected', machine: 'ACME-VM-02', last_seen_at: ago(3 * DAY), updated_at: ago(MIN) },
]

export const schedules: Schedule[] = [
  {
    id: 's1',
    ref: 'trg-1',
    name: 'Invoices every morning',
    process_ref: 'uip-101',
    process_name: 'Invoice processing',
    process_id: 'p1',
    enabled: true,
    cron: '0 0 7 ? * MON-FRI',
    summary: 'Weekdays at 07:00',
    timezone: 'Europe/Berlin',
    next_run_at: ahead(5 * HOUR),
  },
  {
    id: 's2',
    ref: 'trg-2',
    name: 'Payroll monthly',
    process_ref: 'uip-102',
    process_name: 'Payroll export',
    process_id: 'p2',
    enabled: false,
    cron: '0 0 6 1 * ?',
    summary: 'Monthly on the 1st at 06:00',
    timezone: 'Europe/Berlin',
    next_run_at: null,
  },
]

export const syncRun = (fields: Partial<SyncRun> & { id: string }): SyncRun => ({
  trigger: 'cron',
  status: 'succeeded',
  started_at: ago(10 * MIN),
  ended_at: ago(10 * MIN - 4000),
  attempts: 1,
  counts: { processes: 2, jobs: 40, robots: 2, schedules: 2 },
  changed: 5,
  error: '',
  error_code: '',
  ...fields,
})

export const syncRuns: SyncRun[] = [
  syncRun({ id: 'sr2' }),
  syncRun({
    id: 'sr1',
    status: 'failed',
    trigger: 'manual',
    started_at: ago(HOUR),
    ended_at: ago(HOUR - 30_000),
    attempts: 3,
    counts: null,
    changed: 0,
    error: 'UiPath answered 401: invalid_client',
    error_code: 'auth_failed',
  }),
]

export const request = (fields: Partial<RunRequest> & { id: string }): RunRequest => ({
  process: { id: 'p1', name: 'Invoice processing' },
  requested_by: { id: 'u2', name: 'Wile E. Coyote', email: 'wile@acme.example' },
  status: 'pending',
  arguments: { invoice: 42 },
  created_at: ago(10 * MIN),
  expires_at: ahead(50 * MIN),
  decided_by: null,
  decided_at: null,
  reason: '',
  job_ref: '',
  error: '',
  ...fields,
})

export const pendingRequest = request({ id: 'rr1' })
export const rejectedRequest = request({
  id: 'rr0',
  process: { id: 'p2', name: 'Payroll export' },
  status: 'rejected',
  arguments: null,
  created_at: ago(DAY),
  expires_at: ago(DAY - HOUR),
  decided_by: { id: 'u3', name: 'Grace Hopper' },
  decided_at: ago(DAY - MIN),
  reason: 'Not during the month-end close.',
})
// The server lists newest first; the page puts the pending ones first.
export const runRequests: RunRequest[] = [rejectedRequest, pendingRequest]

const detail = (({ people: _p, clients: _c, last_activity: _l, ...rest }) => rest)(acme)
const page = <T,>(items: T[], next_cursor: string | null = null) => json({ items, next_cursor })

type Routes = Parameters<typeof mockFetch>[0]
const A = '/accounts/acme-corporation'

/** estateRoutes mocks the API for Acme's estate pages, as `me`. */
export function estateRoutes(me: Me = estateStaffMe, over: Routes = {}) {
  return mockFetch({
    'GET /setup': json({ needed: false }),
    'GET /me': json(me),
    'GET /auth/csrf': json({ token: 't' }),
    'GET /accounts': json({ items: [acme], next_cursor: null }),
    'GET /tenant/usage': json(trialUsage),
    [`GET ${A}`]: json(detail),
    [`GET ${A}/processes`]: page(processes),
    [`GET ${A}/jobs`]: page(jobs),
    [`GET ${A}/jobs/j2`]: json(faultedDetail),
    [`GET ${A}/robots`]: page(robots),
    [`GET ${A}/schedules`]: page(schedules),
    [`GET ${A}/sync-runs`]: page(syncRuns),
    // Fresh: the countdowns are measured from now, not from when this file loaded.
    [`GET ${A}/run-requests`]: () => page([rejectedRequest, request({ id: 'rr1' })]),
    [`GET ${A}/members`]: page(members),
    [`GET ${A}/groups`]: page(groups),
    ...over,
  })
}

export { page }

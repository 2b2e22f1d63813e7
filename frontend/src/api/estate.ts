// An account's RPA estate as Bureau syncs it (SPEC §4, API.md "Connection,
// sync and data"): processes, jobs, robots, schedules, sync runs, manual runs
// and the run requests that wait for approval. Account Users get only what
// the server scopes to them (ISO-12): the web app shows what it is given.

import { useInfiniteQuery, useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query'
import { api } from './client'
import { queryKeys } from './queries'
import type { Page } from './types'

// --- types ------------------------------------------------------------------

/** The six job states every provider's states are normalised to. */
export type JobState = 'pending' | 'running' | 'successful' | 'faulted' | 'stopped' | 'suspended'

export const JOB_STATES: readonly JobState[] = ['pending', 'running', 'successful', 'faulted', 'stopped', 'suspended']

/** A job that has not finished yet: pages showing one refresh on their own. */
export function isActiveState(state: string | null | undefined): boolean {
  return state === 'pending' || state === 'running'
}

export interface ProcessRef {
  id: string
  name: string
}

export interface Assignees {
  user_ids: string[]
  group_ids: string[]
}

export interface Process {
  id: string
  ref: string
  name: string
  description: string
  folder: string
  source: string
  created_at: string
  updated_at: string
  last_job: { id: string; state: JobState | string; created_at: string } | null
  runs_7d: number
  failures_7d: number
  /** only for callers who may assign processes */
  assignees?: Assignees
}

export interface Job {
  id: string
  ref: string
  process: ProcessRef
  robot_ref: string
  robot_name: string
  state: JobState | string
  raw_state: string
  created_at: string
  started_at: string | null
  ended_at: string | null
  duration_seconds: number | null
  trigger: string
  error: string
  source: string
}

/** JobDetail is GET …/jobs/{id}: the job with the vendor's own record. */
export interface JobDetail extends Job {
  vendor_updated_at: string | null
  raw: Record<string, unknown> | null
}

export type RobotStatus = 'available' | 'busy' | 'offline' | 'unknown'

export interface Robot {
  id: string
  ref: string
  name: string
  status: RobotStatus | string
  raw_status: string
  machine: string
  last_seen_at: string | null
  updated_at: string
}

export interface Schedule {
  id: string
  ref: string
  name: string
  process_ref: string
  process_name: string
  process_id: string | null
  enabled: boolean
  cron: string
  summary: string
  timezone: string
  next_run_at: string | null
}

export type SyncTrigger = 'cron' | 'manual' | 'setup'
export type SyncStatus = 'running' | 'succeeded' | 'failed' | 'timed_out' | 'cancelled' | 'interrupted' | 'skipped_overlap'

export interface SyncCounts {
  processes: number
  jobs: number
  robots: number
  schedules: number
}

export interface SyncRun {
  id: string
  trigger: SyncTrigger | string
  status: SyncStatus | string
  started_at: string
  ended_at: string | null
  attempts: number
  counts: SyncCounts | null
  changed: number
  error: string | null
  error_code: string | null
}

export type RunRequestStatus = 'pending' | 'approved' | 'rejected' | 'expired' | 'failed'

export interface RunRequest {
  id: string
  process: ProcessRef
  requested_by: { id: string; name: string; email: string }
  status: RunRequestStatus | string
  arguments: Record<string, unknown> | null
  created_at: string
  expires_at: string
  decided_by: { id: string; name: string } | null
  decided_at: string | null
  reason: string
  job_ref: string
  /** Bureau's id of the started job, once stored (for a link). */
  job_id?: string | null
  error: string
}

/** What POST …/processes/{id}/runs led to: a job at once (201), or a request waiting for approval (202). */
export type RunOutcome = { kind: 'started'; job: Job } | { kind: 'approval'; request: RunRequest }

// --- endpoints ----------------------------------------------------------------

const base = (account: string) => `/accounts/${encodeURIComponent(account)}`
const seg = encodeURIComponent

/** withQuery appends parameters, leaving out empty ones. */
export function withQuery(path: string, params: URLSearchParams | Record<string, string | undefined>): string {
  const q = new URLSearchParams()
  const entries = params instanceof URLSearchParams ? [...params.entries()] : Object.entries(params)
  for (const [k, v] of entries) if (v) q.set(k, v)
  const s = q.toString()
  return s ? `${path}?${s}` : path
}

/** The page size of the tables (the API's maximum is 200). */
export const PAGE_SIZE = 50

function listPage<T>(path: string, params: Record<string, string | undefined>, cursor: string | null, signal?: AbortSignal) {
  return api.get<Page<T>>(withQuery(path, { ...params, cursor: cursor ?? undefined, limit: String(PAGE_SIZE) }), { signal })
}

export function getJob(account: string, id: string, signal?: AbortSignal): Promise<JobDetail> {
  return api.get<JobDetail>(`${base(account)}/jobs/${seg(id)}`, { signal })
}

/** jobsCsvUrl is where the browser downloads the filtered jobs as CSV (same session cookie). */
export function jobsCsvUrl(account: string, filters: URLSearchParams): string {
  const q = new URLSearchParams(filters)
  q.set('format', 'csv')
  return `/api/v1${base(account)}/jobs?${q.toString()}`
}

export function startSync(account: string): Promise<SyncRun> {
  return api.post<SyncRun>(`${base(account)}/sync`, {})
}

export async function startRun(account: string, processId: string, args?: Record<string, unknown>): Promise<RunOutcome> {
  const body = args === undefined ? {} : { arguments: args }
  const res = await api.post<{ job?: Job; run_request?: RunRequest }>(`${base(account)}/processes/${seg(processId)}/runs`, body)
  if (res?.run_request) return { kind: 'approval', request: res.run_request }
  if (res?.job) return { kind: 'started', job: res.job }
  throw new Error('The server answered without the job or the request it started.')
}

export function putAssignments(account: string, processId: string, a: Assignees): Promise<Process> {
  return api.put<Process>(`${base(account)}/processes/${seg(processId)}/assignments`, a)
}

export function approveRunRequest(account: string, id: string): Promise<{ run_request: RunRequest; job: Job | null }> {
  return api.post(`${base(account)}/run-requests/${seg(id)}/approve`, {})
}

export function rejectRunRequest(account: string, id: string, reason: string): Promise<{ run_request: RunRequest }> {
  return api.post(`${base(account)}/run-requests/${seg(id)}/reject`, reason ? { reason } : {})
}

// --- queries -------------------------------------------------------------------

/** Under the account's key, so that refreshing the account refreshes them too. */
export const estateKeys = {
  all: (account: string) => [...queryKeys.account(account), 'estate'] as const,
  list: (account: string, what: string, params: unknown = {}) => [...queryKeys.account(account), 'estate', what, params] as const,
  job: (account: string, id: string) => [...queryKeys.account(account), 'estate', 'job', id] as const,
  pendingRequests: (account: string) => [...queryKeys.account(account), 'estate', 'pending-requests'] as const,
}

/**
 * How often pages poll, in ms. A setting, not a constant, so that tests can
 * shorten the waits.
 */
export const POLL = {
  /** jobs while one shown is pending or running (a started run is seen finishing) */
  jobsMs: 10_000,
  /** the sync runs while one is running */
  syncMs: 2_000,
  /** the pending run requests behind the navigation's count */
  requestsMs: 60_000,
}

interface ListOptions<T> {
  enabled?: boolean
  /** poll while this holds for the rows loaded */
  pollWhile?: (items: T[]) => boolean
  pollMs?: number
}

/**
 * useCursorList reads a {items, next_cursor} list page by page ("Load more"),
 * with its filters as parameters.
 */
export function useCursorList<T>(account: string, what: string, params: Record<string, string | undefined>, opts: ListOptions<T> = {}) {
  return useInfiniteQuery({
    queryKey: estateKeys.list(account, what, params),
    queryFn: ({ signal, pageParam }) => listPage<T>(`${base(account)}/${what}`, params, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last?.next_cursor || undefined,
    enabled: opts.enabled ?? true,
    refetchInterval: (q) => {
      const items = q.state.data?.pages.flatMap((p) => p.items) ?? []
      return opts.pollWhile && opts.pollWhile(items) ? (opts.pollMs ?? POLL.jobsMs) : false
    },
  })
}

/** rowsOf flattens the loaded pages; undefined while the first one loads. */
export function rowsOf<T>(data: { pages: Page<T>[] } | undefined): T[] | undefined {
  return data?.pages.flatMap((p) => p.items ?? [])
}

export function useJob(account: string, id: string) {
  return useQuery({
    queryKey: estateKeys.job(account, id),
    queryFn: ({ signal }) => getJob(account, id, signal),
    refetchInterval: (q) => (isActiveState(q.state.data?.state) ? POLL.jobsMs : false),
  })
}

/** useFirstItems reads up to 200 rows of a list at once (the choices of a filter). */
function useFirstItems<T>(account: string, what: string, enabled: boolean) {
  return useQuery({
    queryKey: estateKeys.list(account, what, { choices: true }),
    queryFn: async ({ signal }) => {
      const page = await api.get<Page<T>>(withQuery(`${base(account)}/${what}`, { limit: '200' }), { signal })
      return page?.items ?? []
    },
    enabled,
    staleTime: 60_000,
  })
}

/** useProcessChoices and useRobotChoices fill the jobs page's filters. */
export const useProcessChoices = (account: string, enabled = true) => useFirstItems<Process>(account, 'processes', enabled)
export const useRobotChoices = (account: string, enabled = true) => useFirstItems<Robot>(account, 'robots', enabled)

/** useSyncRuns is the account's sync history, polled while a sync runs. */
export function useSyncRuns(account: string, opts: { enabled?: boolean; watch?: boolean } = {}) {
  return useCursorList<SyncRun>(
    account,
    'sync-runs',
    {},
    {
      enabled: opts.enabled,
      pollWhile: (items) => !!opts.watch || items.some((r) => r.status === 'running'),
      pollMs: POLL.syncMs,
    },
  )
}

/** usePendingRequestCount is how many run requests wait for a decision (for the navigation's badge). */
export function usePendingRequestCount(account: string, enabled: boolean) {
  return useQuery({
    queryKey: estateKeys.pendingRequests(account),
    queryFn: async ({ signal }) => {
      const page = await api.get<Page<RunRequest>>(withQuery(`${base(account)}/run-requests`, { status: 'pending', limit: '200' }), { signal })
      const now = Date.now()
      const live = (page?.items ?? []).filter((r) => r.status === 'pending' && Date.parse(r.expires_at) > now).length
      return { count: live, more: !!page?.next_cursor }
    },
    enabled,
    refetchInterval: POLL.requestsMs,
    retry: false,
  })
}

/** estateChanged refreshes every list of the account's estate (after a sync, a run, a decision). */
export function estateChanged(qc: QueryClient, account: string): Promise<unknown> {
  return qc.invalidateQueries({ queryKey: estateKeys.all(account) })
}

export function useStartRun(account: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: ({ processId, args }: { processId: string; args?: Record<string, unknown> }) => startRun(account, processId, args),
    onSuccess: () => estateChanged(qc, account),
  })
}

export function useAssignProcess(account: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: ({ processId, assignees }: { processId: string; assignees: Assignees }) => putAssignments(account, processId, assignees),
    onSuccess: () => qc.invalidateQueries({ queryKey: [...estateKeys.all(account), 'processes'] }),
  })
}

export function useStartSync(account: string) {
  return useMutation({ mutationFn: () => startSync(account) })
}

export function useDecideRunRequest(account: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (d: { id: string; approve: true } | { id: string; approve: false; reason: string }): Promise<{ run_request: RunRequest; job?: Job | null }> =>
      d.approve ? approveRunRequest(account, d.id) : rejectRunRequest(account, d.id, d.reason),
    // Decided, expired (410) or decided by someone else (409): the list is stale either way.
    onSettled: () => estateChanged(qc, account),
  })
}

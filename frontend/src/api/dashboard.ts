// The account dashboard (GET …/dashboard) and the staff overview of every
// client account (GET /overview), as API.md and the shared contract describe
// them. Account Users get dashboard figures for their assigned processes only
// (ISO-12): the web app shows what the server sends.

import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { api } from './client'
import { queryKeys } from './queries'
import type { AccountStatus } from './types'

// --- dashboard ---------------------------------------------------------------

/** The periods the dashboard offers, in days. */
export const DASHBOARD_DAYS = [7, 30] as const
export type DashboardDays = (typeof DASHBOARD_DAYS)[number]

export interface DashboardTotals {
  runs: number
  successful: number
  faulted: number
  stopped: number
  running: number
  pending: number
  /** 0..1 of the finished runs; null when none finished */
  success_rate: number | null
}

/** DailyRuns is one day of the trend, oldest first, zero-filled. */
export interface DailyRuns {
  /** YYYY-MM-DD */
  date: string
  successful: number
  faulted: number
  stopped: number
  other: number
}

export interface ProcessFailures {
  process_id: string
  name: string
  failures: number
  runs: number
}

export interface RobotCounts {
  available: number
  busy: number
  offline: number
  unknown: number
}

/** The account's latest sync run, as GET …/sync-runs lists them. */
export interface DashboardSync {
  id: string
  trigger: string
  status: string
  started_at: string
  ended_at: string | null
  attempts?: number
  counts?: { processes: number; jobs: number; robots: number; schedules: number } | null
  changed?: number
  error?: string
  error_code?: string
}

export interface Dashboard {
  days: number
  totals: DashboardTotals
  daily: DailyRuns[]
  failures_by_process: ProcessFailures[]
  robots: RobotCounts
  last_sync: DashboardSync | null
  /** whether the account has a connection (what an empty dashboard should say) */
  connected?: boolean
}

const accountPath = (account: string) => `/accounts/${encodeURIComponent(account)}`

export function getDashboard(account: string, days: number, signal?: AbortSignal): Promise<Dashboard> {
  return api.get<Dashboard>(`${accountPath(account)}/dashboard?days=${days}`, { signal })
}

export const dashboardKeys = {
  /** under the account's estate key, so that a sync or a run (estateChanged) refreshes it too */
  dashboard: (account: string, days: number) => [...queryKeys.account(account), 'estate', 'dashboard', days] as const,
  overview: (sort: string) => ['overview', sort] as const,
}

/**
 * useDashboard loads the dashboard for a period. Switching the period keeps
 * the previous figures on screen until the new ones arrive (no flash of
 * skeletons). refetchInterval: how often to look again, given the figures (false: never).
 */
export function useDashboard(
  account: string,
  days: number,
  opts: { enabled?: boolean; refetchInterval?: (d: Dashboard | undefined) => number | false } = {},
) {
  const every = opts.refetchInterval
  return useQuery({
    queryKey: dashboardKeys.dashboard(account, days),
    queryFn: ({ signal }) => getDashboard(account, days, signal),
    enabled: opts.enabled ?? true,
    placeholderData: keepPreviousData,
    refetchInterval: every ? (q) => every(q.state.data) : false,
  })
}

// --- staff overview ----------------------------------------------------------------

export type Health = 'ok' | 'warning' | 'critical' | 'unknown'

/** The orders GET /overview knows; each has one direction, worst first where that means anything. */
export const OVERVIEW_SORTS = ['health', 'name', 'failures', 'success_rate', 'last_sync'] as const
export type OverviewSort = (typeof OVERVIEW_SORTS)[number]

export interface OverviewItem {
  account: { id: string; slug: string; name: string; status: AccountStatus }
  provider: string | null
  last_sync: { status: string; ended_at: string | null; error: string } | null
  failures_24h: number
  success_rate_7d: number | null
  runs_7d: number
  robots_offline: number
  health: Health
}

export interface Overview {
  items: OverviewItem[]
}

export function getOverview(sort: OverviewSort, signal?: AbortSignal): Promise<Overview> {
  return api.get<Overview>(`/overview?sort=${encodeURIComponent(sort)}`, { signal })
}

/** How often the staff overview looks again on its own. */
export const OVERVIEW_REFRESH_MS = 30_000

export function useOverview(sort: OverviewSort, enabled = true) {
  return useQuery({
    queryKey: dashboardKeys.overview(sort),
    queryFn: ({ signal }) => getOverview(sort, signal),
    enabled,
    placeholderData: keepPreviousData,
    refetchInterval: OVERVIEW_REFRESH_MS,
  })
}

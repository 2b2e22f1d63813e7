// Pure helpers for the estate pages: the jobs filters (in the address bar and
// in the API's query string), durations and countdowns, run arguments, and
// the order of run requests.

import { JOB_STATES, type Job, type JobState, type RunRequest } from '../api/estate'

// --- jobs filters ------------------------------------------------------------------

/** JobFilters are the jobs page's filters as the address bar keeps them (dates as YYYY-MM-DD). */
export interface JobFilters {
  states: JobState[]
  /** a process id */
  process: string
  /** a robot ref */
  robot: string
  from: string
  to: string
}

export const NO_JOB_FILTERS: JobFilters = { states: [], process: '', robot: '', from: '', to: '' }

const DAY_RE = /^\d{4}-\d{2}-\d{2}$/

function isDay(s: string): boolean {
  if (!DAY_RE.test(s)) return false
  const [y, m, d] = s.split('-').map(Number)
  const t = new Date(y, m - 1, d)
  return t.getFullYear() === y && t.getMonth() === m - 1 && t.getDate() === d
}

function isJobState(s: string): s is JobState {
  return (JOB_STATES as readonly string[]).includes(s)
}

/** jobFiltersFrom reads the filters from the address bar; what is not understood is left out. */
export function jobFiltersFrom(sp: URLSearchParams): JobFilters {
  const states = new Set(
    sp
      .getAll('state')
      .flatMap((v) => v.split(','))
      .map((s) => s.trim())
      .filter(isJobState),
  )
  const day = (k: string) => {
    const v = sp.get(k) ?? ''
    return isDay(v) ? v : ''
  }
  return {
    states: JOB_STATES.filter((s) => states.has(s)),
    process: sp.get('process') ?? '',
    robot: sp.get('robot') ?? '',
    from: day('from'),
    to: day('to'),
  }
}

/** jobFiltersSearch writes the filters for the address bar: only those set, states comma-separated. */
export function jobFiltersSearch(f: JobFilters): URLSearchParams {
  const sp = new URLSearchParams()
  if (f.states.length > 0) sp.set('state', JOB_STATES.filter((s) => f.states.includes(s)).join(','))
  if (f.process) sp.set('process', f.process)
  if (f.robot) sp.set('robot', f.robot)
  if (f.from) sp.set('from', f.from)
  if (f.to) sp.set('to', f.to)
  return sp
}

export function hasJobFilters(f: JobFilters): boolean {
  return f.states.length > 0 || !!f.process || !!f.robot || !!f.from || !!f.to
}

/** startOfDay is the local midnight that begins a YYYY-MM-DD day, as RFC 3339 UTC. */
export function startOfDay(day: string, plusDays = 0): string {
  const [y, m, d] = day.split('-').map(Number)
  return new Date(y, m - 1, d + plusDays).toISOString()
}

/**
 * jobsApiParams is the API's query string for the filters: the days are the
 * person's own (local midnight to local midnight), "to" includes its whole day.
 */
export function jobsApiParams(f: JobFilters): URLSearchParams {
  const sp = new URLSearchParams()
  if (f.states.length > 0) sp.set('state', JOB_STATES.filter((s) => f.states.includes(s)).join(','))
  if (f.process) sp.set('process', f.process)
  if (f.robot) sp.set('robot', f.robot)
  if (f.from) sp.set('from', startOfDay(f.from))
  if (f.to) sp.set('to', startOfDay(f.to, 1))
  return sp
}

/** dateRangeProblem says what is wrong with a from/to pair, or null. */
export function dateRangeProblem(f: Pick<JobFilters, 'from' | 'to'>): string | null {
  if (f.from && f.to && f.to < f.from) return 'The end date is before the start date.'
  return null
}

// --- time ---------------------------------------------------------------------------

/** formatDuration writes seconds briefly: "45 s", "2 min 5 s", "1 h 2 min", "3 d 4 h". */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds == null || !Number.isFinite(seconds) || seconds < 0) return '—'
  const s = Math.round(seconds)
  if (s < 60) return `${s} s`
  const min = Math.floor(s / 60)
  if (min < 60) return s % 60 ? `${min} min ${s % 60} s` : `${min} min`
  const h = Math.floor(min / 60)
  if (h < 24) return min % 60 ? `${h} h ${min % 60} min` : `${h} h`
  const d = Math.floor(h / 24)
  return h % 24 ? `${d} d ${h % 24} h` : `${d} d`
}

/** secondsBetween is the time from a to b (b: now when absent); null without a start. */
export function secondsBetween(a: string | null | undefined, b: string | null | undefined, now = Date.now()): number | null {
  if (!a) return null
  const start = Date.parse(a)
  const end = b ? Date.parse(b) : now
  if (Number.isNaN(start) || Number.isNaN(end)) return null
  return Math.max(0, (end - start) / 1000)
}

/** countdown says how long until a moment: "4 min 12 s"; null once it has passed. */
export function countdown(iso: string, now = Date.now()): string | null {
  const left = (Date.parse(iso) - now) / 1000
  if (Number.isNaN(left) || left <= 0) return null
  return formatDuration(Math.ceil(left))
}

/** jobDuration is how long the job ran, or has been running so far. */
export function jobDuration(j: Pick<Job, 'duration_seconds' | 'started_at' | 'ended_at' | 'state'>, now = Date.now()): string {
  if (j.duration_seconds != null) return formatDuration(j.duration_seconds)
  if (j.state === 'running' && j.started_at) return `${formatDuration(secondsBetween(j.started_at, null, now))} so far`
  if (!j.ended_at) return '—'
  return formatDuration(secondsBetween(j.started_at, j.ended_at))
}

// --- runs ---------------------------------------------------------------------------

export type ArgumentsResult = { ok: true; value: Record<string, unknown> | undefined } | { ok: false; error: string }

/** parseArguments reads a run's optional JSON arguments: empty, or one JSON object. */
export function parseArguments(text: string): ArgumentsResult {
  const t = text.trim()
  if (t === '') return { ok: true, value: undefined }
  let v: unknown
  try {
    v = JSON.parse(t)
  } catch {
    return { ok: false, error: 'This is not valid JSON. Write an object, e.g. {"invoice": 42}.' }
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    return { ok: false, error: 'The arguments must be a JSON object, e.g. {"invoice": 42}.' }
  }
  return { ok: true, value: v as Record<string, unknown> }
}

/** isWaiting: the request is pending and not yet past its expiry. */
export function isWaiting(r: RunRequest, now = Date.now()): boolean {
  return r.status === 'pending' && Date.parse(r.expires_at) > now
}

/** sortRunRequests puts the waiting requests first (soonest to expire first), then the rest newest first. */
export function sortRunRequests(items: RunRequest[], now = Date.now()): RunRequest[] {
  return [...items].sort((a, b) => {
    const wa = isWaiting(a, now)
    const wb = isWaiting(b, now)
    if (wa !== wb) return wa ? -1 : 1
    if (wa) return Date.parse(a.expires_at) - Date.parse(b.expires_at)
    return Date.parse(b.created_at) - Date.parse(a.created_at)
  })
}

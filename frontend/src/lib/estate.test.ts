import { describe, expect, it } from 'vitest'
import type { RunRequest } from '../api/estate'
import {
  countdown,
  dateRangeProblem,
  formatDuration,
  hasJobFilters,
  jobDuration,
  jobFiltersFrom,
  jobFiltersSearch,
  jobsApiParams,
  NO_JOB_FILTERS,
  parseArguments,
  sortRunRequests,
  startOfDay,
} from './estate'

describe('jobs filters', () => {
  it('reads the address bar, keeping only what it understands, states in a fixed order', () => {
    const f = jobFiltersFrom(new URLSearchParams('state=running,bogus,faulted&state=pending&process=p1&robot=r-1&from=2026-11-01&to=2026-02-30'))
    expect(f).toEqual({ states: ['pending', 'running', 'faulted'], process: 'p1', robot: 'r-1', from: '2026-11-01', to: '' })
    expect(jobFiltersFrom(new URLSearchParams(''))).toEqual(NO_JOB_FILTERS)
    expect(hasJobFilters(NO_JOB_FILTERS)).toBe(false)
  })

  it('writes only the filters set, and reads back the same', () => {
    const f = { states: ['faulted', 'successful'] as const, process: 'p1', robot: '', from: '2026-11-01', to: '' }
    const sp = jobFiltersSearch({ ...f, states: [...f.states] })
    expect(sp.toString()).toBe('state=successful%2Cfaulted&process=p1&from=2026-11-01')
    expect(jobFiltersFrom(sp)).toEqual({ ...f, states: ['successful', 'faulted'] })
  })

  it('asks the API for whole local days: from local midnight to the next one after "to"', () => {
    const sp = jobsApiParams({ states: ['faulted'], process: 'p1', robot: 'r-1', from: '2026-11-01', to: '2026-11-03' })
    expect(sp.get('state')).toBe('faulted')
    expect(sp.get('process')).toBe('p1')
    expect(sp.get('robot')).toBe('r-1')
    expect(sp.get('from')).toBe(new Date(2026, 10, 1).toISOString())
    expect(sp.get('to')).toBe(new Date(2026, 10, 4).toISOString())
    expect(startOfDay('2026-12-31', 1)).toBe(new Date(2027, 0, 1).toISOString())
    expect([...jobsApiParams(NO_JOB_FILTERS).keys()]).toEqual([])
  })

  it('catches a range that ends before it starts', () => {
    expect(dateRangeProblem({ from: '2026-11-05', to: '2026-11-01' })).toMatch(/before/)
    expect(dateRangeProblem({ from: '2026-11-01', to: '2026-11-01' })).toBeNull()
    expect(dateRangeProblem({ from: '', to: '2026-11-01' })).toBeNull()
  })
})

describe('durations', () => {
  it('writes seconds briefly', () => {
    expect(formatDuration(null)).toBe('—')
    expect(formatDuration(0)).toBe('0 s')
    expect(formatDuration(45)).toBe('45 s')
    expect(formatDuration(125)).toBe('2 min 5 s')
    expect(formatDuration(120)).toBe('2 min')
    expect(formatDuration(3725)).toBe('1 h 2 min')
    expect(formatDuration(90_000)).toBe('1 d 1 h')
  })

  it('says how long a job ran, or runs so far', () => {
    const now = Date.parse('2026-11-24T10:00:00Z')
    expect(jobDuration({ duration_seconds: 300, started_at: null, ended_at: null, state: 'successful' })).toBe('5 min')
    expect(jobDuration({ duration_seconds: null, started_at: '2026-11-24T09:58:00Z', ended_at: null, state: 'running' }, now)).toBe('2 min so far')
    expect(jobDuration({ duration_seconds: null, started_at: '2026-11-24T09:58:00Z', ended_at: null, state: 'faulted' }, now)).toBe('—')
    expect(jobDuration({ duration_seconds: null, started_at: null, ended_at: null, state: 'pending' }, now)).toBe('—')
  })

  it('counts down to an expiry, and stops once it has passed', () => {
    const now = Date.parse('2026-11-24T10:00:00Z')
    expect(countdown('2026-11-24T10:04:12Z', now)).toBe('4 min 12 s')
    expect(countdown('2026-11-24T09:59:59Z', now)).toBeNull()
  })
})

describe('run arguments', () => {
  it('accepts nothing, or one JSON object', () => {
    expect(parseArguments('  ')).toEqual({ ok: true, value: undefined })
    expect(parseArguments('{"invoice": 42, "dry": true}')).toEqual({ ok: true, value: { invoice: 42, dry: true } })
  })

  it('refuses what is not JSON or not an object', () => {
    expect(parseArguments('{invoice: 42}')).toMatchObject({ ok: false, error: expect.stringMatching(/not valid JSON/) })
    for (const t of ['[1,2]', '42', '"x"', 'null']) {
      expect(parseArguments(t)).toMatchObject({ ok: false, error: expect.stringMatching(/must be a JSON object/) })
    }
  })
})

describe('run requests order', () => {
  const now = Date.parse('2026-11-24T10:00:00Z')
  const r = (id: string, status: string, created: string, expires: string) =>
    ({ id, status, created_at: created, expires_at: expires }) as RunRequest
  it('puts the waiting ones first, soonest to expire first, then the rest newest first', () => {
    const items = [
      r('decided-new', 'approved', '2026-11-24T09:00:00Z', '2026-11-25T09:00:00Z'),
      r('waiting-late', 'pending', '2026-11-24T09:30:00Z', '2026-11-24T12:00:00Z'),
      r('lapsed', 'pending', '2026-11-23T09:00:00Z', '2026-11-24T09:00:00Z'),
      r('waiting-soon', 'pending', '2026-11-24T08:00:00Z', '2026-11-24T10:30:00Z'),
      r('decided-old', 'rejected', '2026-11-22T09:00:00Z', '2026-11-23T09:00:00Z'),
    ]
    expect(sortRunRequests(items, now).map((x) => x.id)).toEqual(['waiting-soon', 'waiting-late', 'decided-new', 'lapsed', 'decided-old'])
  })
})

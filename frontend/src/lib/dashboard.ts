// Pure helpers for the dashboards: the period and sort in the address bar,
// percentages, day labels, chart scales and the sentences that summarise a
// chart for people who cannot see it.

import { DASHBOARD_DAYS, OVERVIEW_SORTS, type DailyRuns, type DashboardDays, type OverviewSort } from '../api/dashboard'

/** daysFrom reads the dashboard's period from the address bar: 7 unless it says 30. */
export function daysFrom(sp: URLSearchParams): DashboardDays {
  const n = Number(sp.get('days'))
  return (DASHBOARD_DAYS as readonly number[]).includes(n) ? (n as DashboardDays) : 7
}

/** overviewSortFrom reads the overview's order from the address bar: health (worst first) unless it names another. */
export function overviewSortFrom(sp: URLSearchParams): OverviewSort {
  const s = sp.get('sort') ?? ''
  return (OVERVIEW_SORTS as readonly string[]).includes(s) ? (s as OverviewSort) : 'health'
}

const percentFormat = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 1 })

/**
 * formatRate writes a 0..1 rate as a percentage: "92%", "99.6%". It never
 * rounds up to 100% or down to 0% a rate that is not exactly that, so a
 * single failure is never hidden. '—' when there is none.
 */
export function formatRate(rate: number | null | undefined): string {
  if (rate == null || !Number.isFinite(rate)) return '—'
  const r = Math.min(1, Math.max(0, rate))
  if (r > 0.999 && r < 1) return percentFormat.format(0.999)
  if (r > 0 && r < 0.001) return percentFormat.format(0.001)
  return percentFormat.format(r)
}

/** dayDate is the local calendar day of a YYYY-MM-DD string (not midnight UTC, which is yesterday in America). */
export function dayDate(day: string): Date {
  const [y, m, d] = day.split('-').map(Number)
  return new Date(y, (m || 1) - 1, d || 1)
}

const shortDay = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' })
const longDay = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short' })
const weekday = new Intl.DateTimeFormat(undefined, { weekday: 'short' })

/** dayLabel: "3 Mar" (short), "Mon, 3 Mar" (long), "Mon" (weekday). */
export function dayLabel(day: string, style: 'short' | 'long' | 'weekday' = 'short'): string {
  const d = dayDate(day)
  if (Number.isNaN(d.getTime())) return day
  return (style === 'long' ? longDay : style === 'weekday' ? weekday : shortDay).format(d)
}

export function dayTotal(d: DailyRuns): number {
  return d.successful + d.faulted + d.stopped + d.other
}

/**
 * niceScale is the y axis of a bar chart: a round top at or above max, and
 * the ticks from 0 to it (at most five, whole numbers).
 */
export function niceScale(max: number): { top: number; ticks: number[] } {
  if (!Number.isFinite(max) || max <= 0) return { top: 4, ticks: [0, 2, 4] }
  const rough = max / 4
  const pow = 10 ** Math.floor(Math.log10(rough))
  const step = Math.max(1, [1, 2, 5, 10].map((f) => f * pow).find((s) => s >= rough) ?? 10 * pow)
  const top = Math.ceil(max / step) * step
  const ticks: number[] = []
  for (let t = 0; t <= top + step / 2; t += step) ticks.push(Math.round(t))
  return { top, ticks }
}

/** labelEvery: how many bars share one x-axis label, so that labels never overlap. */
export function labelEvery(bars: number, width: number, labelWidth = 52): number {
  if (bars <= 0 || width <= 0) return 1
  const fit = Math.max(1, Math.floor(width / labelWidth))
  return Math.max(1, Math.ceil(bars / fit))
}

/** daySentence says what one day of the chart holds, for its tooltip and for screen readers. */
export function daySentence(d: DailyRuns): string {
  const total = dayTotal(d)
  if (total === 0) return `${dayLabel(d.date, 'long')}: no runs`
  const parts = [`${d.successful} successful`, `${d.faulted} faulted`, `${d.stopped} stopped`]
  if (d.other > 0) parts.push(`${d.other} other`)
  return `${dayLabel(d.date, 'long')}: ${total.toLocaleString()} ${total === 1 ? 'run' : 'runs'} (${parts.join(', ')})`
}

/** trendSummary is the one-sentence description of the daily chart (its accessible name). */
export function trendSummary(daily: DailyRuns[]): string {
  const days = daily.length
  const sum = (k: keyof Omit<DailyRuns, 'date'>) => daily.reduce((n, d) => n + d[k], 0)
  const total = daily.reduce((n, d) => n + dayTotal(d), 0)
  const head = `Runs per day over the last ${days} ${days === 1 ? 'day' : 'days'}`
  if (total === 0) return `${head}: no runs.`
  const busiest = daily.reduce((a, b) => (dayTotal(b) > dayTotal(a) ? b : a))
  const faulted = sum('faulted')
  const worst = daily.reduce((a, b) => (b.faulted > a.faulted ? b : a))
  let s = `${head}: ${total.toLocaleString()} runs, ${sum('successful').toLocaleString()} successful, ${faulted.toLocaleString()} faulted, ${sum('stopped').toLocaleString()} stopped`
  const other = sum('other')
  if (other > 0) s += `, ${other.toLocaleString()} other`
  s += `. Busiest day ${dayLabel(busiest.date, 'long')} with ${dayTotal(busiest).toLocaleString()} runs`
  if (faulted > 0) s += `; most failures on ${dayLabel(worst.date, 'long')} (${worst.faulted.toLocaleString()})`
  return s + '.'
}

/** Provider names as people know them (the connection page has the full specs; the overview only the name). */
const PROVIDER_NAMES: Record<string, string> = {
  'uipath-cloud': 'UiPath Cloud',
  'uipath-onprem': 'UiPath Orchestrator',
  'blue-prism': 'Blue Prism',
  'automation-anywhere': 'Automation Anywhere',
  'power-automate': 'Power Automate',
  robomotion: 'Robomotion',
  demo: 'Demo estate',
  ingest: 'API ingestion',
}

export function providerName(provider: string | null | undefined): string {
  if (!provider) return 'Not connected'
  return PROVIDER_NAMES[provider] ?? provider
}

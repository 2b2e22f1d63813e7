import { describe, expect, it } from 'vitest'
import { dayDate, daysFrom, formatRate, labelEvery, niceScale, overviewSortFrom, providerName, trendSummary } from './dashboard'

const sp = (s: string) => new URLSearchParams(s)
const day = (date: string, successful: number, faulted = 0, stopped = 0, other = 0) => ({ date, successful, faulted, stopped, other })

describe('dashboard helpers', () => {
  it('reads the period and the order from the address bar, falling back to the defaults', () => {
    expect(daysFrom(sp(''))).toBe(7)
    expect(daysFrom(sp('days=30'))).toBe(30)
    expect(daysFrom(sp('days=31'))).toBe(7)
    expect(daysFrom(sp('days=abc'))).toBe(7)
    expect(overviewSortFrom(sp(''))).toBe('health')
    expect(overviewSortFrom(sp('sort=success_rate'))).toBe('success_rate')
    expect(overviewSortFrom(sp('sort=drop table'))).toBe('health')
  })

  it('never rounds a failure away, or a success', () => {
    expect(formatRate(null)).toBe('—')
    expect(formatRate(1)).toBe('100%')
    expect(formatRate(0)).toBe('0%')
    expect(formatRate(0.91)).toBe('91%')
    expect(formatRate(0.9996)).toBe('99.9%')
    expect(formatRate(0.0002)).toBe('0.1%')
  })

  it('reads a day as the local calendar day', () => {
    const d = dayDate('2026-03-01')
    expect([d.getFullYear(), d.getMonth(), d.getDate()]).toEqual([2026, 2, 1])
  })

  it('makes round axes', () => {
    expect(niceScale(0)).toEqual({ top: 4, ticks: [0, 2, 4] })
    expect(niceScale(1)).toEqual({ top: 1, ticks: [0, 1] })
    expect(niceScale(7)).toEqual({ top: 8, ticks: [0, 2, 4, 6, 8] })
    expect(niceScale(30)).toEqual({ top: 30, ticks: [0, 10, 20, 30] })
    expect(niceScale(101)).toEqual({ top: 150, ticks: [0, 50, 100, 150] })
    expect(niceScale(1234).ticks.length).toBeLessThanOrEqual(6)
  })

  it('thins the x labels out so that they fit', () => {
    expect(labelEvery(7, 600)).toBe(1)
    expect(labelEvery(30, 600)).toBe(3)
    expect(labelEvery(30, 260)).toBe(6)
  })

  it('summarises the trend in a sentence', () => {
    expect(trendSummary([day('2026-11-23', 0), day('2026-11-24', 0)])).toBe('Runs per day over the last 2 days: no runs.')
    const s = trendSummary([day('2026-11-23', 5, 1), day('2026-11-24', 9, 3, 1, 2)])
    expect(s).toMatch(/^Runs per day over the last 2 days: 21 runs, 14 successful, 4 faulted, 1 stopped, 2 other\. Busiest day .+ with 15 runs; most failures on .+ \(3\)\.$/)
  })

  it('names providers as people know them', () => {
    expect(providerName(null)).toBe('Not connected')
    expect(providerName('uipath-cloud')).toBe('UiPath Cloud')
    expect(providerName('newvendor')).toBe('newvendor')
  })
})

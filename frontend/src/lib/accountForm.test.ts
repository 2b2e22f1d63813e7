import { describe, expect, it } from 'vitest'
import {
  placeFieldErrors,
  settingsPatch,
  settingsValues,
  splitSeconds,
  syncIntervalLabel,
  syncIntervalOptions,
  toCreateRequest,
  toSeconds,
  validateApprovalTimeout,
  validateContactEmail,
  validateCreate,
  validateExternalRef,
  validateNotes,
} from './accountForm'
import { formatBytes, relativeTime } from './format'
import { isPlanFull, planFullText, usageLevel, usageSummary } from './plan'

describe('approval timeout', () => {
  it('is shown in the largest unit that divides it', () => {
    expect(splitSeconds(86400)).toEqual({ value: 1, unit: 'days' })
    expect(splitSeconds(604800)).toEqual({ value: 7, unit: 'days' })
    expect(splitSeconds(7200)).toEqual({ value: 2, unit: 'hours' })
    expect(splitSeconds(60)).toEqual({ value: 1, unit: 'minutes' })
    expect(splitSeconds(5400)).toEqual({ value: 90, unit: 'minutes' })
    expect(splitSeconds(90)).toEqual({ value: 1.5, unit: 'minutes' })
  })

  it('converts back to whole seconds', () => {
    expect(toSeconds(2, 'hours')).toBe(7200)
    expect(toSeconds('1.5', 'minutes')).toBe(90)
    expect(toSeconds('1,5', 'days')).toBe(129600)
    expect(toSeconds('', 'days')).toBeNull()
    expect(toSeconds('soon', 'days')).toBeNull()
  })

  it.each([
    [1, 'minutes', null],
    [7, 'days', null],
    [168, 'hours', null],
    [10080, 'minutes', null],
    [0.5, 'minutes', 'Choose between 1 minute and 7 days.'],
    [0, 'hours', 'Choose between 1 minute and 7 days.'],
    [8, 'days', 'Choose between 1 minute and 7 days.'],
    [169, 'hours', 'Choose between 1 minute and 7 days.'],
    [-1, 'days', 'Choose between 1 minute and 7 days.'],
    ['', 'days', 'Enter a number.'],
    ['abc', 'minutes', 'Enter a number.'],
  ] as const)('%j %s → %j', (value, unit, message) => {
    expect(validateApprovalTimeout(value, unit)).toBe(message)
  })
})

describe('settings patch', () => {
  const server = { beta_features: true, approval_timeout_seconds: 86400, require_run_approval: false, sync_interval: '5m' }

  it('is empty when the same duration is written in another unit', () => {
    expect(settingsPatch({ ...settingsValues(server), timeout_value: 24, timeout_unit: 'hours' }, server)).toEqual({})
  })

  it('holds only what changed', () => {
    expect(settingsPatch({ ...settingsValues(server), sync_interval: '15m', timeout_value: '2', timeout_unit: 'hours' }, server)).toEqual({
      sync_interval: '15m',
      approval_timeout_seconds: 7200,
    })
  })
})

describe('sync interval', () => {
  it('labels the choices', () => {
    expect(syncIntervalLabel('1m')).toBe('Every minute')
    expect(syncIntervalLabel('15m')).toBe('Every 15 minutes')
    expect(syncIntervalLabel('1h')).toBe('Every hour')
    expect(syncIntervalLabel('24h')).toBe('Every 24 hours')
  })

  it('offers the standard choices, plus an unusual current value in order', () => {
    expect(syncIntervalOptions('5m').map((o) => o.value)).toEqual(['1m', '5m', '15m', '30m', '1h', '6h', '24h'])
    expect(syncIntervalOptions('10m').map((o) => o.value)).toEqual(['1m', '5m', '10m', '15m', '30m', '1h', '6h', '24h'])
  })
})

describe('account fields', () => {
  it('validates the optional fields', () => {
    expect(validateContactEmail('')).toBeNull()
    expect(validateContactEmail('it@acme.example')).toBeNull()
    expect(validateContactEmail('not an email')).toMatch(/name@example.com/)
    expect(validateExternalRef('CRM-1')).toBeNull()
    expect(validateExternalRef('a\nb')).toMatch(/one line/)
    expect(validateExternalRef('x'.repeat(101))).toMatch(/100/)
    expect(validateNotes('x'.repeat(10_000))).toBeNull()
    expect(validateNotes('x'.repeat(10_001))).toMatch(/10,000/)
  })

  it('checks the create form', () => {
    const errs = validateCreate({ name: ' ', slug: 'api', contact_email: 'x', external_ref: '', notes: '' })
    expect(Object.keys(errs).sort()).toEqual(['contact_email', 'name', 'slug'])
    expect(errs.slug).toMatch(/reserved/)
  })

  it('sends trimmed values and leaves out empty optional ones', () => {
    expect(toCreateRequest({ name: ' Acme ', slug: 'acme', contact_email: ' ', external_ref: ' CRM-1 ', notes: '' })).toEqual({
      name: 'Acme',
      slug: 'acme',
      external_ref: 'CRM-1',
    })
  })

  it('places server field errors on the form, and the rest aside', () => {
    expect(placeFieldErrors({ slug: 'Taken.', project_id: 'Unknown project.' }, ['name', 'slug'] as const)).toEqual({
      errors: { slug: 'Taken.' },
      unplaced: ['Unknown project.'],
    })
  })
})

describe('plan usage', () => {
  it('tells how full the plan is', () => {
    expect(usageLevel(3, 10)).toBe('ok')
    expect(usageLevel(8, 10)).toBe('near')
    expect(usageLevel(4, 5)).toBe('near')
    expect(usageLevel(10, 10)).toBe('full')
    expect(usageLevel(11, 10)).toBe('full')
    expect(usageLevel(0, 1)).toBe('ok')
    expect(usageLevel(1, 2)).toBe('near')
    expect(isPlanFull({ accounts_used: 10, accounts_limit: 10 })).toBe(true)
    expect(isPlanFull(undefined)).toBe(false)
  })

  it('says it in words', () => {
    expect(usageSummary({ accounts_used: 3, accounts_limit: 10, plan: 'trial' })).toBe('3 of 10 active accounts · Trial plan')
    expect(planFullText({ accounts_used: 10, accounts_limit: 10, plan: 'trial' })).toBe(
      'The Trial plan allows 10 active client accounts, and all 10 are in use.',
    )
    expect(planFullText({ accounts_used: 1, accounts_limit: 1, plan: 'starter' })).toBe(
      'The Starter plan allows 1 active client account, and it is in use.',
    )
  })
})

describe('format', () => {
  const now = Date.parse('2026-11-24T12:00:00Z')
  it('writes relative times', () => {
    expect(relativeTime(null, now)).toBe('—')
    expect(relativeTime('2026-11-24T11:59:50Z', now)).toBe('just now')
    expect(relativeTime('2026-11-24T11:55:00Z', now)).toBe('5 minutes ago')
    expect(relativeTime('2026-11-24T09:00:00Z', now)).toBe('3 hours ago')
    expect(relativeTime('2026-11-23T12:00:00Z', now)).toBe('yesterday')
    expect(relativeTime('2026-11-27T12:00:00Z', now)).toBe('in 3 days')
  })

  it('writes sizes in human units', () => {
    expect(formatBytes(0)).toBe('0 B')
    expect(formatBytes(812)).toBe('812 B')
    expect(formatBytes(143_360)).toBe('140 KB')
    expect(formatBytes(4_404_019)).toBe('4.2 MB')
    expect(formatBytes(undefined)).toBe('—')
  })
})

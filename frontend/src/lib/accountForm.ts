// Client-side rules of the account forms (create, details, settings). The
// server has the final word; these give immediate feedback.
import type { AccountSettings } from '../api/types'
import { validateName } from './setupForm'
import { validateSlug } from './slug'

export const EXTERNAL_REF_MAX = 100
export const NOTES_MAX = 10_000

const utf8 = new TextEncoder()
const bytes = (s: string) => utf8.encode(s).length

export function validateAccountName(name: string): string | null {
  return validateName(name, 'the client’s name')
}

/** validateContactEmail: optional; when given, one plain address. */
export function validateContactEmail(email: string): string | null {
  const t = email.trim()
  if (t === '') return null
  if (t.length > 254 || !/^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]+$/.test(t)) {
    return 'Enter an email address like name@example.com.'
  }
  return null
}

export function validateExternalRef(ref: string): string | null {
  const t = ref.trim()
  if (/[\r\n\t]/.test(t)) return 'Keep the reference on one line.'
  if (bytes(t) > EXTERNAL_REF_MAX) return `Use at most ${EXTERNAL_REF_MAX} characters.`
  return null
}

export function validateNotes(notes: string): string | null {
  if (bytes(notes) > NOTES_MAX) return 'Notes hold at most 10,000 characters.'
  return null
}

export interface AccountDetails {
  name: string
  contact_email: string
  external_ref: string
  notes: string
}

export interface CreateValues extends AccountDetails {
  slug: string
}

export type CreateField = keyof CreateValues

export const EMPTY_CREATE: CreateValues = { name: '', slug: '', contact_email: '', external_ref: '', notes: '' }

/** validateCreate returns the create form's errors by field (empty: fine). */
export function validateCreate(v: CreateValues): Partial<Record<CreateField, string>> {
  const errs: Partial<Record<CreateField, string>> = {}
  const put = (f: CreateField, m: string | null) => {
    if (m) errs[f] = m
  }
  put('name', validateAccountName(v.name))
  put('slug', validateSlug(v.slug))
  put('contact_email', validateContactEmail(v.contact_email))
  put('external_ref', validateExternalRef(v.external_ref))
  put('notes', validateNotes(v.notes))
  return errs
}

export function validateDetails(v: AccountDetails): Partial<Record<keyof AccountDetails, string>> {
  const errs: Partial<Record<keyof AccountDetails, string>> = {}
  const put = (f: keyof AccountDetails, m: string | null) => {
    if (m) errs[f] = m
  }
  put('name', validateAccountName(v.name))
  put('contact_email', validateContactEmail(v.contact_email))
  put('external_ref', validateExternalRef(v.external_ref))
  put('notes', validateNotes(v.notes))
  return errs
}

/** The POST /accounts body: trimmed, optional fields only when given. */
export function toCreateRequest(v: CreateValues) {
  const out: { name: string; slug: string; contact_email?: string; external_ref?: string; notes?: string } = {
    name: v.name.trim(),
    slug: v.slug,
  }
  if (v.contact_email.trim()) out.contact_email = v.contact_email.trim()
  if (v.external_ref.trim()) out.external_ref = v.external_ref.trim()
  if (v.notes.trim()) out.notes = v.notes
  return out
}

/**
 * placeFieldErrors splits a server's field errors into those a form shows on
 * its fields and the rest (shown as one message).
 */
export function placeFieldErrors<F extends string>(
  fieldErrors: Record<string, string>,
  fields: readonly F[],
): { errors: Partial<Record<F, string>>; unplaced: string[] } {
  const errors: Partial<Record<F, string>> = {}
  const unplaced: string[] = []
  for (const [field, message] of Object.entries(fieldErrors)) {
    if ((fields as readonly string[]).includes(field)) errors[field as F] = message
    else unplaced.push(message)
  }
  return { errors, unplaced }
}

// --- settings ---------------------------------------------------------------

export type TimeUnit = 'minutes' | 'hours' | 'days'

export const UNIT_SECONDS: Record<TimeUnit, number> = { minutes: 60, hours: 3600, days: 86400 }

export const APPROVAL_MIN_SECONDS = 60
export const APPROVAL_MAX_SECONDS = 7 * 86400

/** splitSeconds shows a duration in the largest unit that divides it (86400 → 1 day). */
export function splitSeconds(seconds: number): { value: number; unit: TimeUnit } {
  if (seconds > 0 && seconds % 86400 === 0) return { value: seconds / 86400, unit: 'days' }
  if (seconds > 0 && seconds % 3600 === 0) return { value: seconds / 3600, unit: 'hours' }
  // Minutes, with up to two decimals for durations like 90 s.
  return { value: Math.round((seconds / 60) * 100) / 100, unit: 'minutes' }
}

/** toSeconds converts a value in a unit to whole seconds; null when it is not a number. */
export function toSeconds(value: number | string, unit: TimeUnit): number | null {
  const n = typeof value === 'number' ? value : Number(String(value).trim().replace(',', '.'))
  if (String(value).trim() === '' || !Number.isFinite(n)) return null
  return Math.round(n * UNIT_SECONDS[unit])
}

/** validateApprovalTimeout: between 1 minute and 7 days. */
export function validateApprovalTimeout(value: number | string, unit: TimeUnit): string | null {
  const s = toSeconds(value, unit)
  if (s === null) return 'Enter a number.'
  if (s < APPROVAL_MIN_SECONDS || s > APPROVAL_MAX_SECONDS) {
    return 'Choose between 1 minute and 7 days.'
  }
  return null
}

export const SYNC_INTERVALS = ['1m', '5m', '15m', '30m', '1h', '6h', '24h'] as const

/** syncIntervalLabel: "5m" → "Every 5 minutes", "1h" → "Every hour". */
export function syncIntervalLabel(v: string): string {
  const m = /^(\d+)([mh])$/.exec(v)
  if (!m) return v
  const n = parseInt(m[1], 10)
  const unit = m[2] === 'm' ? 'minute' : 'hour'
  return n === 1 ? `Every ${unit}` : `Every ${n} ${unit}s`
}

/** syncIntervalOptions: the standard choices, plus the current value when it is another. */
export function syncIntervalOptions(current?: string): Array<{ value: string; label: string }> {
  const values: string[] = [...SYNC_INTERVALS]
  if (current && !values.includes(current)) values.push(current)
  const minutes = (v: string) => {
    const m = /^(\d+)([mh])$/.exec(v)
    return m ? parseInt(m[1], 10) * (m[2] === 'h' ? 60 : 1) : Infinity
  }
  return values.sort((a, b) => minutes(a) - minutes(b)).map((value) => ({ value, label: syncIntervalLabel(value) }))
}

/** The settings form's values: the timeout as a number and a unit. */
export interface SettingsValues {
  beta_features: boolean
  require_run_approval: boolean
  timeout_value: number | string
  timeout_unit: TimeUnit
  sync_interval: string
}

export function settingsValues(s: AccountSettings): SettingsValues {
  const t = splitSeconds(s.approval_timeout_seconds)
  return {
    beta_features: s.beta_features,
    require_run_approval: s.require_run_approval,
    timeout_value: t.value,
    timeout_unit: t.unit,
    sync_interval: s.sync_interval,
  }
}

/** settingsPatch lists what differs from the server's settings. */
export function settingsPatch(v: SettingsValues, s: AccountSettings): Partial<AccountSettings> {
  const patch: Partial<AccountSettings> = {}
  if (v.beta_features !== s.beta_features) patch.beta_features = v.beta_features
  if (v.require_run_approval !== s.require_run_approval) patch.require_run_approval = v.require_run_approval
  const secs = toSeconds(v.timeout_value, v.timeout_unit)
  if (secs !== null && secs !== s.approval_timeout_seconds) patch.approval_timeout_seconds = secs
  if (v.sync_interval !== s.sync_interval) patch.sync_interval = v.sync_interval
  return patch
}


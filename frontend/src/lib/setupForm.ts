// The setup wizard's fields, their steps and their client-side rules. The
// server has the final word; its 422 field errors map back through FIELD_STEP.
import { passwordChars, validatePassword } from './password'
import { validateSlug } from './slug'

export interface SetupValues {
  tenant_name: string
  tenant_slug: string
  owner_name: string
  owner_email: string
  owner_password: string
  password_confirm: string
  account_name: string
  account_slug: string
}

export type SetupField = keyof SetupValues

export const EMPTY_SETUP: SetupValues = {
  tenant_name: '',
  tenant_slug: '',
  owner_name: '',
  owner_email: '',
  owner_password: '',
  password_confirm: '',
  account_name: '',
  account_slug: '',
}

export const STEPS = ['firm', 'owner', 'client', 'review'] as const
export const REVIEW_STEP = 3

/** The fields of each input step, in the order they appear. */
export const STEP_FIELDS: SetupField[][] = [
  ['tenant_name', 'tenant_slug'],
  ['owner_name', 'owner_email', 'owner_password', 'password_confirm'],
  ['account_name', 'account_slug'],
  [],
]

/** FIELD_STEP says on which step a (server) field is edited. */
export const FIELD_STEP: Record<string, number> = Object.fromEntries(
  STEP_FIELDS.flatMap((fields, step) => fields.map((f) => [f, step])),
)

export function validateName(name: string, what: string): string | null {
  const t = name.trim()
  if (t === '') return `Enter ${what}.`
  if (passwordChars(t) > 100) return 'Use at most 100 characters.'
  if (/[\u0000-\u001f\u007f]/.test(t)) return 'Remove the control characters.'
  return null
}

export function validateEmail(email: string): string | null {
  const t = email.trim()
  if (t === '') return 'Enter your email address.'
  if (t.length > 254 || !/^[^\s@]+@[^\s@]+$/.test(t)) return 'Enter an email address like name@example.com.'
  return null
}

/** validateStep returns the errors of one step's fields (empty: the step is fine). */
export function validateStep(step: number, v: SetupValues): Partial<Record<SetupField, string>> {
  const errs: Partial<Record<SetupField, string>> = {}
  const put = (f: SetupField, msg: string | null) => {
    if (msg) errs[f] = msg
  }
  switch (step) {
    case 0:
      put('tenant_name', validateName(v.tenant_name, "your firm's name"))
      put('tenant_slug', validateSlug(v.tenant_slug))
      break
    case 1:
      put('owner_name', validateName(v.owner_name, 'your name'))
      put('owner_email', validateEmail(v.owner_email))
      put('owner_password', validatePassword(v.owner_password))
      if (v.password_confirm === '') put('password_confirm', 'Repeat the password.')
      else if (v.password_confirm !== v.owner_password) put('password_confirm', 'The passwords do not match.')
      break
    case 2:
      put('account_name', validateName(v.account_name, "your first client's name"))
      put('account_slug', validateSlug(v.account_slug))
      if (!errs.account_slug && v.account_slug === v.tenant_slug) {
        // Allowed by the server, but almost always a slip.
        put('account_slug', 'Use a slug that differs from your firm’s, so the two are easy to tell apart.')
      }
      break
  }
  return errs
}

/** firstInvalidStep validates every step and returns the first that fails, or -1. */
export function firstInvalidStep(v: SetupValues): number {
  for (let s = 0; s < REVIEW_STEP; s++) {
    if (Object.keys(validateStep(s, v)).length > 0) return s
  }
  return -1
}

/**
 * toRequest is the POST /api/v1/setup body. sample_data is sent only when
 * asked for, so that the body stays what it was for everyone else.
 */
export function toRequest(v: SetupValues, opts: { sampleData?: boolean } = {}) {
  return {
    tenant_name: v.tenant_name.trim(),
    tenant_slug: v.tenant_slug,
    owner_name: v.owner_name.trim(),
    owner_email: v.owner_email.trim(),
    owner_password: v.owner_password,
    account_name: v.account_name.trim(),
    account_slug: v.account_slug,
    ...(opts.sampleData ? { sample_data: true } : {}),
  }
}

/**
 * placeServerErrors sorts a 422's field errors onto the wizard: the errors
 * per form field, the first step that has one, and messages for fields the
 * wizard does not show.
 */
export function placeServerErrors(fieldErrors: Record<string, string>): {
  errors: Partial<Record<SetupField, string>>
  step: number
  unplaced: string[]
} {
  const errors: Partial<Record<SetupField, string>> = {}
  const unplaced: string[] = []
  let step = Infinity
  for (const [field, message] of Object.entries(fieldErrors)) {
    const s = FIELD_STEP[field]
    if (s === undefined) {
      unplaced.push(message)
      continue
    }
    errors[field as SetupField] = message
    step = Math.min(step, s)
  }
  return { errors, step: step === Infinity ? REVIEW_STEP : step, unplaced }
}

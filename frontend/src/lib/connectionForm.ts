// The connection form: generated from a provider's spec (GET /connectors).
// Its values, which fields are shown and required, the client-side checks,
// the PUT body, where the server's field errors go, and what to do after a
// failed test. The server has the final word.
import type {
  Connection,
  ConnectionInput,
  ConnectorField,
  ConnectorSpec,
  SecretState,
} from '../api/connection'

export const DEMO_PROVIDER = 'demo'

/** The picker's order: the common tools first, the demo estate last; others in between. */
const ORDER = ['uipath-cloud', 'uipath-onprem', 'blue-prism', 'automation-anywhere', 'power-automate', 'robomotion']

/** providerLabel names a provider in the picker and the status: the demo says it needs nothing. */
export function providerLabel(spec: Pick<ConnectorSpec, 'name' | 'label'>): string {
  return spec.name === DEMO_PROVIDER ? 'Demo estate (no credentials)' : spec.label
}

/** vendorName is who "Contacting …" names: the vendor, or the provider's label. */
export function vendorName(spec: Pick<ConnectorSpec, 'name' | 'label' | 'vendor'> | undefined): string {
  if (!spec) return 'the provider'
  if (spec.name === DEMO_PROVIDER) return 'the demo estate'
  return spec.vendor?.trim() || spec.label
}

/** sortSpecs orders the providers for the picker, keeping each vendor's together. */
export function sortSpecs(specs: ConnectorSpec[]): ConnectorSpec[] {
  const rank = (s: ConnectorSpec) => {
    if (s.name === DEMO_PROVIDER) return ORDER.length + 1
    const i = ORDER.indexOf(s.name)
    return i >= 0 ? i : ORDER.length
  }
  const vendorRank = new Map<string, number>()
  for (const s of specs) {
    const r = rank(s)
    const v = s.vendor || s.name
    vendorRank.set(v, Math.min(vendorRank.get(v) ?? Infinity, r))
  }
  return [...specs].sort((a, b) => {
    const va = vendorRank.get(a.vendor || a.name) ?? 0
    const vb = vendorRank.get(b.vendor || b.name) ?? 0
    if (va !== vb) return va - vb
    const ra = rank(a)
    const rb = rank(b)
    if (ra !== rb) return ra - rb
    return a.label.localeCompare(b.label)
  })
}

/** holds: every one of the conditions' settings has its value. */
function holds(cond: Record<string, string> | undefined, settings: Record<string, string>): boolean {
  return Object.entries(cond ?? {}).every(([k, want]) => (settings[k] ?? '') === want)
}

/** isShown: the field is drawn (and sent) for these settings. */
export function isShown(f: ConnectorField, settings: Record<string, string>): boolean {
  return holds(f.shown_when, settings)
}

/** isRequired: required_when, when given, decides alone (as the server does); otherwise `required`. */
export function isRequired(f: ConnectorField, settings: Record<string, string>): boolean {
  if (f.required_when && Object.keys(f.required_when).length > 0) return holds(f.required_when, settings)
  return f.required
}

/** defaultSettings: a new connection's settings, every default prefilled (a bool without one is off). */
export function defaultSettings(spec: ConnectorSpec): Record<string, string> {
  const out: Record<string, string> = {}
  for (const f of spec.fields) {
    if (f.secret) continue
    out[f.key] = f.default ?? (f.kind === 'bool' ? 'false' : '')
  }
  return out
}

/** settingsFor: the saved settings when the connection uses this provider, else the defaults. */
export function settingsFor(spec: ConnectorSpec, c: Connection | null): Record<string, string> {
  const out = defaultSettings(spec)
  if (c && c.provider === spec.name) {
    for (const f of spec.fields) {
      if (!f.secret && typeof c.settings?.[f.key] === 'string' && c.settings[f.key] !== '') out[f.key] = c.settings[f.key]
    }
  }
  return out
}

/** The form's values. Secrets hold only what was typed: stored ones are never read back. */
export interface ConnectionValues {
  provider: string | null
  settings: Record<string, string>
  /** new secret values, by key; absent or "": keep the stored one */
  secrets: Record<string, string>
  /** stored secrets whose input is open to replace them */
  replacing: string[]
}

export function connectionValues(c: Connection, specs: ConnectorSpec[]): ConnectionValues {
  const spec = specs.find((s) => s.name === c.provider)
  return {
    provider: c.provider,
    settings: spec ? settingsFor(spec, c) : { ...(c.settings ?? {}) },
    secrets: {},
    replacing: [],
  }
}

/** withProvider switches the form to a provider: its saved settings when it is the saved one, else its defaults. */
export function withProvider(spec: ConnectorSpec, c: Connection | null): ConnectionValues {
  return { provider: spec.name, settings: settingsFor(spec, c), secrets: {}, replacing: [] }
}

/**
 * storedSecret is the stored secret the form keeps when nothing new is
 * typed: only while the provider is the saved one (changing it drops them).
 */
export function storedSecret(c: Connection | null, provider: string | null, key: string): SecretState | null {
  if (!c || !provider || c.provider !== provider) return null
  const s = c.secrets?.[key]
  if (s) return s
  if (c.secrets_set?.includes(key)) return { configured: true, updated_at: '', needs_reentry: false }
  return null
}

/**
 * How a secret field is drawn:
 * - stored: "Configured · updated …" and a Replace button;
 * - replace: an empty input; left empty, the stored secret stays;
 * - reentry: the stored secret cannot be read: an empty input, required;
 * - new: an empty input.
 */
export type SecretMode = 'stored' | 'replace' | 'reentry' | 'new'

export function secretMode(c: Connection | null, v: ConnectionValues, key: string): SecretMode {
  const s = storedSecret(c, v.provider, key)
  if (!s) return 'new'
  if (s.needs_reentry) return 'reentry'
  return v.replacing.includes(key) ? 'replace' : 'stored'
}

/** secretRequired: a value must be typed before saving. */
export function secretRequired(f: ConnectorField, c: Connection | null, v: ConnectionValues): boolean {
  const mode = secretMode(c, v, f.key)
  if (mode === 'reentry') return true
  if (mode === 'stored' || mode === 'replace') return false
  return isRequired(f, v.settings)
}

export interface ConnectionErrors {
  provider?: string
  /** by setting key */
  settings: Record<string, string>
  /** by secret key */
  secrets: Record<string, string>
}

export const noConnectionErrors = (): ConnectionErrors => ({ settings: {}, secrets: {} })

export function hasConnectionErrors(e: ConnectionErrors): boolean {
  return !!e.provider || Object.keys(e.settings).length > 0 || Object.keys(e.secrets).length > 0
}

/** validUrl accepts absolute http(s) addresses without credentials, query or fragment (as the server does). */
export function validUrl(raw: string): boolean {
  let u: URL
  try {
    u = new URL(raw.trim())
  } catch {
    return false
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return false
  if (!u.host || u.username || u.password || u.search || u.hash) return false
  return true
}

/** urlProblem says what is wrong with an address; null when it is fine. */
function urlProblem(raw: string): string | null {
  const t = raw.trim()
  if (validUrl(t)) return null
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(t) && !/^https?:\/\//i.test(t)) return 'Must start with https:// (or http:// for a local server).'
  if (/[?#]/.test(t) && /^https?:\/\//i.test(t)) return 'Must not contain ? or #.'
  return 'Enter a full address such as https://example.com.'
}

export function validateConnection(spec: ConnectorSpec, v: ConnectionValues, c: Connection | null): ConnectionErrors {
  const e = noConnectionErrors()
  for (const f of spec.fields) {
    if (!isShown(f, v.settings)) continue
    if (f.secret) {
      const typed = v.secrets[f.key] ?? ''
      if (typed !== '') continue
      if (secretMode(c, v, f.key) === 'reentry') e.secrets[f.key] = `Re-enter the ${f.label.toLowerCase()}: the stored one can’t be read.`
      else if (secretRequired(f, c, v)) e.secrets[f.key] = `${f.label} is required.`
      continue
    }
    const value = (v.settings[f.key] ?? '').trim()
    if (value === '') {
      if (isRequired(f, v.settings) && f.kind !== 'bool') e.settings[f.key] = `${f.label} is required.`
      continue
    }
    if (f.kind === 'url') {
      const p = urlProblem(value)
      if (p) e.settings[f.key] = p
    } else if (f.kind === 'select' && f.options && f.options.length > 0 && !f.options.includes(value)) {
      e.settings[f.key] = `Choose one of: ${f.options.join(', ')}.`
    } else if (f.kind === 'pem' && !value.includes('-----BEGIN')) {
      e.settings[f.key] = 'Paste the certificates in PEM form, starting with -----BEGIN CERTIFICATE-----.'
    }
  }
  return e
}

/**
 * connectionInput is the PUT body: the shown settings (trimmed), and only
 * the secrets typed now — a stored secret left alone is kept by the server.
 */
export function connectionInput(spec: ConnectorSpec, v: ConnectionValues): ConnectionInput {
  const settings: Record<string, string> = {}
  const secrets: Record<string, string> = {}
  for (const f of spec.fields) {
    if (!isShown(f, v.settings)) continue
    if (f.secret) {
      const typed = v.secrets[f.key] ?? ''
      if (typed !== '') secrets[f.key] = typed
    } else {
      settings[f.key] = (v.settings[f.key] ?? '').trim()
    }
  }
  return { provider: spec.name, settings, secrets }
}

/** connectionDirty: whether saving would change anything. */
export function connectionDirty(v: ConnectionValues, base: ConnectionValues): boolean {
  if (v.provider !== base.provider) return true
  if (Object.values(v.secrets).some((s) => s !== '')) return true
  const keys = new Set([...Object.keys(v.settings), ...Object.keys(base.settings)])
  for (const k of keys) if ((v.settings[k] ?? '') !== (base.settings[k] ?? '')) return true
  return false
}

/**
 * placeConnectionErrors puts the server's field errors on the form:
 * "provider", "settings.<key>", "secrets.<key>" (a bare key of the spec
 * too). What fits nowhere is returned to be shown above the form.
 */
export function placeConnectionErrors(
  fieldErrors: Record<string, string>,
  spec: ConnectorSpec | undefined,
): { errors: ConnectionErrors; unplaced: string[] } {
  const e = noConnectionErrors()
  const unplaced: string[] = []
  const fieldOf = (key: string) => spec?.fields.find((f) => f.key === key)
  for (const [name, msg] of Object.entries(fieldErrors)) {
    let m: RegExpExecArray | null
    if (name === 'provider') {
      e.provider = msg
    } else if ((m = /^(settings|secrets)\.(.+)$/.exec(name))) {
      const f = fieldOf(m[2])
      if (f && f.secret === (m[1] === 'secrets')) (f.secret ? e.secrets : e.settings)[f.key] = msg
      else unplaced.push(msg)
    } else if (fieldOf(name)) {
      const f = fieldOf(name)!
      ;(f.secret ? e.secrets : e.settings)[f.key] = msg
    } else {
      unplaced.push(msg)
    }
  }
  return { errors: e, unplaced }
}

/** fieldId is the id of a field's input (the form's and the rotation form's differ by prefix). */
export function fieldId(key: string, prefix = 'connection'): string {
  return `${prefix}-${key.replace(/[^A-Za-z0-9_-]/g, '-')}`
}

/** firstErrorKey: the first field with an error, in the form's order; 'provider' for the picker. */
export function firstErrorKey(e: ConnectionErrors, spec: ConnectorSpec | undefined): string | null {
  if (e.provider) return 'provider'
  for (const f of spec?.fields ?? []) {
    if ((f.secret ? e.secrets : e.settings)[f.key]) return f.key
  }
  return null
}

/** rotationFields are the secrets a rotation may replace: the current provider's, as shown for its settings. */
export function rotationFields(spec: ConnectorSpec | undefined, c: Connection): ConnectorField[] {
  if (spec) return spec.fields.filter((f) => f.secret && isShown(f, settingsFor(spec, c)))
  // A provider this version does not describe: what is stored, by key.
  const keys = new Set([...(c.secrets_set ?? []), ...Object.keys(c.secrets ?? {})])
  return [...keys].map((key) => ({
    key,
    label: humanKey(key),
    kind: 'text',
    secret: true,
    required: false,
    help: '',
  }))
}

/** humanKey: "client_secret" → "Client secret". */
export function humanKey(key: string): string {
  const s = key.replace(/[_-]+/g, ' ').trim()
  return s.charAt(0).toUpperCase() + s.slice(1)
}

// --- connection tests -------------------------------------------------------------

const TEST_TITLES: Record<string, string> = {
  auth_failed: 'The vendor refused the credentials',
  forbidden: 'The credentials lack a permission',
  not_found: 'The vendor could not find what the settings point to',
  rate_limited: 'The vendor is limiting requests',
  vendor_unavailable: 'The vendor could not be reached',
  invalid_request: 'The vendor rejected the request',
  config_invalid: 'The connection settings are incomplete',
  secret_needs_reentry: 'A stored secret must be entered again',
}

/** testTitle heads a failed test's result. */
export function testTitle(code: string | undefined): string {
  return (code && TEST_TITLES[code]) || 'The connection test failed'
}

/** testAdvice says, in plain words, what to do after a failed test. */
export function testAdvice(code: string | undefined): string {
  switch (code) {
    case 'auth_failed':
      return 'Check the client ID and secret; re-enter the secret if it was rotated in the vendor’s console.'
    case 'forbidden':
      return 'The credentials work, but their app or user lacks a permission or scope. Grant the access the provider’s help describes, then test again.'
    case 'not_found':
      return 'Check the URL and the organisation, tenant or folder names: they must match the vendor’s console exactly.'
    case 'rate_limited':
      return 'Too many requests reached the vendor. Wait a few minutes, then test again.'
    case 'vendor_unavailable':
      return 'Check the URL, and that the vendor’s service is up and reachable from Bureau’s server (firewall, proxy), then test again.'
    case 'invalid_request':
      return 'The vendor did not accept a value. Check the settings for typos or unsupported options, then test again.'
    case 'config_invalid':
      return 'A required setting is missing or not valid. Complete the settings, save, then test again.'
    case 'secret_needs_reentry':
      return 'A stored secret can’t be read any more (it was stored for another account or under an old key). Enter it again, save, then test again.'
    default:
      return 'Check the settings, save, then test again.'
  }
}

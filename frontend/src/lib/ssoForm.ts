// The single sign-on form: its values, client-side rules, the PUT body, and
// where the server's field errors go. The server has the final word.
import type { StaffRole } from '../api/self'
import type { SsoInput, SsoSettings, SsoTestResult } from '../api/tenantSettings'
import { ssoLoginUrl } from './lastTenant'

export const ENTRA_ISSUER_EXAMPLE = 'https://login.microsoftonline.com/<tenant id>/v2.0'

/** One line of the role mapping: a group object id or app role value, and the staff role it gives. */
export interface RoleRow {
  /** a stable key for React; not sent */
  id: string
  value: string
  role: StaffRole
}

export type SecretAction = 'keep' | 'remove'

export interface SsoValues {
  issuer: string
  client_id: string
  /** a new secret; empty: keep (or remove, below) the stored one */
  client_secret: string
  secret_action: SecretAction
  allowed_domains: string[]
  groups_claim: string
  group_roles: RoleRow[]
  entra_tenant_ids: string[]
}

let rowSeq = 0
export function newRow(value = '', role: StaffRole = 'consultant'): RoleRow {
  rowSeq += 1
  return { id: `row-${rowSeq}`, value, role }
}

export function ssoValues(s: SsoSettings): SsoValues {
  return {
    issuer: s.issuer ?? '',
    client_id: s.client_id ?? '',
    client_secret: '',
    secret_action: 'keep',
    allowed_domains: [...(s.allowed_domains ?? [])],
    groups_claim: s.groups_claim || 'groups',
    group_roles: Object.entries(s.group_roles ?? {}).map(([value, role]) => newRow(value, role)),
    entra_tenant_ids: [...(s.entra_tenant_ids ?? [])],
  }
}

/**
 * isMultiTenantIssuer: Entra's shared endpoints (organizations, common),
 * whose tokens each carry their customer's own tenant: Bureau then needs the
 * list of Entra tenants allowed in.
 */
export function isMultiTenantIssuer(issuer: string): boolean {
  const i = issuer.trim().replace(/\/+$/, '').toLowerCase()
  if (!i.startsWith('https://login.microsoftonline.com/')) return false
  return /\/(organizations|common|\{tenantid\})\/v2\.0$/.test(i)
}

/** normalizeDomain cleans what people type or paste: "@Consultancy.Example " → "consultancy.example". */
export function normalizeDomain(d: string): string {
  return d.trim().replace(/^@/, '').trim().toLowerCase()
}

const DOMAIN = /^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export function validIssuer(issuer: string): boolean {
  const t = issuer.trim()
  let u: URL
  try {
    u = new URL(t)
  } catch {
    return false
  }
  if (u.search || u.hash || u.username || u.password) return false
  if (u.protocol === 'https:') return true
  return u.protocol === 'http:' && (u.hostname === 'localhost' || u.hostname === '127.0.0.1' || u.hostname === '[::1]')
}

/** The form's errors: by field, with the role-mapping rows' errors by row id. */
export interface SsoErrors {
  issuer?: string
  client_id?: string
  client_secret?: string
  allowed_domains?: string
  groups_claim?: string
  group_roles?: string
  entra_tenant_ids?: string
  /** row id → error on its value */
  rowValue: Record<string, string>
  /** row id → error on its role */
  rowRole: Record<string, string>
}

export const noErrors = (): SsoErrors => ({ rowValue: {}, rowRole: {} })

export function hasErrors(e: SsoErrors): boolean {
  return (
    Object.entries(e).some(([k, v]) => k !== 'rowValue' && k !== 'rowRole' && !!v) ||
    Object.keys(e.rowValue).length > 0 ||
    Object.keys(e.rowRole).length > 0
  )
}

const quoted = (s: string) => `“${s}”`

export function validateSso(v: SsoValues): SsoErrors {
  const e = noErrors()
  if (v.issuer.trim() === '') e.issuer = 'Enter the provider’s issuer URL.'
  else if (!validIssuer(v.issuer)) e.issuer = `Enter an https URL without a query, e.g. ${ENTRA_ISSUER_EXAMPLE}.`
  if (v.client_id.trim() === '') e.client_id = 'Enter the application (client) id the provider gave you.'
  const badDomain = v.allowed_domains.find((d) => !DOMAIN.test(normalizeDomain(d)))
  if (badDomain !== undefined) e.allowed_domains = `${quoted(badDomain)} is not a domain. Enter domains like consultancy.example.`
  const claim = v.groups_claim.trim()
  if (claim !== '' && !/^[A-Za-z0-9_:/.-]{1,100}$/.test(claim)) {
    e.groups_claim = 'Name the claim that carries groups or app roles, e.g. groups or roles.'
  }
  const seen = new Map<string, string>()
  for (const r of v.group_roles) {
    const k = r.value.trim()
    if (k === '') e.rowValue[r.id] = 'Enter a group object id or app role value, or remove this row.'
    else if (k.length > 200) e.rowValue[r.id] = 'Use at most 200 characters.'
    else if (seen.has(k)) e.rowValue[r.id] = 'This value is mapped twice: keep one row.'
    else seen.set(k, r.id)
  }
  if (isMultiTenantIssuer(v.issuer)) {
    const bad = v.entra_tenant_ids.find((t) => !GUID.test(t.trim()))
    if (bad !== undefined) e.entra_tenant_ids = `${quoted(bad)} is not a tenant id. An Entra tenant id is a GUID.`
    else if (v.entra_tenant_ids.length === 0) {
      e.entra_tenant_ids = 'A multi-tenant issuer needs the ids of the Entra tenants allowed to sign in.'
    }
  }
  return e
}

/**
 * ssoInput is the PUT body. The client secret is sent only when it
 * changes: a new one, or "" to remove the stored one.
 */
export function ssoInput(v: SsoValues): SsoInput {
  const input: SsoInput = {
    issuer: v.issuer.trim().replace(/\/+$/, ''),
    client_id: v.client_id.trim(),
    allowed_domains: v.allowed_domains.map(normalizeDomain),
    groups_claim: v.groups_claim.trim() || 'groups',
    group_roles: Object.fromEntries(v.group_roles.map((r) => [r.value.trim(), r.role])),
    entra_tenant_ids: isMultiTenantIssuer(v.issuer) ? v.entra_tenant_ids.map((t) => t.trim().toLowerCase()) : [],
  }
  if (v.client_secret !== '') input.client_secret = v.client_secret
  else if (v.secret_action === 'remove') input.client_secret = ''
  return input
}

/** ssoDirty: whether saving would change anything. */
export function ssoDirty(v: SsoValues, saved: SsoValues): boolean {
  const rows = (x: SsoValues) => x.group_roles.map((r) => [r.value, r.role])
  const { client_secret: _s, secret_action: _a, group_roles: _g, ...rest } = v
  const { client_secret: _s2, secret_action: _a2, group_roles: _g2, ...savedRest } = saved
  return (
    v.client_secret !== '' ||
    v.secret_action === 'remove' ||
    JSON.stringify(rest) !== JSON.stringify(savedRest) ||
    JSON.stringify(rows(v)) !== JSON.stringify(rows(saved))
  )
}

/**
 * placeSsoErrors puts the server's field errors on the form: allowed_domains[i]
 * and entra_tenant_ids[i] on their list (naming the value), group_roles.<value>
 * on that value's row. What fits nowhere is returned as one message.
 */
export function placeSsoErrors(
  fieldErrors: Record<string, string>,
  fieldCodes: Record<string, string>,
  sent: SsoInput,
  v: SsoValues,
): { errors: SsoErrors; unplaced: string[] } {
  const e = noErrors()
  const unplaced: string[] = []
  const listError = (list: string[], key: 'allowed_domains' | 'entra_tenant_ids', i: number, msg: string) => {
    const value = list[i]
    const text = value !== undefined ? `${quoted(value)}: ${msg}` : msg
    e[key] = e[key] ? `${e[key]} ${text}` : text
  }
  for (const [field, msg] of Object.entries(fieldErrors)) {
    let m: RegExpExecArray | null
    if (fieldCodes[field] === 'tenant_ids_required') {
      e.entra_tenant_ids = msg
    } else if (['issuer', 'client_id', 'client_secret', 'groups_claim'].includes(field)) {
      e[field as 'issuer'] = msg
    } else if (field === 'allowed_domains' || field === 'entra_tenant_ids') {
      e[field] = msg
    } else if ((m = /^(allowed_domains|entra_tenant_ids)\[(\d+)\]$/.exec(field))) {
      const key = m[1] as 'allowed_domains' | 'entra_tenant_ids'
      listError(sent[key], key, parseInt(m[2], 10), msg)
    } else if (field.startsWith('group_roles.')) {
      const value = field.slice('group_roles.'.length)
      const row = v.group_roles.find((r) => r.value.trim() === value)
      if (!row) unplaced.push(msg)
      else if (fieldCodes[field] === 'role_invalid') e.rowRole[row.id] = msg
      else e.rowValue[row.id] = msg
    } else if (field === 'group_roles') {
      e.group_roles = msg
    } else {
      unplaced.push(msg)
    }
  }
  return { errors: e, unplaced }
}

/** The first field with an error, in the form's order: its input's id, to focus it. */
export function firstErrorId(e: SsoErrors, v: SsoValues): string | null {
  if (e.issuer) return 'sso-issuer'
  if (e.entra_tenant_ids) return 'sso-entra-tenant-ids'
  if (e.client_id) return 'sso-client-id'
  if (e.client_secret) return 'sso-client-secret'
  if (e.allowed_domains) return 'sso-allowed-domains'
  if (e.groups_claim) return 'sso-groups-claim'
  for (const r of v.group_roles) {
    if (e.rowValue[r.id]) return `sso-role-value-${r.id}`
    if (e.rowRole[r.id]) return `sso-role-role-${r.id}`
  }
  return null
}

// --- test sign-in ------------------------------------------------------------

/** ssoTestUrl is where the browser goes for a test sign-in: the provider, then back to /settings/sso?test=<id>. */
export function ssoTestUrl(slug: string): string {
  return `${ssoLoginUrl(slug)}?test=1`
}

/** mappingOf: what the form's rows map, value → role (blank values left out; the first row of a value wins). */
export function mappingOf(rows: RoleRow[]): Record<string, StaffRole> {
  const out: Record<string, StaffRole> = {}
  for (const r of rows) {
    const k = r.value.trim()
    if (k !== '' && !(k in out)) out[k] = r.role
  }
  return out
}

/**
 * withMapping maps value to role: a new row at the end, or the role of the
 * row already holding the value. Returns the rows and that row's id.
 */
export function withMapping(rows: RoleRow[], value: string, role: StaffRole): { rows: RoleRow[]; id: string } {
  const k = value.trim()
  const existing = rows.find((r) => r.value.trim() === k)
  if (existing) return { rows: rows.map((r) => (r.id === existing.id ? { ...r, role } : r)), id: existing.id }
  const row = newRow(k, role)
  // A blank row someone added and never filled is replaced rather than left to fail validation.
  const blank = rows.findIndex((r) => r.value.trim() === '')
  if (blank >= 0) {
    const next = [...rows]
    next[blank] = { ...row, id: rows[blank].id }
    return { rows: next, id: rows[blank].id }
  }
  return { rows: [...rows, row], id: row.id }
}

/**
 * testRefusal: why a test that mapped to a role would still be refused at a
 * real sign-in (the test does not check the email): null when it would not.
 */
export function testRefusal(r: SsoTestResult, s: Pick<SsoSettings, 'allowed_domains'>): string | null {
  if (!r.ok) return null
  const email = (r.email ?? '').trim().toLowerCase()
  const at = email.lastIndexOf('@')
  if (at < 1) {
    return 'The provider sent no email address, so a real sign-in would be refused. Add the email claim to the ID token (in Entra: Token configuration → Add optional claim → ID → email).'
  }
  const domain = email.slice(at + 1)
  const allowed = s.allowed_domains ?? []
  if (allowed.length > 0 && !allowed.includes(domain)) {
    return `${quoted(domain)} is not one of the allowed email domains, so a real sign-in would be refused. Add it under “Allowed email domains” below, or sign in with an address of an allowed domain.`
  }
  return null
}

/**
 * ssoTestAdvice says what to do after a failed test, by its code. groupsClaim
 * is the claim Bureau reads groups from; received, how many groups came.
 */
export function ssoTestAdvice(code: string | undefined, groupsClaim: string, received: number): string {
  switch (code) {
    case 'sso_no_role':
      return received > 0
        ? 'Map one of these groups below to a staff role, save, then test again.'
        : `The provider sent nothing in the ${quoted(groupsClaim || 'groups')} claim. In Entra, add a groups claim under Token configuration (or assign app roles and use the claim roles), then test again.`
    case 'sso_exchange_failed':
      return 'Check the application (client) id and the client secret: enter the secret’s Value, not its Secret ID, and make sure it has not expired. Save, then test again.'
    case 'sso_token_invalid':
      return 'Check the issuer URL and the application (client) id: the token must be issued by that issuer for that application. Save, then test again.'
    case 'sso_group_overage':
      return 'The person belongs to too many groups for the token to list them. Use app roles instead (set the groups claim to roles and map the role values), or in Entra let the groups claim send only the groups assigned to the application.'
    case 'sso_tenant_not_allowed':
      return 'The person’s Entra directory is not in the list of Entra tenant ids. Add its directory (tenant) id below — it is the tid claim — if it should be allowed in.'
    case 'sso_provider_unreachable':
      return 'Check the issuer URL: Bureau reads the provider’s configuration from it. Save, then test again.'
    default:
      return 'Check the settings below, save, then test again.'
  }
}

// The firm settings form: its values, client-side rules and the PATCH body.
// The server has the final word; these give immediate feedback.
import type { FirmPatch, FirmSettings } from '../api/tenantSettings'
import { validateContactEmail } from './accountForm'
import { validateName } from './setupForm'

/** The largest logo the server keeps (decoded bytes). */
export const LOGO_MAX_BYTES = 200 * 1024

export interface FirmValues {
  name: string
  display_name: string
  color: string
  logo: string
  support_email: string
}

export type FirmField = keyof FirmValues

export const FIRM_FIELDS: readonly FirmField[] = ['name', 'display_name', 'color', 'logo', 'support_email']

/** The server's field names for the form's fields. */
export const SERVER_FIELD: Record<string, FirmField> = {
  name: 'name',
  'branding.display_name': 'display_name',
  'branding.color': 'color',
  'branding.logo': 'logo',
  'branding.support_email': 'support_email',
}

export function firmValues(t: FirmSettings): FirmValues {
  return {
    name: t.name,
    display_name: t.branding?.display_name ?? '',
    color: t.branding?.color ?? '',
    logo: t.branding?.logo ?? '',
    support_email: t.branding?.support_email ?? '',
  }
}

export function validateColor(color: string): string | null {
  const c = color.trim()
  if (c === '') return null
  if (!/^#[0-9a-f]{6}$/i.test(c)) return 'Use a colour like #1f4e79: a # and six hexadecimal digits.'
  return null
}

export function validateFirm(v: FirmValues): Partial<Record<FirmField, string>> {
  const errs: Partial<Record<FirmField, string>> = {}
  const put = (f: FirmField, m: string | null) => {
    if (m) errs[f] = m
  }
  put('name', validateName(v.name, 'your firm’s name'))
  if (v.display_name.trim() !== '') put('display_name', validateName(v.display_name, 'a display name'))
  put('color', validateColor(v.color))
  put('support_email', validateContactEmail(v.support_email))
  return errs
}

/**
 * firmPatch lists what differs from the saved settings. The server replaces
 * the branding as a whole, so any change to it sends all of it.
 */
export function firmPatch(v: FirmValues, saved: FirmValues): FirmPatch {
  const patch: FirmPatch = {}
  if (v.name.trim() !== saved.name) patch.name = v.name.trim()
  const branding = {
    display_name: v.display_name.trim(),
    color: v.color.trim().toLowerCase(),
    logo: v.logo,
    support_email: v.support_email.trim(),
  }
  if (
    branding.display_name !== saved.display_name ||
    branding.color !== saved.color.toLowerCase() ||
    branding.logo !== saved.logo ||
    branding.support_email !== saved.support_email
  ) {
    patch.branding = branding
  }
  return patch
}

/** readLogo turns a chosen file into the data: URI the server stores, or says why it cannot. */
export async function readLogo(file: File): Promise<{ logo: string } | { error: string }> {
  const type = file.type || (/\.svg$/i.test(file.name) ? 'image/svg+xml' : '')
  if (type !== 'image/png' && type !== 'image/svg+xml') return { error: 'Choose a PNG or SVG image.' }
  if (file.size > LOGO_MAX_BYTES) return { error: 'Use an image of at most 200 KB.' }
  const buf = new Uint8Array(await file.arrayBuffer())
  let bin = ''
  for (let i = 0; i < buf.length; i += 0x8000) bin += String.fromCharCode(...buf.subarray(i, i + 0x8000))
  return { logo: `data:${type};base64,${btoa(bin)}` }
}

/** logoBytes says how large a data: URI's image is, for people to see. */
export function logoBytes(logo: string): number | null {
  const m = /^data:[^;,]+;base64,(.*)$/.exec(logo)
  if (!m) return null
  const b64 = m[1]
  const pad = b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0
  return Math.floor((b64.length * 3) / 4) - pad
}

// Pure helpers for the people pages: addresses typed into the invite dialogs
// (account members and firm staff), the server's per-item errors, the CSV
// template and the members list. Role names and explanations: lib/roles.

import { isApiError, type FieldProblem } from '../api/client'
import type { Member, MemberStatus } from '../api/people'

const EMAIL_MAX = 254

/** looksLikeEmail is the client-side shape check; the server has the last word. */
export function looksLikeEmail(s: string): boolean {
  if (s.length > EMAIL_MAX) return false
  return /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:".]{2,}$/.test(s) && !s.includes('..')
}

/**
 * parseAddresses reads what was typed or pasted: addresses separated by
 * commas, semicolons, spaces or new lines. Mail-client lists such as
 * `Ada Lovelace <ada@example.com>; "Hopper, Grace" <grace@example.com>` keep
 * only the addresses; `mailto:` prefixes go too. Duplicates (case-insensitive)
 * are dropped, order kept. What is left may still be a typo: see looksLikeEmail.
 */
export function parseAddresses(text: string): string[] {
  const withoutNames = text
    .replace(/(?:"[^"]*"|[^,;<>\n"]*)\s*<([^<>\s]+)>/g, ' $1 ')
    // A quoted name left without an address ("Hopper, Grace" grace@x.io) is not an address.
    .replace(/"[^"]*"/g, ' ')
  const seen = new Set<string>()
  const out: string[] = []
  for (const raw of withoutNames.split(/[\s,;]+/)) {
    const a = raw.replace(/^mailto:/i, '').replace(/^[<("']+|[>)"'.]+$/g, '')
    if (a === '') continue
    const key = a.toLowerCase()
    if (seen.has(key)) continue
    seen.add(key)
    out.push(a)
  }
  return out
}

/** The parts of a per-item field name: `invites[2].email` → {index: 2, field: 'email'}. */
export function itemField(field: string | undefined, list = 'invites'): { index: number; field: string } | null {
  if (!field) return null
  const m = new RegExp(`^${list}\\[(\\d+)\\](?:\\.(.+))?$`).exec(field)
  if (!m) return null
  return { index: Number(m[1]), field: m[2] ?? '' }
}

export interface AddressProblem {
  /** the address's position in the list that was checked or sent */
  index: number
  email: string
  message: string
}

/**
 * checkAddresses finds what the server would refuse anyway: addresses that
 * are not shaped like one. (parseAddresses has already dropped repeats.)
 */
export function checkAddresses(addresses: string[]): AddressProblem[] {
  const problems: AddressProblem[] = []
  addresses.forEach((email, index) => {
    if (!looksLikeEmail(email)) problems.push({ index, email, message: 'This is not an email address.' })
  })
  return problems
}

/**
 * serverAddressProblems puts a refused invitation request's field errors
 * (`invites[2].email`: "already invited") on the addresses that were sent,
 * one message per address (the email's own message first), in list order.
 */
export function serverAddressProblems(e: unknown, sent: string[]): AddressProblem[] {
  if (!isApiError(e)) return []
  const byIndex = new Map<number, string>()
  for (const [field, message] of Object.entries(e.fieldErrors)) {
    const f = itemField(field)
    if (!f) continue
    if (!byIndex.has(f.index) || f.field === 'email') byIndex.set(f.index, message)
  }
  return [...byIndex.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([index, message]) => ({ index, email: sent[index] ?? `Address ${index + 1}`, message }))
}

export interface InviteProblems {
  /** lower-cased address → its messages */
  byAddress: Map<string, string[]>
  /** problems with the role or groups (the same for every address) */
  role: string | null
  groups: string | null
  /** what belongs to no address */
  other: string[]
}

/**
 * mapInviteErrors puts the server's errors back on the addresses that were
 * sent: `invites[i].email` is the i-th address of `sent`.
 */
export function mapInviteErrors(errors: FieldProblem[], sent: string[]): InviteProblems {
  const out: InviteProblems = { byAddress: new Map(), role: null, groups: null, other: [] }
  for (const e of errors) {
    const message = e.message || 'This value is not valid.'
    const f = itemField(e.field)
    if (f && f.index >= 0 && f.index < sent.length) {
      if (f.field === 'role') {
        out.role ??= message
        continue
      }
      if (f.field === 'groups') {
        out.groups ??= message
        continue
      }
      const key = sent[f.index].toLowerCase()
      const list = out.byAddress.get(key) ?? []
      if (!list.includes(message)) list.push(message)
      out.byAddress.set(key, list)
      continue
    }
    if (!out.other.includes(message)) out.other.push(message)
  }
  return out
}

/** csvCell quotes a CSV cell when it needs it (RFC 4180). */
export function csvCell(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

/** csvTemplate is the file "Download template" gives: the header and two example rows. */
export function csvTemplate(domain = 'client.example'): string {
  const rows = [
    ['email', 'group membership'],
    [`ada.lovelace@${domain}`, 'Finance'],
    [`grace.hopper@${domain}`, 'Finance, Operations'],
  ]
  return rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n'
}

export interface CsvProblem {
  line: number | null
  field: string
  message: string
}

/** csvProblems orders a csv_invalid answer's errors by line (file-wide ones first). */
export function csvProblems(errors: FieldProblem[]): CsvProblem[] {
  return errors
    .map((e) => ({
      line: typeof e.line === 'number' && e.line > 0 ? e.line : null,
      field: e.field || 'file',
      message: e.message || 'This row is not valid.',
    }))
    .sort((a, b) => (a.line ?? 0) - (b.line ?? 0))
}

/** csvSummary says how many rows have problems, and that nothing was written. */
export function csvSummary(problems: CsvProblem[]): string {
  const rows = new Set(problems.filter((p) => p.line !== null).map((p) => p.line)).size
  if (rows === 0) return 'The file has problems; nothing was imported. Fix it and upload again.'
  return `${rows === 1 ? '1 row has' : `${rows.toLocaleString()} rows have`} problems; nothing was imported. Fix them and upload again.`
}

/** filterMembers keeps the members whose name or email contains the search text. */
export function filterMembers(items: Member[], query: string): Member[] {
  const q = query.trim().toLowerCase()
  if (!q) return items
  return items.filter((m) => m.name.toLowerCase().includes(q) || m.email.toLowerCase().includes(q))
}

export const STATUS_LABELS: Record<MemberStatus, string> = {
  active: 'Active',
  pending: 'Pending',
  expired: 'Expired',
}

/** displayName is how a member is named in messages: their name, or their email while pending. */
export function displayName(m: { name: string; email: string }): string {
  return m.name.trim() || m.email
}

// Invitation forms take a pasted list of addresses. The server checks each
// one and answers per item (field "invites[i].email"); these helpers split
// the list and put each answer back on its address.

import { isApiError } from '../api/client'

/** The most addresses one invitation request may carry. */
export const MAX_INVITES = 20

const EMAIL = /^[^\s@<>,;"]+@[^\s@<>,;"]+\.[^\s@<>,;"]+$/

/**
 * parseAddresses splits pasted text on commas, semicolons, spaces and new
 * lines, and takes "Name <address>" forms apart. Order is kept; nothing is
 * dropped, so duplicates and typos can be reported.
 */
export function parseAddresses(text: string): string[] {
  const out: string[] = []
  // "Ada Lovelace <ada@x.io>" → "ada@x.io" (names may contain spaces).
  const withoutNames = text.replace(/"[^"]*"|[^,;\n<>]*<([^<>]+)>/g, (m, inner: string | undefined) => (inner ? ` ${inner} ` : m.startsWith('"') ? ' ' : m))
  for (const part of withoutNames.split(/[\s,;]+/)) {
    const p = part.trim().replace(/^mailto:/i, '')
    if (p !== '') out.push(p)
  }
  return out
}

export interface AddressProblem {
  index: number
  email: string
  message: string
}

/** checkAddresses finds what the server would refuse anyway: bad shapes and repeats. */
export function checkAddresses(addresses: string[]): AddressProblem[] {
  const seen = new Set<string>()
  const problems: AddressProblem[] = []
  addresses.forEach((email, index) => {
    const key = email.toLowerCase()
    if (!EMAIL.test(email)) problems.push({ index, email, message: 'This is not an email address.' })
    else if (seen.has(key)) problems.push({ index, email, message: 'This address is in the list twice.' })
    seen.add(key)
  })
  return problems
}

const ITEM_FIELD = /^invites\[(\d+)\]\.(\w+)$/

/**
 * serverAddressProblems maps a refused invitation request's field errors
 * ("invites[2].email": "already invited") onto the addresses that were sent.
 */
export function serverAddressProblems(e: unknown, sent: string[]): AddressProblem[] {
  if (!isApiError(e)) return []
  const byIndex = new Map<number, string>()
  for (const [field, message] of Object.entries(e.fieldErrors)) {
    const m = ITEM_FIELD.exec(field)
    if (!m) continue
    const i = Number(m[1])
    if (!byIndex.has(i) || m[2] === 'email') byIndex.set(i, message)
  }
  return [...byIndex.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([index, message]) => ({ index, email: sent[index] ?? `Address ${index + 1}`, message }))
}

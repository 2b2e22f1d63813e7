// Pure helpers for the API keys page: how a key is shown once it is gone,
// the create form's rules, and the ready-to-paste ingestion example.

import { MAX_EXPIRY_DAYS, type CreateApiKeyInput } from '../api/apiKeys'

/** The most characters a key's name may have (the server's limit too). */
export const KEY_NAME_MAX = 100

/** maskedKey is how a stored key is recognised: its visible prefix, the secret part elided. */
export function maskedKey(prefix: string): string {
  return `bur_${prefix}_…`
}

export interface KeyFormValues {
  name: string
  /** the expiry in days as typed; '' for none */
  days: string | number
}

export type KeyFormErrors = Partial<Record<'name' | 'expires_in_days', string>>

/** validateKeyForm checks the create form; empty: fine. */
export function validateKeyForm(v: KeyFormValues): KeyFormErrors {
  const errs: KeyFormErrors = {}
  const name = v.name.trim()
  if (name === '') errs.name = 'Name the key after what will use it.'
  else if ([...name].length > KEY_NAME_MAX) errs.name = `Use at most ${KEY_NAME_MAX} characters.`
  if (v.days !== '') {
    const n = Number(v.days)
    if (!Number.isInteger(n) || n < 1 || n > MAX_EXPIRY_DAYS) errs.expires_in_days = `Enter a whole number of days from 1 to ${MAX_EXPIRY_DAYS}, or leave it empty.`
  }
  return errs
}

/** keyInput is the POST body: the expiry only when one was given. */
export function keyInput(v: KeyFormValues): CreateApiKeyInput {
  const input: CreateApiKeyInput = { name: v.name.trim() }
  if (v.days !== '') input.expires_in_days = Number(v.days)
  return input
}

/** shellQuote wraps a value in single quotes for a POSIX shell. */
function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`
}

/**
 * curlExample is a command that sends one finished job with the new key.
 * The job's process is created on first sight, so it works as pasted.
 */
export function curlExample(origin: string, key: string, now = new Date()): string {
  const end = new Date(Math.floor(now.getTime() / 60_000) * 60_000)
  const start = new Date(end.getTime() - 4 * 60_000)
  const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z')
  const job = {
    ref: 'job-1001',
    process_ref: 'invoice-intake',
    robot_ref: 'robot-01',
    state: 'successful',
    started_at: iso(start),
    ended_at: iso(end),
  }
  // Pretty, so that it reads (and edits) well; a quoted newline is fine in a shell.
  const body = JSON.stringify({ items: [job] }, null, 2)
  return [
    `curl -X POST ${shellQuote(`${origin}/api/v1/ingest/jobs`)} \\`,
    `  -H ${shellQuote(`Authorization: Bearer ${key}`)} \\`,
    `  -H 'Content-Type: application/json' \\`,
    `  -d ${shellQuote(body)}`,
  ].join('\n')
}

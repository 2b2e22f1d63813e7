// Password policy as the server applies it (AUTH-04): at least 15 characters
// (code points), at most 1024 bytes of UTF-8, no composition rules. The
// server also refuses common passwords; it has the final word.

export const PASSWORD_MIN_CHARS = 15
export const PASSWORD_MAX_BYTES = 1024

const encoder = new TextEncoder()

export function passwordChars(p: string): number {
  return Array.from(p).length
}

export function passwordBytes(p: string): number {
  return encoder.encode(p).length
}

export type PasswordStrength = {
  /** 0–100 for a progress bar */
  score: number
  label: string
  color: string
  ok: boolean
}

/** passwordStrength is a length-based hint, not a promise: length is what counts. */
export function passwordStrength(p: string): PasswordStrength {
  const chars = passwordChars(p)
  if (chars === 0) return { score: 0, label: '', color: 'gray', ok: false }
  if (passwordBytes(p) > PASSWORD_MAX_BYTES) return { score: 100, label: 'Too long', color: 'red', ok: false }
  if (chars < PASSWORD_MIN_CHARS) {
    return { score: Math.round((chars / PASSWORD_MIN_CHARS) * 50), label: 'Too short', color: 'red', ok: false }
  }
  const distinct = new Set(Array.from(p.toLowerCase())).size
  if (distinct <= 3) return { score: 40, label: 'Too repetitive', color: 'orange', ok: false }
  if (chars < 20) return { score: 70, label: 'Good', color: 'yellow', ok: true }
  if (chars < 28) return { score: 85, label: 'Strong', color: 'teal', ok: true }
  return { score: 100, label: 'Very strong', color: 'green', ok: true }
}

/** validatePassword returns a message for a form field, or null. */
export function validatePassword(p: string): string | null {
  if (p === '') return 'Choose a password.'
  if (passwordBytes(p) > PASSWORD_MAX_BYTES) return 'Use at most 1024 bytes.'
  if (passwordChars(p) < PASSWORD_MIN_CHARS) return `Use at least ${PASSWORD_MIN_CHARS} characters. A few unrelated words make a good password.`
  if (new Set(Array.from(p.toLowerCase())).size <= 3) return 'This password is too easy to guess. Add unrelated words.'
  return null
}

// Small bits of in-memory state about how the session ended, so the sign-in
// page can say why it is shown. Nothing here is persisted.

let signingOut = false
let hadSession = false
let leaving = false

export type EndReason = 'signed_out' | 'expired'

export const sessionFlags = {
  /** The person chose to sign out: don't remember the page they were on. */
  markSigningOut() {
    signingOut = true
  },
  /**
   * The session ended and the browser is on its way to the identity
   * provider's sign-out page: show a loader, not the sign-in page.
   */
  markLeaving() {
    signingOut = true
    leaving = true
  },
  /** The browser is leaving for the identity provider's sign-out page. */
  isLeaving(): boolean {
    return leaving
  },
  /** The shell was shown to a signed-in person in this tab. */
  markSignedIn() {
    hadSession = true
  },
  /** Why the shell lost its session, or null when it never had one. Pure: safe in render. */
  endReason(): EndReason | null {
    if (signingOut) return 'signed_out'
    if (hadSession) return 'expired'
    return null
  },
  /** The sign-in page has taken note; start over. */
  reset() {
    signingOut = false
    hadSession = false
    leaving = false
  },
}

/**
 * safeNext returns a same-app path to go to after sign-in, or '/'. Only plain
 * absolute paths are accepted ("/accounts?x=1"), never "//host" or a URL.
 */
export function safeNext(raw: string | null | undefined): string {
  if (!raw) return '/'
  if (!raw.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\')) return '/'
  if (/[\u0000-\u001f]/.test(raw)) return '/'
  if (raw === '/login' || raw.startsWith('/login?') || raw === '/setup' || raw.startsWith('/setup?')) return '/'
  return raw
}

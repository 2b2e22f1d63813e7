// The firm a person last signed in to on this browser, so that "Use single
// sign-on" can offer it. Only the firm's slug is kept: it is public (it is in
// the firm's sign-in link) and nothing of the session is stored with it.

export const LAST_TENANT_KEY = 'bureau.lastTenant'

/** lastTenant returns the remembered firm slug, or '' (none, or no storage). */
export function lastTenant(): string {
  try {
    return globalThis.localStorage?.getItem(LAST_TENANT_KEY)?.trim() ?? ''
  } catch {
    return ''
  }
}

/** rememberTenant keeps a firm slug for the next sign-in; storage failures are ignored. */
export function rememberTenant(slug: string | null | undefined): void {
  const s = slug?.trim()
  if (!s) return
  try {
    globalThis.localStorage?.setItem(LAST_TENANT_KEY, s)
  } catch {
    // Private mode or storage turned off: the firm is simply not prefilled.
  }
}

/** ssoLoginUrl is where the browser goes to sign in to a firm with its identity provider. */
export function ssoLoginUrl(slug: string): string {
  return `/api/v1/auth/oidc/${encodeURIComponent(slug)}/login`
}

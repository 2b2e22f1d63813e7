// Slugs (SPEC §1): 2–50 chars of a-z, 0-9 and single inner hyphens. The
// server has the final word; this gives immediate feedback and the
// fill-from-name behaviour of the forms.

export const SLUG_MIN = 2
export const SLUG_MAX = 50
export const SLUG_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/

/**
 * Words the web app's own routes and the server's paths use. Mirrors the
 * server's list (slug.Reserved); the server rejects them with slug_reserved.
 */
export const RESERVED_SLUGS: ReadonlySet<string> = new Set([
  'about', 'account', 'accounts', 'admin', 'api', 'app', 'assets', 'audit', 'auth', 'billing',
  'dashboard', 'docs', 'favicon-ico', 'forgot-password', 'health', 'healthz', 'help', 'home', 'invitations', 'invite',
  'license', 'login', 'logout', 'me', 'metrics', 'new', 'outbox', 'overview', 'portal', 'profile',
  'projects', 'r', 'readyz', 'register', 'reports', 'reset', 'reset-password', 'settings', 'setup', 'signin',
  'signout', 'slug-availability', 'sso', 'staff', 'static', 'static-files', 'status', 'support',
  'system', 'tenant', 'tenants', 'usage',
])

/**
 * slugFromName derives a slug from a display name: lower-case, accents
 * stripped (NFKD), every run of other characters turned into one hyphen,
 * hyphens trimmed, cut to 50 characters without a trailing hyphen.
 * It may return '' or a 1-character slug; validateSlug says why that's not enough.
 */
export function slugFromName(name: string): string {
  const base = name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    // Letters that NFKD does not decompose into an ASCII base.
    .replace(/ß/g, 'ss')
    .replace(/æ/g, 'ae')
    .replace(/œ/g, 'oe')
    .replace(/ø/g, 'o')
    .replace(/ł/g, 'l')
    .replace(/đ/g, 'd')
    .replace(/þ/g, 'th')
    .replace(/ı/g, 'i')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
  return base.slice(0, SLUG_MAX).replace(/-+$/, '')
}

export type SlugProblem = 'required' | 'too_short' | 'too_long' | 'invalid' | 'reserved'

/** slugProblem returns what is wrong with s, or null when it is a valid slug. */
export function slugProblem(s: string): SlugProblem | null {
  if (s === '') return 'required'
  if (s.length < SLUG_MIN) return 'too_short'
  if (s.length > SLUG_MAX) return 'too_long'
  if (!SLUG_PATTERN.test(s)) return 'invalid'
  if (RESERVED_SLUGS.has(s)) return 'reserved'
  return null
}

/** validateSlug returns a message for a form field, or null when s is fine. */
export function validateSlug(s: string): string | null {
  switch (slugProblem(s)) {
    case null:
      return null
    case 'required':
      return 'Enter a slug.'
    case 'too_short':
      return 'Use at least 2 characters.'
    case 'too_long':
      return 'Use at most 50 characters.'
    case 'invalid':
      return 'Use lower-case letters, digits and single hyphens, not starting or ending with a hyphen.'
    case 'reserved':
      return `“${s}” is reserved by Bureau. Choose another slug.`
  }
}

/**
 * cleanSlugInput tidies what a person types into a slug field while they
 * type: lower-case, spaces and underscores become hyphens, other characters
 * are dropped. It keeps a trailing hyphen so typing "acme-" works.
 */
export function cleanSlugInput(s: string): string {
  return s
    .toLowerCase()
    .replace(/[\s_]+/g, '-')
    .replace(/[^a-z0-9-]/g, '')
    .replace(/-{2,}/g, '-')
    .slice(0, SLUG_MAX)
}

import { api, isApiError, setCsrfToken } from './client'
import { rememberTenant } from '../lib/lastTenant'
import type {
  Account,
  AccountListItem,
  AccountPatch,
  AccountSettings,
  CreateAccountInput,
  LicenseInfo,
  LoginInput,
  LoginResult,
  Me,
  Page,
  SetupInput,
  SetupResult,
  SetupStatus,
  SlugAvailability,
  Usage,
} from './types'

export function getSetupStatus(signal?: AbortSignal): Promise<SetupStatus> {
  return api.get<SetupStatus>('/setup', { signal })
}

export async function postSetup(input: SetupInput): Promise<SetupResult> {
  const res = await api.post<SetupResult>('/setup', input)
  // The owner is signed in now: the session, and with it the token, is new.
  setCsrfToken(res.csrf_token || null)
  return res
}

export async function login(input: LoginInput & { tenant?: string }): Promise<LoginResult> {
  const res = await api.post<LoginResult>('/auth/login', input)
  setCsrfToken(res.csrf_token || null)
  rememberTenant(res.tenant?.slug)
  return res
}

/** LogoutResult says where the browser goes next. */
export interface LogoutResult {
  /**
   * The identity provider's sign-out page (a session from single sign-on, when
   * the provider supports RP-initiated logout): the browser goes there instead
   * of to the sign-in page. null otherwise.
   */
  endSessionUrl: string | null
}

/** endSessionUrlOf accepts only an absolute http(s) URL from the logout answer. */
function endSessionUrlOf(body: unknown): string | null {
  if (!body || typeof body !== 'object') return null
  const raw = (body as { end_session_url?: unknown }).end_session_url
  if (typeof raw !== 'string' || raw === '') return null
  try {
    const u = new URL(raw)
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : null
  } catch {
    return null
  }
}

/**
 * logout ends the session. The server answers 204, or 200 with the provider's
 * end_session_url for a session that came from single sign-on.
 */
export async function logout(): Promise<LogoutResult> {
  try {
    const body = await api.post<unknown>('/auth/logout', {})
    return { endSessionUrl: endSessionUrlOf(body) }
  } catch (e) {
    // Already signed out is the outcome we wanted.
    if (!(isApiError(e) && e.status === 401)) throw e
    return { endSessionUrl: null }
  } finally {
    setCsrfToken(null)
  }
}

/** getMe returns the signed-in person, or null when nobody is signed in. */
export async function getMe(signal?: AbortSignal): Promise<Me | null> {
  try {
    const me = await api.get<Me>('/me', { signal })
    // Remembered for the next sign-in with SSO (any way in ends up here).
    rememberTenant(me?.tenant?.slug)
    return me
  } catch (e) {
    if (isApiError(e) && e.status === 401) return null
    throw e
  }
}

const path = (slug: string) => `/accounts/${encodeURIComponent(slug)}`

/** The most pages listAccounts follows (500 accounts each): a safety stop, not a limit anyone meets. */
const MAX_PAGES = 20

/** listAccounts returns every account the caller may see, following the cursor. */
export async function listAccounts(signal?: AbortSignal): Promise<Page<AccountListItem>> {
  const items: AccountListItem[] = []
  let cursor: string | null = null
  for (let i = 0; i < MAX_PAGES; i++) {
    const q: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''
    const page: Page<AccountListItem> = await api.get<Page<AccountListItem>>(`/accounts?limit=500${q}`, { signal })
    items.push(...page.items)
    cursor = page.next_cursor
    if (!cursor) break
  }
  return { items, next_cursor: null }
}

export function createAccount(input: CreateAccountInput): Promise<Account> {
  return api.post<Account>('/accounts', input)
}

export function getSlugAvailability(slug: string, signal?: AbortSignal): Promise<SlugAvailability> {
  return api.get<SlugAvailability>(`/accounts/slug-availability?slug=${encodeURIComponent(slug)}`, { signal })
}

export function getAccount(slug: string, signal?: AbortSignal): Promise<Account> {
  return api.get<Account>(path(slug), { signal })
}

export function updateAccount(slug: string, patch: AccountPatch): Promise<Account> {
  return api.patch<Account>(path(slug), patch)
}

export function deactivateAccount(slug: string): Promise<Account> {
  return api.post<Account>(`${path(slug)}/deactivate`, {})
}

export function reactivateAccount(slug: string): Promise<Account> {
  return api.post<Account>(`${path(slug)}/reactivate`, {})
}

export function deleteAccount(slug: string, confirmName: string): Promise<void> {
  return api.delete<void>(path(slug), { confirm_name: confirmName })
}

export function getAccountSettings(slug: string, signal?: AbortSignal): Promise<AccountSettings> {
  return api.get<AccountSettings>(`${path(slug)}/settings`, { signal })
}

export function updateAccountSettings(slug: string, patch: Partial<AccountSettings>): Promise<AccountSettings> {
  return api.patch<AccountSettings>(`${path(slug)}/settings`, patch)
}

export function getUsage(signal?: AbortSignal): Promise<Usage> {
  return api.get<Usage>('/tenant/usage', { signal })
}

export function getLicense(signal?: AbortSignal): Promise<LicenseInfo> {
  return api.get<LicenseInfo>('/tenant/license', { signal })
}

export function putLicense(text: string): Promise<LicenseInfo> {
  return api.put<LicenseInfo>('/tenant/license', { license: text })
}

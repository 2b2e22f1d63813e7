import { api, isApiError, setCsrfToken } from './client'
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

export async function login(input: LoginInput): Promise<LoginResult> {
  const res = await api.post<LoginResult>('/auth/login', input)
  setCsrfToken(res.csrf_token || null)
  return res
}

export async function logout(): Promise<void> {
  try {
    await api.post<void>('/auth/logout', {})
  } catch (e) {
    // Already signed out is the outcome we wanted.
    if (!(isApiError(e) && e.status === 401)) throw e
  } finally {
    setCsrfToken(null)
  }
}

/** getMe returns the signed-in person, or null when nobody is signed in. */
export async function getMe(signal?: AbortSignal): Promise<Me | null> {
  try {
    return await api.get<Me>('/me', { signal })
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

import { api, isApiError, setCsrfToken } from './client'
import type { Account, LoginInput, LoginResult, Me, Page, SetupInput, SetupResult, SetupStatus } from './types'

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

export function listAccounts(signal?: AbortSignal): Promise<Page<Account>> {
  return api.get<Page<Account>>('/accounts?limit=500', { signal })
}

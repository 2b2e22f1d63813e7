// An account's API keys (SPEC §4): they let tools Bureau has no connector for
// push jobs, robots and processes into this one account (POST /ingest/…).
// The key itself is shown once, in the answer to its creation; afterwards
// only its prefix identifies it.

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api } from './client'
import { queryKeys } from './queries'
import type { Page } from './types'

export type ApiKeyStatus = 'active' | 'expired' | 'deactivated'

export interface ApiKey {
  id: string
  name: string
  /** the visible part of the key: bur_<prefix>_… */
  prefix: string
  created_at: string
  created_by: { id: string; name: string } | null
  expires_at: string | null
  deactivated_at: string | null
  last_used_at: string | null
  status: ApiKeyStatus | string
}

/** CreatedApiKey is the answer to POST: the only time the key is sent. */
export interface CreatedApiKey extends ApiKey {
  key: string
}

export interface CreateApiKeyInput {
  name: string
  /** 1..365; absent: the key does not expire */
  expires_in_days?: number
}

/** The most expiry days the API accepts. */
export const MAX_EXPIRY_DAYS = 365

const path = (account: string) => `/accounts/${encodeURIComponent(account)}/api-keys`

/** A safety stop for following cursors: no account has thousands of keys. */
const MAX_PAGES = 10

export async function listApiKeys(account: string, signal?: AbortSignal): Promise<ApiKey[]> {
  const items: ApiKey[] = []
  let cursor: string | null = null
  for (let i = 0; i < MAX_PAGES; i++) {
    const q: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''
    const page: Page<ApiKey> = await api.get<Page<ApiKey>>(`${path(account)}?limit=200${q}`, { signal })
    items.push(...(page?.items ?? []))
    cursor = page?.next_cursor ?? null
    if (!cursor) break
  }
  return items
}

export function createApiKey(account: string, input: CreateApiKeyInput): Promise<CreatedApiKey> {
  return api.post<CreatedApiKey>(path(account), input)
}

export function deactivateApiKey(account: string, id: string): Promise<ApiKey> {
  return api.delete<ApiKey>(`${path(account)}/${encodeURIComponent(id)}`)
}

export const apiKeyKeys = {
  list: (account: string) => [...queryKeys.account(account), 'api-keys'] as const,
}

export function useApiKeys(account: string, enabled = true) {
  return useQuery({
    queryKey: apiKeyKeys.list(account),
    queryFn: ({ signal }) => listApiKeys(account, signal),
    enabled,
  })
}

/** keyOnly drops the secret: the list cache never holds a key. */
function keyOnly({ key: _secret, ...item }: CreatedApiKey): ApiKey {
  return item
}

export function useCreateApiKey(account: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (input: CreateApiKeyInput) => createApiKey(account, input),
    onSuccess: (created) => {
      qc.setQueryData<ApiKey[]>(apiKeyKeys.list(account), (list) => (list ? [keyOnly(created), ...list] : list))
      void qc.invalidateQueries({ queryKey: apiKeyKeys.list(account) })
    },
  })
}

export function useDeactivateApiKey(account: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (id: string) => deactivateApiKey(account, id),
    onSuccess: (saved) => {
      qc.setQueryData<ApiKey[]>(apiKeyKeys.list(account), (list) => list?.map((k) => (k.id === saved.id ? saved : k)))
    },
  })
}

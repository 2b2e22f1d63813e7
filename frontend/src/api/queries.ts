import { useQuery, type QueryClient } from '@tanstack/react-query'
import {
  getAccount,
  getAccountSettings,
  getLicense,
  getMe,
  getSetupStatus,
  getSlugAvailability,
  getUsage,
  listAccounts,
} from './endpoints'

export const queryKeys = {
  setup: ['setup'] as const,
  me: ['me'] as const,
  accounts: ['accounts'] as const,
  account: (slug: string) => ['account', slug] as const,
  accountSettings: (slug: string) => ['account', slug, 'settings'] as const,
  slugAvailability: (slug: string) => ['slug-availability', slug] as const,
  usage: ['tenant', 'usage'] as const,
  license: ['tenant', 'license'] as const,
}

export function useSetupStatus() {
  return useQuery({
    queryKey: queryKeys.setup,
    queryFn: ({ signal }) => getSetupStatus(signal),
    staleTime: Infinity,
  })
}

export function useMe() {
  return useQuery({
    queryKey: queryKeys.me,
    queryFn: ({ signal }) => getMe(signal),
    staleTime: 60_000,
  })
}

export function useAccounts(enabled = true) {
  return useQuery({
    queryKey: queryKeys.accounts,
    queryFn: ({ signal }) => listAccounts(signal),
    enabled,
  })
}

export function useAccount(slug: string, enabled = true) {
  return useQuery({
    queryKey: queryKeys.account(slug),
    queryFn: ({ signal }) => getAccount(slug, signal),
    enabled,
  })
}

export function useAccountSettings(slug: string, enabled = true) {
  return useQuery({
    queryKey: queryKeys.accountSettings(slug),
    queryFn: ({ signal }) => getAccountSettings(slug, signal),
    enabled,
  })
}

/** useSlugAvailability asks the server about a (locally valid) slug; null: don't ask. */
export function useSlugAvailability(slug: string | null) {
  return useQuery({
    queryKey: queryKeys.slugAvailability(slug ?? ''),
    queryFn: ({ signal }) => getSlugAvailability(slug!, signal),
    enabled: slug !== null,
    staleTime: 5_000,
    retry: false,
  })
}

export function useUsage(enabled = true) {
  return useQuery({
    queryKey: queryKeys.usage,
    queryFn: ({ signal }) => getUsage(signal),
    enabled,
  })
}

export function useLicense(enabled = true) {
  return useQuery({
    queryKey: queryKeys.license,
    queryFn: ({ signal }) => getLicense(signal),
    enabled,
  })
}

/**
 * accountsChanged refreshes what depends on the set of accounts or their
 * status: the list, the plan usage, and (when given) one account.
 */
export function accountsChanged(qc: QueryClient, slug?: string): Promise<unknown> {
  const jobs: Promise<unknown>[] = [
    qc.invalidateQueries({ queryKey: queryKeys.accounts }),
    qc.invalidateQueries({ queryKey: queryKeys.usage }),
    qc.invalidateQueries({ queryKey: ['slug-availability'] }),
  ]
  if (slug) jobs.push(qc.invalidateQueries({ queryKey: queryKeys.account(slug) }))
  return Promise.all(jobs)
}

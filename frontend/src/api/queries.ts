import { useQuery } from '@tanstack/react-query'
import { getMe, getSetupStatus, listAccounts } from './endpoints'

export const queryKeys = {
  setup: ['setup'] as const,
  me: ['me'] as const,
  accounts: ['accounts'] as const,
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

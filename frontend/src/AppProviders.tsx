import { MantineProvider, type MantineThemeOverride } from '@mantine/core'
import { Notifications } from '@mantine/notifications'
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query'
import type { ReactNode } from 'react'
import { isApiError } from './api/client'
import { queryKeys } from './api/queries'
import { theme } from './theme'

function sessionEnded(e: unknown): boolean {
  return isApiError(e) && e.status === 401 && e.code === 'unauthenticated'
}

/**
 * createQueryClient makes the app's cache. When any request finds the session
 * gone (401 unauthenticated), the cached person is cleared, which sends the
 * browser to the sign-in page with the current page remembered.
 */
export function createQueryClient(opts: { retryDelay?: number } = {}): QueryClient {
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({
      onError: (e) => {
        if (sessionEnded(e)) client.setQueryData(queryKeys.me, null)
      },
    }),
    mutationCache: new MutationCache({
      onError: (e) => {
        if (sessionEnded(e)) client.setQueryData(queryKeys.me, null)
      },
    }),
    defaultOptions: {
      queries: {
        retry: (failures, e) => {
          // A 4xx answer will not change by asking again.
          if (isApiError(e) && e.status >= 400 && e.status < 500) return false
          return failures < 2
        },
        ...(opts.retryDelay !== undefined ? { retryDelay: opts.retryDelay } : {}),
        refetchOnWindowFocus: true,
        staleTime: 30_000,
      },
      mutations: { retry: false },
    },
  })
  return client
}

export function AppProviders({
  queryClient,
  children,
  env = 'default',
  theme: themeOverride = theme,
}: {
  queryClient: QueryClient
  children: ReactNode
  env?: 'default' | 'test'
  /** the app's theme; tests pass one without motion */
  theme?: MantineThemeOverride
}) {
  return (
    <MantineProvider theme={themeOverride} forceColorScheme="light" env={env}>
      <Notifications position="bottom-right" limit={3} />
      <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
    </MantineProvider>
  )
}

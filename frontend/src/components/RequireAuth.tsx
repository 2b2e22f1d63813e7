import { useEffect, type ReactNode } from 'react'
import { Navigate, useLocation } from 'react-router'
import { useMe } from '../api/queries'
import type { Me } from '../api/types'
import { sessionFlags } from '../lib/session'
import { ErrorState } from './ErrorState'
import { FullPageLoader } from './FullPageLoader'
import { MeContext } from './meContext'

/**
 * RequireAuth shows its children only to a signed-in person. Anyone else goes
 * to /login, which brings them back to this page (deep link) afterwards.
 */
export function RequireAuth({ children }: { children: ReactNode }) {
  const me = useMe()
  const location = useLocation()
  const signedIn = !!me.data

  useEffect(() => {
    if (signedIn) sessionFlags.markSignedIn()
  }, [signedIn])

  if (me.isPending) return <FullPageLoader />
  if (me.isError && me.data === undefined) {
    return (
      <ErrorState
        fullPage
        title="Could not load your workspace"
        error={me.error}
        onRetry={() => void me.refetch()}
        retrying={me.isFetching}
      />
    )
  }
  if (!me.data) {
    // Signed out of an SSO session: the browser is going to the provider's sign-out page.
    if (sessionFlags.isLeaving()) return <FullPageLoader label="Signing you out…" />
    const reason = sessionFlags.endReason()
    const here = location.pathname + location.search + location.hash
    const next = reason !== 'signed_out' && here !== '/' ? `?next=${encodeURIComponent(here)}` : ''
    return <Navigate to={`/login${next}`} replace state={reason ? { reason } : undefined} />
  }
  return <MeContext.Provider value={me.data as Me}>{children}</MeContext.Provider>
}

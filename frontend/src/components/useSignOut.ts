import { notifications } from '@mantine/notifications'
import { useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { logout } from '../api/endpoints'
import { queryKeys } from '../api/queries'
import type { Me } from '../api/types'
import { rememberTenant } from '../lib/lastTenant'
import { sessionFlags } from '../lib/session'
import { errorMessage } from './ErrorState'

/**
 * useSignOut ends the session; RequireAuth then shows the sign-in page. A
 * session from single sign-on may also end at the identity provider: the
 * server then names its sign-out page, and the browser goes there instead.
 */
export function useSignOut() {
  const qc = useQueryClient()
  const [pending, setPending] = useState(false)
  const signOut = async () => {
    setPending(true)
    let endSessionUrl: string | null
    try {
      ;({ endSessionUrl } = await logout())
    } catch (e) {
      setPending(false)
      notifications.show({ color: 'red', title: 'Could not sign out', message: errorMessage(e) })
      return
    }
    // The server's Clear-Site-Data empties storage: keep the firm (its slug
    // only) so the next sign-in with SSO can offer it.
    rememberTenant(qc.getQueryData<Me | null>(queryKeys.me)?.tenant?.slug)
    // Nothing from the session stays on screen.
    notifications.clean()
    if (endSessionUrl) sessionFlags.markLeaving()
    else sessionFlags.markSigningOut()
    qc.setQueryData(queryKeys.me, null)
    qc.removeQueries({ predicate: (q) => q.queryKey[0] !== 'me' && q.queryKey[0] !== 'setup' })
    if (endSessionUrl) {
      // Back from the provider into this page kept in memory: start afresh.
      window.addEventListener(
        'pageshow',
        (e) => {
          if (e.persisted) window.location.reload()
        },
        { once: true },
      )
      window.location.assign(endSessionUrl)
    }
  }
  return { signOut, pending }
}

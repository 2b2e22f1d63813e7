import { notifications } from '@mantine/notifications'
import { useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { logout } from '../api/endpoints'
import { queryKeys } from '../api/queries'
import { sessionFlags } from '../lib/session'
import { errorMessage } from './ErrorState'

/** useSignOut ends the session; RequireAuth then shows the sign-in page. */
export function useSignOut() {
  const qc = useQueryClient()
  const [pending, setPending] = useState(false)
  const signOut = async () => {
    setPending(true)
    try {
      await logout()
    } catch (e) {
      setPending(false)
      notifications.show({ color: 'red', title: 'Could not sign out', message: errorMessage(e) })
      return
    }
    // Nothing from the session stays on screen.
    notifications.clean()
    sessionFlags.markSigningOut()
    qc.setQueryData(queryKeys.me, null)
    qc.removeQueries({ predicate: (q) => q.queryKey[0] !== 'me' && q.queryKey[0] !== 'setup' })
  }
  return { signOut, pending }
}

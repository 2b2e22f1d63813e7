import { useOutletContext } from 'react-router'
import type { Account } from '../../api/types'

export interface AccountContext {
  account: Account
}

/** useAccountContext is the account an /:accountSlug/… page is about (loaded by AccountLayout). */
export function useAccountContext(): AccountContext {
  return useOutletContext<AccountContext>()
}

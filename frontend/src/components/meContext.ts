import { createContext, useContext } from 'react'
import type { Me } from '../api/types'

export const MeContext = createContext<Me | null>(null)

/** useCurrentMe is the signed-in person, inside RequireAuth. */
export function useCurrentMe(): Me {
  const me = useContext(MeContext)
  if (!me) throw new Error('useCurrentMe outside RequireAuth')
  return me
}

export function useCan(permission: string): boolean {
  return useCurrentMe().permissions.includes(permission)
}

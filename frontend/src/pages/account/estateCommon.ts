import { useDocumentTitle } from '@mantine/hooks'
import type { Account, Me } from '../../api/types'
import { useCurrentMe } from '../../components/meContext'

/** useSectionTitle names the browser tab: "Jobs · Acme Corporation · Northwind". */
export function useSectionTitle(section: string, account: Account) {
  const me = useCurrentMe()
  useDocumentTitle(`${section} · ${account.name} · ${me.tenant.branding?.display_name?.trim() || me.tenant.name}`)
}

/**
 * onlyAssigned: the person is an Account User and nothing more, so the server
 * shows them only the processes assigned to them (ISO-12). Empty lists then
 * mean "nothing assigned yet", not "nothing synced yet".
 */
export function onlyAssigned(me: Me): boolean {
  const roles = me.membership.roles ?? (me.membership.role ? [me.membership.role] : [])
  return roles.length > 0 && roles.every((r) => r === 'account_user')
}

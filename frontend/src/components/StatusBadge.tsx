import { Badge } from '@mantine/core'
import type { AccountStatus } from '../api/types'

/** StatusBadge shows an account's status in words (colour is only a hint). */
export function StatusBadge({ status, size = 'sm' }: { status: AccountStatus; size?: 'xs' | 'sm' | 'md' | 'lg' }) {
  // Never cut short in a tight table column.
  const styles = { root: { flex: 'none', maxWidth: 'none', overflow: 'visible' }, label: { overflow: 'visible' } }
  return status === 'active' ? (
    <Badge color="teal" variant="light" size={size} styles={styles}>
      Active
    </Badge>
  ) : (
    <Badge color="gray" variant="light" size={size} styles={styles}>
      Deactivated
    </Badge>
  )
}

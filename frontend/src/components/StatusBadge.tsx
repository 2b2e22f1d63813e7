import { Badge } from '@mantine/core'
import type { AccountStatus } from '../api/types'

/** Badge styles that never cut the label short in a tight table column. */
export const badgeNoTruncate = { root: { flex: 'none', maxWidth: 'none', overflow: 'visible' }, label: { overflow: 'visible' } } as const

/**
 * StatusBadge shows an account's status in words (colour is only a hint).
 * Its palette is shared with MemberStatusBadge: teal is active, gray is switched off.
 */
export function StatusBadge({ status, size = 'sm' }: { status: AccountStatus; size?: 'xs' | 'sm' | 'md' | 'lg' }) {
  return status === 'active' ? (
    <Badge color="teal" variant="light" size={size} styles={badgeNoTruncate}>
      Active
    </Badge>
  ) : (
    <Badge color="gray" variant="light" size={size} styles={badgeNoTruncate}>
      Deactivated
    </Badge>
  )
}

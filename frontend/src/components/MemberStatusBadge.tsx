import { Badge } from '@mantine/core'
import type { MemberStatus } from '../api/people'
import { STATUS_LABELS } from '../lib/people'
import { badgeNoTruncate } from './StatusBadge'

/**
 * The status palette of people, for account members and staff alike; it
 * matches StatusBadge (teal is active): blue is waiting, orange has lapsed.
 */
export const MEMBER_STATUS_COLORS: Record<MemberStatus, string> = { active: 'teal', pending: 'blue', expired: 'orange' }

/** MemberStatusBadge shows whether a person is active or their invitation is pending or expired. */
export function MemberStatusBadge({ status }: { status: MemberStatus }) {
  return (
    <Badge color={MEMBER_STATUS_COLORS[status] ?? 'gray'} variant="light" size="sm" styles={badgeNoTruncate}>
      {STATUS_LABELS[status] ?? status}
    </Badge>
  )
}

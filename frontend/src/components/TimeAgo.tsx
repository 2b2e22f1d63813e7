import { Text } from '@mantine/core'
import { formatDateTime, relativeTime } from '../lib/format'

/** TimeAgo is a moment as "5 minutes ago" (or "in 3 hours"), the full date and time on hover; "—" without one. */
export function TimeAgo({ at, size = 'sm', c }: { at: string | null | undefined; size?: 'xs' | 'sm'; c?: string }) {
  if (!at) {
    return (
      <Text span size={size} c="dimmed">
        —
      </Text>
    )
  }
  return (
    <Text span size={size} c={c} style={{ whiteSpace: 'nowrap' }}>
      <time dateTime={at} title={formatDateTime(at)}>
        {relativeTime(at)}
      </time>
    </Text>
  )
}

import { Stack, Text } from '@mantine/core'
import type { MemberStatus } from '../api/people'
import { formatDateTime, relativeTime } from '../lib/format'

/** What the person cells need to know of a member or staff member. */
interface Person {
  status: MemberStatus
  last_active: string | null
  expires_at: string | null
}

/** NotYetAccepted stands in the name column for an invitee: the name is set when they accept. */
export function NotYetAccepted() {
  return (
    <Text size="sm" c="dimmed" fs="italic" title="The name is set when the invitation is accepted" style={{ whiteSpace: 'nowrap' }}>
      Not yet accepted
    </Text>
  )
}

/** MemberLastActive is the "Last active" cell: when the person was last seen, or where their invitation stands. */
export function MemberLastActive({ m }: { m: Person }) {
  if (m.status === 'pending') {
    return (
      <Stack gap={0}>
        <Text size="sm">Pending</Text>
        {m.expires_at && (
          <Text size="xs" c="dimmed" title={formatDateTime(m.expires_at)}>
            Link expires {relativeTime(m.expires_at)}
          </Text>
        )}
      </Stack>
    )
  }
  if (m.status === 'expired') {
    return (
      <Stack gap={0}>
        <Text size="sm" c="orange.8">
          Expired
        </Text>
        {m.expires_at && (
          <Text size="xs" c="dimmed" title={formatDateTime(m.expires_at)}>
            Link expired {relativeTime(m.expires_at)}
          </Text>
        )}
      </Stack>
    )
  }
  if (!m.last_active) {
    return (
      <Text size="sm" c="dimmed">
        Not yet
      </Text>
    )
  }
  return (
    <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
      <time dateTime={m.last_active} title={formatDateTime(m.last_active)}>
        {relativeTime(m.last_active)}
      </time>
    </Text>
  )
}

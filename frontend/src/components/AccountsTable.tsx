import { Avatar, Badge, Box, Code, EmptyState, Group, Paper, Skeleton, Stack, Table, Text } from '@mantine/core'
import { useMediaQuery } from '@mantine/hooks'
import { IconBuildingSkyscraper } from '@tabler/icons-react'
import { useAccounts } from '../api/queries'
import type { Account } from '../api/types'
import { formatDate, initials } from '../lib/format'
import { ErrorState } from './ErrorState'

export function StatusBadge({ status }: { status: Account['status'] }) {
  return status === 'active' ? (
    <Badge color="teal" variant="light" size="sm">
      Active
    </Badge>
  ) : (
    <Badge color="gray" variant="light" size="sm">
      Deactivated
    </Badge>
  )
}

function Head() {
  return (
    <Table.Thead>
      <Table.Tr>
        <Table.Th>Name</Table.Th>
        <Table.Th>Slug</Table.Th>
        <Table.Th>Status</Table.Th>
        <Table.Th>Created</Table.Th>
      </Table.Tr>
    </Table.Thead>
  )
}

function SkeletonRows({ rows = 3 }: { rows?: number }) {
  return (
    <>
      {Array.from({ length: rows }, (_, i) => (
        <Table.Tr key={i}>
          <Table.Td>
            <Group gap="sm" wrap="nowrap">
              <Skeleton circle height={30} />
              <Skeleton height={12} width={`${50 + ((i * 17) % 30)}%`} radius="sm" />
            </Group>
          </Table.Td>
          <Table.Td>
            <Skeleton height={12} width={110} radius="sm" />
          </Table.Td>
          <Table.Td>
            <Skeleton height={18} width={60} radius="sm" />
          </Table.Td>
          <Table.Td>
            <Skeleton height={12} width={90} radius="sm" />
          </Table.Td>
        </Table.Tr>
      ))}
    </>
  )
}

/**
 * AccountsTable lists the client accounts the signed-in person may see
 * (staff: all of the tenant's; others: their own), with loading, empty and
 * error states.
 */
export function AccountsTable({ label = 'Client accounts', emptyHint }: { label?: string; emptyHint?: string }) {
  const q = useAccounts()
  // Phones get cards; a four-column table does not fit.
  const narrow = useMediaQuery('(max-width: 48em)')

  if (q.isError) {
    return <ErrorState error={q.error} onRetry={() => void q.refetch()} retrying={q.isFetching} />
  }

  if (q.isSuccess && q.data.items.length === 0) {
    return (
      <Paper withBorder p="xl">
        <EmptyState variant="light">
          <EmptyState.Indicator>
            <IconBuildingSkyscraper size={26} stroke={1.6} aria-hidden />
          </EmptyState.Indicator>
          <EmptyState.Title order={3}>No client accounts yet</EmptyState.Title>
          <EmptyState.Description>
            {emptyHint ?? 'Each client of your firm gets its own isolated account. They will be listed here.'}
          </EmptyState.Description>
        </EmptyState>
      </Paper>
    )
  }

  if (narrow) return <AccountCards items={q.data?.items} label={label} />

  return (
    <Paper withBorder style={{ overflow: 'hidden' }}>
      <Table.ScrollContainer minWidth={560} type="native">
        <Table
          verticalSpacing="sm"
          horizontalSpacing="lg"
          highlightOnHover={q.isSuccess}
          aria-label={label}
          aria-busy={q.isPending || undefined}
        >
          <Head />
          <Table.Tbody>
            {q.isPending ? (
              <SkeletonRows />
            ) : (
              q.data!.items.map((a) => (
                <Table.Tr key={a.id}>
                  <Table.Td>
                    <Group gap="sm" wrap="nowrap">
                      <Avatar size={30} radius="md" color="bureau" variant="light" aria-hidden>
                        {initials(a.name)}
                      </Avatar>
                      <Text size="sm" className="account-row-name">
                        {a.name}
                      </Text>
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <Code style={{ whiteSpace: 'nowrap' }}>{a.slug}</Code>
                  </Table.Td>
                  <Table.Td>
                    <StatusBadge status={a.status} />
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" c="dimmed">
                      <time dateTime={a.created_at}>{formatDate(a.created_at)}</time>
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ))
            )}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  )
}

/** AccountCards is the list on narrow screens; items undefined means loading. */
function AccountCards({ items, label }: { items: Account[] | undefined; label: string }) {
  return (
    <Stack component="ul" gap="sm" aria-label={label} aria-busy={!items || undefined} p={0} m={0} style={{ listStyle: 'none' }}>
      {(items ?? [undefined, undefined]).map((a, i) => (
        <Box component="li" key={a?.id ?? i}>
          <Paper withBorder p="md">
            {a ? (
              <Group gap="sm" wrap="nowrap" align="flex-start">
                <Avatar size={36} radius="md" color="bureau" variant="light" aria-hidden>
                  {initials(a.name)}
                </Avatar>
                <Stack gap={4} style={{ minWidth: 0, flex: 1 }}>
                  <Group justify="space-between" gap="xs" wrap="nowrap">
                    <Text size="sm" className="account-row-name" truncate="end">
                      {a.name}
                    </Text>
                    <StatusBadge status={a.status} />
                  </Group>
                  <Group justify="space-between" gap="xs">
                    <Code>{a.slug}</Code>
                    <Text size="xs" c="dimmed">
                      Created <time dateTime={a.created_at}>{formatDate(a.created_at)}</time>
                    </Text>
                  </Group>
                </Stack>
              </Group>
            ) : (
              <Group gap="sm" wrap="nowrap">
                <Skeleton height={36} width={36} radius="md" />
                <Stack gap={8} style={{ flex: 1 }}>
                  <Skeleton height={12} width="60%" radius="sm" />
                  <Skeleton height={10} width="40%" radius="sm" />
                </Stack>
              </Group>
            )}
          </Paper>
        </Box>
      ))}
    </Stack>
  )
}

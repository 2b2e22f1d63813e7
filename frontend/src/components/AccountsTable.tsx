import {
  Anchor,
  Avatar,
  Box,
  Button,
  EmptyState,
  Group,
  Paper,
  Skeleton,
  Stack,
  Table,
  Text,
  UnstyledButton,
} from '@mantine/core'
import { useMediaQuery } from '@mantine/hooks'
import { IconArrowDown, IconArrowUp, IconArrowsSort, IconBuildingSkyscraper, IconFilterOff, IconPlus } from '@tabler/icons-react'
import { useMemo, useState, type ReactNode } from 'react'
import { Link } from 'react-router'
import { useAccounts } from '../api/queries'
import type { AccountListItem } from '../api/types'
import { filterAccounts, nextSort, sortAccounts, type Sort, type SortKey, type StatusFilter } from '../lib/accountsList'
import { formatDateTime, initials, relativeTime } from '../lib/format'
import { ErrorState } from './ErrorState'
import { useCurrentMe } from './meContext'
import { StatusBadge } from './StatusBadge'

export { StatusBadge } from './StatusBadge'

interface Column {
  key: SortKey
  label: string
  numeric?: boolean
  /** agency-only data: shown to staff, not in the compact variant */
  agency?: boolean
}

const COLUMNS: Column[] = [
  { key: 'name', label: 'Name' },
  { key: 'contact', label: 'Contact & reference', agency: true },
  { key: 'people', label: 'People', numeric: true },
  { key: 'clients', label: 'Clients', numeric: true },
  { key: 'status', label: 'Status' },
  { key: 'last_activity', label: 'Last activity' },
]

function SortHeader({ column, sort, onSort }: { column: Column; sort: Sort; onSort: (k: SortKey) => void }) {
  const active = sort.key === column.key
  const Icon = !active ? IconArrowsSort : sort.dir === 'asc' ? IconArrowUp : IconArrowDown
  return (
    <Table.Th
      aria-sort={active ? (sort.dir === 'asc' ? 'ascending' : 'descending') : undefined}
      ta={column.numeric ? 'right' : undefined}
      style={{ whiteSpace: 'nowrap' }}
    >
      <UnstyledButton
        className="sort-button"
        data-active={active || undefined}
        data-numeric={column.numeric || undefined}
        onClick={() => onSort(column.key)}
      >
        {column.label}
        <Icon size={14} stroke={2} aria-hidden className="sort-icon" />
      </UnstyledButton>
    </Table.Th>
  )
}

function SkeletonRows({ columns, rows = 3 }: { columns: Column[]; rows?: number }) {
  return (
    <>
      {Array.from({ length: rows }, (_, i) => (
        <Table.Tr key={i}>
          {columns.map((c) => (
            <Table.Td key={c.key}>
              {c.key === 'name' ? (
                <Group gap="sm" wrap="nowrap">
                  <Skeleton circle height={32} />
                  <Stack gap={6} style={{ flex: 1 }}>
                    <Skeleton height={12} width={`${55 + ((i * 17) % 30)}%`} radius="sm" />
                    <Skeleton height={10} width="40%" radius="sm" />
                  </Stack>
                </Group>
              ) : (
                <Skeleton height={12} width={c.numeric ? 24 : 80} radius="sm" ml={c.numeric ? 'auto' : undefined} />
              )}
            </Table.Td>
          ))}
        </Table.Tr>
      ))}
    </>
  )
}

function LastActivity({ at }: { at: string | null }) {
  if (!at) {
    return (
      <Text size="sm" c="dimmed" aria-label="No activity yet">
        —
      </Text>
    )
  }
  return (
    <Text size="sm" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
      <time dateTime={at} title={formatDateTime(at)}>
        {relativeTime(at)}
      </time>
    </Text>
  )
}

function Dash() {
  return (
    <Text size="sm" c="dimmed" aria-label="Not set">
      —
    </Text>
  )
}

function NameCell({ a }: { a: AccountListItem }) {
  return (
    <Group gap="sm" wrap="nowrap">
      <Avatar size={32} radius="md" color={a.status === 'active' ? 'bureau' : 'gray'} variant="light" aria-hidden>
        {initials(a.name)}
      </Avatar>
      <Box style={{ minWidth: 0 }}>
        <Anchor component={Link} to={`/${a.slug}`} size="sm" className="account-row-name" c="dark.8" lineClamp={2}>
          {a.name}
        </Anchor>
        <Text size="xs" c="dimmed" ff="monospace" truncate="end">
          {a.slug}
        </Text>
      </Box>
    </Group>
  )
}

function Cell({ a, column }: { a: AccountListItem; column: Column }) {
  switch (column.key) {
    case 'name':
      return <NameCell a={a} />
    case 'contact':
      if (!a.contact_email && !a.external_ref) return <Dash />
      return (
        <Box style={{ minWidth: 0 }}>
          {a.contact_email ? (
            <Text size="sm" truncate="end" maw={230} title={a.contact_email}>
              {a.contact_email}
            </Text>
          ) : (
            <Text size="sm" c="dimmed">
              No contact
            </Text>
          )}
          {a.external_ref && (
            <Text size="xs" c="dimmed" truncate="end" maw={230} title={a.external_ref}>
              Ref. {a.external_ref}
            </Text>
          )}
        </Box>
      )
    case 'external_ref':
      return a.external_ref ? (
        <Text size="sm" truncate="end" maw={160} title={a.external_ref}>
          {a.external_ref}
        </Text>
      ) : (
        <Dash />
      )
    case 'people':
      return <Text size="sm">{(a.people ?? 0).toLocaleString()}</Text>
    case 'clients':
      return <Text size="sm">{(a.clients ?? 0).toLocaleString()}</Text>
    case 'status':
      return <StatusBadge status={a.status} />
    case 'last_activity':
      return <LastActivity at={a.last_activity} />
  }
}

export interface AccountsTableProps {
  label?: string
  /** search text (name, slug, reference) */
  query?: string
  status?: StatusFilter
  /** fewer columns, for the home page */
  compact?: boolean
  /** shown in the empty state when the person may create accounts */
  onCreate?: () => void
  onClearFilters?: () => void
  emptyHint?: ReactNode
  /** the sort before anyone clicks a header */
  initialSort?: Sort
  /** show at most this many rows (the home page's short list) */
  limit?: number
}

/**
 * AccountsTable lists the client accounts the signed-in person may see
 * (staff: all of the tenant's; others: their own): sortable by every column
 * (keyboard operable, aria-sort), filtered by the given search and status,
 * with loading, empty, no-match and error states. Phones get cards.
 */
export function AccountsTable({
  label = 'Client accounts',
  query = '',
  status = 'all',
  compact = false,
  onCreate,
  onClearFilters,
  emptyHint,
  initialSort = { key: 'name', dir: 'asc' },
  limit,
}: AccountsTableProps) {
  const me = useCurrentMe()
  const q = useAccounts()
  const narrow = useMediaQuery('(max-width: 48em)')
  const [sort, setSort] = useState<Sort>(initialSort)

  const items = q.data?.items
  // Agency-only columns: only when the server sent those fields (staff).
  const agency = items ? items.some((a) => a.contact_email !== undefined) : me.membership.account === null
  const columns = COLUMNS.filter((c) => !c.agency || (agency && !compact))
  const shown = useMemo(
    () => (items ? sortAccounts(filterAccounts(items, query, status), sort).slice(0, limit) : undefined),
    [items, query, status, sort, limit],
  )

  if (q.isError) {
    return <ErrorState error={q.error} onRetry={() => void q.refetch()} retrying={q.isFetching} />
  }

  if (items && items.length === 0) {
    return (
      <Paper withBorder p="xl">
        <EmptyState variant="light">
          <EmptyState.Indicator>
            <IconBuildingSkyscraper size={26} stroke={1.6} aria-hidden />
          </EmptyState.Indicator>
          <EmptyState.Title order={3}>No client accounts yet</EmptyState.Title>
          <EmptyState.Description>
            {emptyHint ??
              'Each client of your firm gets its own isolated account: its people, its RPA connection and its data.'}
          </EmptyState.Description>
          {onCreate && (
            <EmptyState.Actions>
              <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={onCreate}>
                Create your first client account
              </Button>
            </EmptyState.Actions>
          )}
        </EmptyState>
      </Paper>
    )
  }

  if (shown && shown.length === 0) {
    return (
      <Paper withBorder p="xl">
        <EmptyState variant="light">
          <EmptyState.Indicator>
            <IconFilterOff size={26} stroke={1.6} aria-hidden />
          </EmptyState.Indicator>
          <EmptyState.Title order={3}>No matching accounts</EmptyState.Title>
          <EmptyState.Description>
            {query.trim()
              ? `No ${status === 'all' ? '' : status + ' '}account matches “${query.trim()}”.`
              : `There are no ${status} accounts.`}
          </EmptyState.Description>
          {onClearFilters && (
            <EmptyState.Actions>
              <Button variant="light" onClick={onClearFilters}>
                Clear filters
              </Button>
            </EmptyState.Actions>
          )}
        </EmptyState>
      </Paper>
    )
  }

  if (narrow) return <AccountCards items={shown} label={label} />

  return (
    <Paper withBorder style={{ overflow: 'hidden' }}>
      <Table.ScrollContainer minWidth={compact ? 560 : 860} type="native">
        <Table
          verticalSpacing="sm"
          horizontalSpacing="md"
          highlightOnHover={!!shown}
          aria-label={label}
          aria-busy={!shown || undefined}
          aria-rowcount={shown ? shown.length + 1 : undefined}
        >
          <Table.Thead>
            <Table.Tr>
              {columns.map((c) => (
                <SortHeader key={c.key} column={c} sort={sort} onSort={(k) => setSort((s) => nextSort(s, k))} />
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {!shown ? (
              <SkeletonRows columns={columns} />
            ) : (
              shown.map((a) => (
                <Table.Tr key={a.id} data-status={a.status}>
                  {columns.map((c) => (
                    <Table.Td
                      key={c.key}
                      ta={c.numeric ? 'right' : undefined}
                      style={c.key === 'name' ? { maxWidth: 320 } : c.key === 'status' || c.key === 'last_activity' ? { whiteSpace: 'nowrap' } : undefined}
                    >
                      <Cell a={a} column={c} />
                    </Table.Td>
                  ))}
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
function AccountCards({ items, label }: { items: AccountListItem[] | undefined; label: string }) {
  return (
    <Stack component="ul" gap="sm" aria-label={label} aria-busy={!items || undefined} p={0} m={0} style={{ listStyle: 'none' }}>
      {(items ?? [undefined, undefined]).map((a, i) => (
        <Box component="li" key={a?.id ?? i}>
          <Paper withBorder p="md">
            {a ? (
              <Group gap="sm" wrap="nowrap" align="flex-start">
                <Avatar size={36} radius="md" color={a.status === 'active' ? 'bureau' : 'gray'} variant="light" aria-hidden>
                  {initials(a.name)}
                </Avatar>
                <Stack gap={4} style={{ minWidth: 0, flex: 1 }}>
                  <Group justify="space-between" gap="xs" wrap="nowrap">
                    <Anchor component={Link} to={`/${a.slug}`} size="sm" className="account-row-name" c="dark.8" truncate="end">
                      {a.name}
                    </Anchor>
                    <StatusBadge status={a.status} />
                  </Group>
                  <Text size="xs" c="dimmed" ff="monospace" truncate="end">
                    {a.slug}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {a.people ?? 0} people · {a.clients ?? 0} clients · {a.last_activity ? `active ${relativeTime(a.last_activity)}` : 'no activity yet'}
                  </Text>
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

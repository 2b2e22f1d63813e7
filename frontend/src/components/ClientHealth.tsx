import {
  Anchor,
  Avatar,
  Badge,
  Box,
  Button,
  EmptyState,
  Group,
  Paper,
  Progress,
  Skeleton,
  Stack,
  Table,
  Text,
  Title,
  Tooltip,
  UnstyledButton,
  VisuallyHidden,
} from '@mantine/core'
import { IconArrowDown, IconArrowRight, IconArrowUp, IconArrowsSort, IconBuildingSkyscraper, IconHeartRateMonitor } from '@tabler/icons-react'
import { Link, useNavigate, useSearchParams } from 'react-router'
import { OVERVIEW_REFRESH_MS, useOverview, type Health, type OverviewItem, type OverviewSort } from '../api/dashboard'
import { formatRate, overviewSortFrom, providerName } from '../lib/dashboard'
import { initials } from '../lib/format'
import { ErrorState } from './ErrorState'
import { syncStatusLabel } from './EstateBadges'
import { badgeNoTruncate } from './StatusBadge'
import { TimeAgo } from './TimeAgo'

const HEALTH: Record<Health, { color: string; label: string }> = {
  critical: { color: 'red', label: 'Critical' },
  warning: { color: 'orange', label: 'Warning' },
  ok: { color: 'green', label: 'OK' },
  unknown: { color: 'gray', label: 'Unknown' },
}

/** HealthBadge says how a client account is doing, in words (the colour is only a hint). */
export function HealthBadge({ health }: { health: Health | string }) {
  const h = HEALTH[health as Health] ?? HEALTH.unknown
  return (
    <Badge color={h.color} variant="light" size="sm" styles={badgeNoTruncate} data-health={health}>
      {h.label}
    </Badge>
  )
}

interface Column {
  label: string
  sort?: OverviewSort
  /** the one direction the server sorts this column in */
  dir?: 'ascending' | 'descending'
  /** how the order reads: "worst first" */
  order?: string
  numeric?: boolean
}

const COLUMNS: Column[] = [
  { label: 'Client', sort: 'name', dir: 'ascending', order: 'A to Z' },
  { label: 'Health', sort: 'health', dir: 'descending', order: 'worst first' },
  { label: 'Provider' },
  { label: 'Last sync', sort: 'last_sync', dir: 'ascending', order: 'least recent first' },
  { label: 'Failures 24 h', sort: 'failures', dir: 'descending', order: 'most first', numeric: true },
  { label: 'Success 7 d', sort: 'success_rate', dir: 'ascending', order: 'lowest first' },
  { label: 'Robots offline', numeric: true },
]

function SortHeader({ column, sort, onSort }: { column: Column; sort: OverviewSort; onSort: (s: OverviewSort) => void }) {
  if (!column.sort) {
    return (
      <Table.Th ta={column.numeric ? 'right' : undefined} style={{ whiteSpace: 'nowrap' }}>
        {column.label}
      </Table.Th>
    )
  }
  const active = sort === column.sort
  const Icon = !active ? IconArrowsSort : column.dir === 'ascending' ? IconArrowUp : IconArrowDown
  const key = column.sort
  return (
    <Table.Th aria-sort={active ? column.dir : undefined} ta={column.numeric ? 'right' : undefined} style={{ whiteSpace: 'nowrap' }}>
      <UnstyledButton
        className="sort-button"
        data-active={active || undefined}
        data-numeric={column.numeric || undefined}
        onClick={() => onSort(key)}
        title={`Sort ${column.order}`}
      >
        {column.label}
        <Icon size={14} stroke={2} aria-hidden className="sort-icon" />
      </UnstyledButton>
    </Table.Th>
  )
}

function LastSync({ sync }: { sync: OverviewItem['last_sync'] }) {
  if (!sync) {
    return (
      <Text size="sm" c="dimmed">
        Never
      </Text>
    )
  }
  if (sync.status === 'running') {
    return (
      <Text size="sm" c="blue.8">
        Syncing now
      </Text>
    )
  }
  const failed = sync.status !== 'succeeded'
  return (
    <Stack gap={0} style={{ minWidth: 0 }}>
      <TimeAgo at={sync.ended_at} c={failed ? 'red.8' : undefined} />
      {failed && (
        <Tooltip label={sync.error || syncStatusLabel(sync.status)} multiline maw={360} withArrow disabled={!sync.error}>
          <Text size="xs" c="red.8" lineClamp={2} maw={260} style={{ overflowWrap: 'anywhere' }}>
            {syncStatusLabel(sync.status)}
            {sync.error ? `: ${sync.error}` : ''}
          </Text>
        </Tooltip>
      )}
    </Stack>
  )
}

function SuccessRate({ rate, runs }: { rate: number | null; runs: number }) {
  if (rate === null) {
    return (
      <Text size="sm" c="dimmed">
        No runs
      </Text>
    )
  }
  const color = rate >= 0.95 ? 'green' : rate >= 0.8 ? 'yellow' : 'red'
  return (
    <Group gap="xs" wrap="nowrap">
      <Progress value={rate * 100} color={color} size={6} radius="xl" w={56} aria-hidden />
      <Text size="sm" fw={500} title={`${runs.toLocaleString()} runs in 7 days`}>
        {formatRate(rate)}
      </Text>
    </Group>
  )
}

function Count({ n }: { n: number }) {
  return (
    <Text size="sm" ta="right" fw={n > 0 ? 700 : 400} c={n > 0 ? 'red.8' : 'dimmed'}>
      {n.toLocaleString()}
    </Text>
  )
}

function Row({ item }: { item: OverviewItem }) {
  const a = item.account
  const navigate = useNavigate()
  return (
    <Table.Tr
      data-health={item.health}
      data-status={a.status}
      // The whole row is a target for the mouse; keyboards and screen readers use the name's link.
      onClick={(e) => {
        if (!(e.target as HTMLElement).closest('a, button')) void navigate(`/${a.slug}`)
      }}
      style={{ cursor: 'pointer' }}
    >
      <Table.Td>
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
              {a.status === 'deactivated' ? ' · deactivated' : ''}
            </Text>
          </Box>
        </Group>
      </Table.Td>
      <Table.Td>
        <HealthBadge health={item.health} />
      </Table.Td>
      <Table.Td>
        <Text size="sm" c={item.provider ? undefined : 'dimmed'} style={{ whiteSpace: 'nowrap' }}>
          {providerName(item.provider)}
        </Text>
      </Table.Td>
      <Table.Td>
        <LastSync sync={item.last_sync} />
      </Table.Td>
      <Table.Td>
        <Count n={item.failures_24h} />
      </Table.Td>
      <Table.Td>
        <SuccessRate rate={item.success_rate_7d} runs={item.runs_7d} />
      </Table.Td>
      <Table.Td>
        <Count n={item.robots_offline} />
      </Table.Td>
    </Table.Tr>
  )
}

function SkeletonRows() {
  return (
    <>
      {[0, 1, 2].map((i) => (
        <Table.Tr key={i}>
          {COLUMNS.map((c) => (
            <Table.Td key={c.label}>
              <Skeleton height={12} width={c.label === 'Client' ? `${60 + i * 10}%` : 56} radius="sm" />
            </Table.Td>
          ))}
        </Table.Tr>
      ))}
    </>
  )
}

/**
 * ClientHealth is the staff overview: every client account with its health,
 * worst first, sortable (the server sorts; the order is in the address bar
 * as ?sort=), refreshed every 30 seconds. Each row leads to the account's
 * dashboard.
 */
export function ClientHealth() {
  const [params, setParams] = useSearchParams()
  const sort = overviewSortFrom(params)
  const q = useOverview(sort)
  const current = COLUMNS.find((c) => c.sort === sort)!

  const onSort = (s: OverviewSort) => {
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev)
        if (s === 'health') next.delete('sort')
        else next.set('sort', s)
        return next
      },
      { replace: true },
    )
  }

  const items = q.data?.items
  const counts = items ? countHealth(items) : null

  return (
    <Stack gap="sm" component="section" aria-labelledby="client-health-heading">
      <Group justify="space-between" align="flex-end" gap="sm">
        <Stack gap={2}>
          <Group gap="xs">
            <IconHeartRateMonitor size={20} stroke={1.7} aria-hidden />
            <Title order={2} fz="lg" id="client-health-heading">
              Client health
            </Title>
          </Group>
          <Text size="sm" c="dimmed" data-testid="health-counts">
            {counts
              ? `${counts.critical} critical · ${counts.warning} warning · ${counts.ok} OK${counts.unknown ? ` · ${counts.unknown} unknown` : ''}`
              : ' '}
          </Text>
        </Stack>
        <Anchor component={Link} to="/accounts" size="sm" fw={500}>
          <Group gap={4}>
            Manage accounts <IconArrowRight size={14} aria-hidden />
          </Group>
        </Anchor>
      </Group>
      {q.isError && !q.data ? (
        <ErrorState error={q.error} title="Could not load the client overview" onRetry={() => void q.refetch()} retrying={q.isFetching} />
      ) : items && items.length === 0 ? (
        <Paper withBorder p="xl">
          <EmptyState variant="light">
            <EmptyState.Indicator>
              <IconBuildingSkyscraper size={26} stroke={1.6} aria-hidden />
            </EmptyState.Indicator>
            <EmptyState.Title order={3}>No client accounts yet</EmptyState.Title>
            <EmptyState.Description>
              Each client gets its own account, connected to its RPA tool. Their health shows here once they sync.
            </EmptyState.Description>
            <EmptyState.Actions>
              <Button component={Link} to="/accounts">
                Go to client accounts
              </Button>
            </EmptyState.Actions>
          </EmptyState>
        </Paper>
      ) : (
        <Paper withBorder radius="lg" style={{ overflow: 'hidden' }}>
          <Table.ScrollContainer minWidth={860} type="native">
            <Table verticalSpacing="sm" horizontalSpacing="md" highlightOnHover aria-busy={q.isFetching && !items ? true : undefined}>
              <VisuallyHidden component="caption">
                Client accounts by health, sorted by {current.label.toLowerCase()}, {current.order}. Refreshed every{' '}
                {OVERVIEW_REFRESH_MS / 1000} seconds.
              </VisuallyHidden>
              <Table.Thead>
                <Table.Tr>
                  {COLUMNS.map((c) => (
                    <SortHeader key={c.label} column={c} sort={sort} onSort={onSort} />
                  ))}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>{items ? items.map((i) => <Row key={i.account.id} item={i} />) : <SkeletonRows />}</Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
      )}
    </Stack>
  )
}

function countHealth(items: OverviewItem[]): Record<Health, number> {
  const c: Record<Health, number> = { critical: 0, warning: 0, ok: 0, unknown: 0 }
  for (const i of items) c[(i.health in c ? i.health : 'unknown') as Health]++
  return c
}

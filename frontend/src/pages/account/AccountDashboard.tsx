import {
  Anchor,
  Box,
  Button,
  Card,
  EmptyState,
  Group,
  Paper,
  RingProgress,
  SegmentedControl,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  ThemeIcon,
  Title,
} from '@mantine/core'
import {
  IconActivity,
  IconAlertTriangle,
  IconArrowRight,
  IconClockPlay,
  IconHourglassHigh,
  IconPlugConnectedX,
  IconRefresh,
} from '@tabler/icons-react'
import { useRef, type ReactNode } from 'react'
import { Link, useSearchParams } from 'react-router'
import { useConnection } from '../../api/connection'
import { useDashboard, type Dashboard, type DashboardDays } from '../../api/dashboard'
import type { Account } from '../../api/types'
import { BarList } from '../../components/charts/BarList'
import { ProportionBar } from '../../components/charts/ProportionBar'
import { StackedBarChart, type Series } from '../../components/charts/StackedBarChart'
import { SyncStatusBadge } from '../../components/EstateBadges'
import { ErrorState } from '../../components/ErrorState'
import { JOB_STATE_COLORS } from '../../components/JobStateBadge'
import { useCan } from '../../components/meContext'
import { SyncNowButton } from '../../components/SyncNowButton'
import { TimeAgo } from '../../components/TimeAgo'
import { dayLabel, daySentence, daysFrom, formatRate, trendSummary } from '../../lib/dashboard'
import { plural } from '../../lib/format'

/** How often the dashboard looks again: while waiting for the first data, and otherwise. */
export const DASHBOARD_POLL = { waitingMs: 10_000, idleMs: 60_000 }

const SERIES: Series[] = [
  { key: 'successful', label: 'Successful', color: JOB_STATE_COLORS.successful },
  { key: 'faulted', label: 'Faulted', color: JOB_STATE_COLORS.faulted },
  { key: 'stopped', label: 'Stopped', color: JOB_STATE_COLORS.stopped },
  { key: 'other', label: 'Other', color: 'blue' },
]

/** noRunsYet: nothing to chart and no sync has finished yet, so the account is new (or not connected). */
export function noRunsYet(d: Dashboard): boolean {
  const finishedSync = d.last_sync !== null && d.last_sync.status !== 'running'
  return d.totals.runs === 0 && !finishedSync && d.daily.every((x) => x.successful + x.faulted + x.stopped + x.other === 0)
}

/**
 * AccountDashboard is the account's landing content: KPIs for a period (7
 * or 30 days, kept in the address bar as ?days=), the daily trend, failures
 * by process, robots and the last sync. A new account gets an empty state
 * that says what comes next, and looks again every 10 s until data arrives.
 */
export function AccountDashboard({ account }: { account: Account }) {
  const [params, setParams] = useSearchParams()
  const days = daysFrom(params)
  const canConnection = useCan('connection:read')
  const active = account.status === 'active'
  // Whether the account is connected, when the person may know (for the empty state); read by the poll below.
  const connectedRef = useRef<boolean | undefined>(undefined)
  // While there is nothing yet, look again often (unless nothing can arrive: not connected, deactivated).
  const q = useDashboard(account.slug, days, {
    refetchInterval: (d) =>
      !active || !d ? false : noRunsYet(d) ? (connectedRef.current === false ? false : DASHBOARD_POLL.waitingMs) : DASHBOARD_POLL.idleMs,
  })
  const waiting = q.data ? noRunsYet(q.data) : false
  // The dashboard says whether the account is connected; older servers did not, so ask the connection then.
  const askConnection = canConnection && waiting && q.data?.connected === undefined
  const connection = useConnection(account.slug, askConnection)
  const connected = q.data?.connected ?? (canConnection && connection.data ? connection.data.provider !== null : undefined)
  connectedRef.current = connected
  // Nothing yet: which empty state depends on the connection, so wait for it rather than show the wrong one first.
  const checking = askConnection && connection.isPending

  const setDays = (value: string) => {
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev)
        if (value === '7') next.delete('days')
        else next.set('days', value)
        return next
      },
      { replace: true },
    )
  }

  return (
    <Stack gap="md" component="section" aria-labelledby="dashboard-heading">
      <Group justify="space-between" align="center" gap="sm" wrap="wrap">
        <Title order={2} fz="lg" id="dashboard-heading">
          Dashboard
        </Title>
        <SegmentedControl
          aria-label="Period"
          size="sm"
          value={String(days)}
          onChange={setDays}
          data={[
            { label: 'Last 7 days', value: '7' },
            { label: 'Last 30 days', value: '30' },
          ]}
        />
      </Group>
      {q.isError && !q.data ? (
        <ErrorState error={q.error} title="Could not load the dashboard" onRetry={() => void q.refetch()} retrying={q.isFetching} />
      ) : !q.data || checking ? (
        <DashboardSkeleton />
      ) : noRunsYet(q.data) ? (
        <NoRunsYet slug={account.slug} sync={q.data.last_sync} connected={connected} active={active} />
      ) : (
        <Box aria-busy={q.isPlaceholderData || undefined} style={{ opacity: q.isPlaceholderData ? 0.6 : 1, transition: 'opacity 120ms' }}>
          <Figures slug={account.slug} d={q.data} days={days} />
        </Box>
      )}
    </Stack>
  )
}

function Figures({ slug, d, days }: { slug: string; d: Dashboard; days: DashboardDays }) {
  const period = `the last ${days} days`
  const jobs = `/${slug}/jobs`
  return (
    <Stack gap="md">
      <Kpis slug={slug} d={d} period={period} />
      <Card aria-labelledby="trend-heading">
        <Group justify="space-between" mb="sm" gap="xs">
          <Title order={3} fz="md" id="trend-heading">
            Daily runs
          </Title>
          <Anchor component={Link} to={jobs} size="sm" fw={500}>
            <Group gap={4} wrap="nowrap">
              All jobs <IconArrowRight size={14} aria-hidden />
            </Group>
          </Anchor>
        </Group>
        <StackedBarChart
          series={SERIES}
          summary={trendSummary(d.daily)}
          caption={`Runs per day over ${period}, by state`}
          bars={d.daily.map((x) => ({
            key: x.date,
            label: dayLabel(x.date, days > 7 ? 'short' : 'weekday'),
            longLabel: dayLabel(x.date, 'long'),
            values: { successful: x.successful, faulted: x.faulted, stopped: x.stopped, other: x.other },
            sentence: daySentence(x),
          }))}
        />
      </Card>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <FailuresCard slug={slug} d={d} period={period} />
        <Stack gap="md">
          <RobotsCard slug={slug} d={d} />
          <LastSyncCard slug={slug} d={d} />
        </Stack>
      </SimpleGrid>
    </Stack>
  )
}

// --- KPIs ---------------------------------------------------------------------------

function Kpi({ label, value, hint, icon, aside, tone }: { label: string; value: ReactNode; hint?: ReactNode; icon?: ReactNode; aside?: ReactNode; tone?: string }) {
  return (
    <Paper withBorder p="md" radius="lg" data-testid={`kpi-${label.toLowerCase().replace(/\s+/g, '-')}`}>
      <Group gap="sm" wrap="nowrap" align="center" justify="space-between">
        <Stack gap={2} style={{ minWidth: 0 }}>
          <Group gap={6} wrap="nowrap">
            {icon && (
              <ThemeIcon size={22} radius="sm" variant="light" color={tone ?? 'bureau'} aria-hidden>
                {icon}
              </ThemeIcon>
            )}
            <Text size="xs" c="dimmed" fw={500}>
              {label}
            </Text>
          </Group>
          <Text fz={{ base: 22, sm: 26 }} fw={700} lh={1.2} c={tone === 'red' ? 'red.8' : undefined}>
            {value}
          </Text>
          {hint && (
            <Text size="xs" c="dimmed">
              {hint}
            </Text>
          )}
        </Stack>
        {aside}
      </Group>
    </Paper>
  )
}

function rateColor(rate: number): string {
  if (rate >= 0.95) return 'green'
  if (rate >= 0.8) return 'yellow'
  return 'red'
}

function Kpis({ slug, d, period }: { slug: string; d: Dashboard; period: string }) {
  const t = d.totals
  const rate = t.success_rate
  return (
    <SimpleGrid cols={{ base: 2, md: 4 }} spacing={{ base: 'sm', sm: 'md' }}>
      <Kpi label="Runs" icon={<IconActivity size={14} />} value={t.runs.toLocaleString()} hint={`In ${period}`} />
      <Kpi
        label="Success rate"
        value={formatRate(rate)}
        hint={rate === null ? 'No finished runs' : `${plural(t.successful, 'successful run')}`}
        aside={
          <RingProgress
            size={56}
            thickness={6}
            roundCaps
            aria-hidden
            sections={rate === null ? [] : [{ value: Math.round(rate * 1000) / 10, color: rateColor(rate) }]}
            rootColor="var(--mantine-color-gray-2)"
          />
        }
      />
      <Kpi
        label="Failures"
        icon={<IconAlertTriangle size={14} />}
        tone={t.faulted > 0 ? 'red' : 'gray'}
        value={t.faulted.toLocaleString()}
        hint={
          t.faulted > 0 ? (
            <Anchor component={Link} to={`/${slug}/jobs?state=faulted`} size="xs">
              View faulted jobs
            </Anchor>
          ) : (
            'No faulted runs'
          )
        }
      />
      <Kpi
        label="Running now"
        icon={<IconClockPlay size={14} />}
        tone="blue"
        value={t.running.toLocaleString()}
        hint={`${t.pending.toLocaleString()} pending`}
      />
    </SimpleGrid>
  )
}

// --- cards --------------------------------------------------------------------------

function CardTitle({ id, children, link }: { id: string; children: ReactNode; link?: { to: string; label: string } }) {
  return (
    <Group justify="space-between" mb="md" gap="xs">
      <Title order={3} fz="md" id={id}>
        {children}
      </Title>
      {link && (
        <Anchor component={Link} to={link.to} size="sm" fw={500}>
          <Group gap={4} wrap="nowrap">
            {link.label} <IconArrowRight size={14} aria-hidden />
          </Group>
        </Anchor>
      )}
    </Group>
  )
}

function FailuresCard({ slug, d, period }: { slug: string; d: Dashboard; period: string }) {
  const items = d.failures_by_process.filter((f) => f.failures > 0)
  return (
    <Card aria-labelledby="failures-heading">
      <CardTitle id="failures-heading" link={items.length > 0 ? { to: `/${slug}/jobs?state=faulted`, label: 'All failures' } : undefined}>
        Failures by process
      </CardTitle>
      {items.length === 0 ? (
        <Text size="sm" c="dimmed">
          No failed runs in {period}.
        </Text>
      ) : (
        <BarList
          label={`Processes with the most failures in ${period}`}
          color={JOB_STATE_COLORS.faulted}
          items={items.map((f) => ({
            key: f.process_id,
            label: f.name,
            value: f.failures,
            detail: `${f.failures.toLocaleString()} of ${plural(f.runs, 'run')}`,
            tooltip: `${f.name}: ${plural(f.failures, 'failure')} in ${plural(f.runs, 'run')} (${formatRate(f.runs > 0 ? f.failures / f.runs : null)}). Open its faulted jobs.`,
            to: `/${slug}/jobs?process=${encodeURIComponent(f.process_id)}&state=faulted`,
          }))}
        />
      )}
    </Card>
  )
}

function RobotsCard({ slug, d }: { slug: string; d: Dashboard }) {
  const r = d.robots
  const total = r.available + r.busy + r.offline + r.unknown
  const segments = [
    { key: 'available', label: 'Available', value: r.available, color: 'green' },
    { key: 'busy', label: 'Busy', value: r.busy, color: 'blue' },
    { key: 'offline', label: 'Offline', value: r.offline, color: 'red' },
  ]
  if (r.unknown > 0) segments.push({ key: 'unknown', label: 'Unknown', value: r.unknown, color: 'gray' })
  return (
    <Card aria-labelledby="robots-heading">
      <CardTitle id="robots-heading" link={{ to: `/${slug}/robots`, label: 'Robots' }}>
        Robot status
      </CardTitle>
      {total === 0 ? (
        <Text size="sm" c="dimmed">
          No robots yet.
        </Text>
      ) : (
        <ProportionBar label={`${plural(total, 'robot')}`} segments={segments} />
      )}
    </Card>
  )
}

function LastSyncCard({ slug, d }: { slug: string; d: Dashboard }) {
  const s = d.last_sync
  const failed = s !== null && s.status !== 'succeeded' && s.status !== 'running'
  return (
    <Card aria-labelledby="last-sync-heading" data-testid="last-sync">
      <CardTitle id="last-sync-heading" link={{ to: `/${slug}/sync-runs`, label: 'Sync history' }}>
        Last sync
      </CardTitle>
      {s === null ? (
        <Text size="sm" c="dimmed">
          No sync yet.
        </Text>
      ) : (
        <Stack gap={6}>
          <Group gap="sm" wrap="wrap">
            <SyncStatusBadge status={s.status} />
            <Text size="sm" c="dimmed">
              {s.status === 'running' ? 'started ' : ''}
              <TimeAgo at={s.ended_at ?? s.started_at} />
            </Text>
          </Group>
          {failed && s.error && (
            <Text size="sm" c="red.8" style={{ overflowWrap: 'anywhere' }}>
              {s.error}
            </Text>
          )}
        </Stack>
      )}
      <Group mt="md">
        <SyncNowButton account={slug} size="xs" />
      </Group>
    </Card>
  )
}

// --- loading and empty ------------------------------------------------------------------

function DashboardSkeleton() {
  return (
    <Stack gap="md" aria-busy="true" aria-label="Loading the dashboard">
      <SimpleGrid cols={{ base: 2, md: 4 }} spacing={{ base: 'sm', sm: 'md' }}>
        {[0, 1, 2, 3].map((i) => (
          <Skeleton key={i} height={96} radius="lg" />
        ))}
      </SimpleGrid>
      <Skeleton height={300} radius="lg" />
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <Skeleton height={220} radius="lg" />
        <Skeleton height={220} radius="lg" />
      </SimpleGrid>
    </Stack>
  )
}

function NoRunsYet({
  slug,
  sync,
  connected,
  active,
}: {
  slug: string
  sync: Dashboard['last_sync']
  connected: boolean | undefined
  active: boolean
}) {
  const canUpdate = useCan('connection:update')
  let icon = <IconHourglassHigh size={26} stroke={1.6} aria-hidden />
  let title: string
  let text: string
  let action: ReactNode = null
  if (connected === false) {
    icon = <IconPlugConnectedX size={26} stroke={1.6} aria-hidden />
    title = 'Not connected yet'
    text = canUpdate
      ? 'Connect this account to the RPA tool its automations run on. Bureau then syncs its processes, jobs, robots and schedules, and this dashboard fills up.'
      : 'This account is not connected to its RPA tool yet. Once it is, its runs, failures and robots show here.'
    action = (
      <Button component={Link} to={`/${slug}/connection`} variant={canUpdate ? 'filled' : 'light'}>
        {canUpdate ? 'Set up the connection' : 'View the connection'}
      </Button>
    )
  } else if (!active) {
    title = 'No runs yet'
    text = 'This account is deactivated, so no syncs run. Its runs would show here.'
  } else if (sync?.status === 'running') {
    title = 'Syncing now'
    text = 'Bureau is reading processes, jobs, robots and schedules from the RPA tool. The dashboard fills up as soon as the sync is done.'
  } else if (connected) {
    title = 'The first sync is on its way'
    text = 'The account is connected. Bureau reads its processes, jobs, robots and schedules within a few minutes; this page updates on its own.'
    action = <SyncNowButton account={slug} />
  } else {
    title = 'No runs yet'
    text = 'Once this account’s RPA tool is connected and synced, its runs, failures and robots show here. This page updates on its own.'
  }
  return (
    <Paper withBorder p="xl" data-testid="dashboard-empty">
      <EmptyState variant="light">
        <EmptyState.Indicator>{icon}</EmptyState.Indicator>
        <EmptyState.Title order={3}>{title}</EmptyState.Title>
        <EmptyState.Description>{text}</EmptyState.Description>
        {action && <EmptyState.Actions>{action}</EmptyState.Actions>}
        {active && connected !== false && (
          <Group gap={6} justify="center" mt="sm">
            <IconRefresh size={14} aria-hidden color="var(--mantine-color-dimmed)" />
            <Text size="xs" c="dimmed">
              Checking again every {DASHBOARD_POLL.waitingMs / 1000} seconds
            </Text>
          </Group>
        )}
      </EmptyState>
    </Paper>
  )
}

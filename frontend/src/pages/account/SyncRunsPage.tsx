import { Stack, Table, Text, Tooltip } from '@mantine/core'
import { IconHistory } from '@tabler/icons-react'
import { rowsOf, useSyncRuns, type SyncRun, type SyncTrigger } from '../../api/estate'
import { SyncStatusBadge } from '../../components/EstateBadges'
import { EmptyPanel, EstateTable, ListError, LoadMore } from '../../components/EstateTable'
import { useCan } from '../../components/meContext'
import { SyncNowButton } from '../../components/SyncNowButton'
import { TimeAgo } from '../../components/TimeAgo'
import { formatDuration, secondsBetween } from '../../lib/estate'
import { plural } from '../../lib/format'
import { NotFoundPage } from '../NotFoundPage'
import { AccountHeader, DeactivatedBanner } from './AccountLayout'
import { useAccountContext } from './accountContext'
import { useSectionTitle } from './estateCommon'

const TRIGGERS: Record<SyncTrigger, string> = { cron: 'Scheduled', manual: 'Manual', setup: 'Setup' }

const COLUMNS = [
  { label: 'Trigger' },
  { label: 'Status' },
  { label: 'Started' },
  { label: 'Duration' },
  { label: 'Read' },
  { label: 'Changed' },
  { label: 'Error' },
]

function counts(r: SyncRun): string {
  const c = r.counts
  if (!c) return '—'
  return `${plural(c.processes, 'process', 'processes')} · ${plural(c.jobs, 'job')} · ${plural(c.robots, 'robot')} · ${plural(c.schedules, 'schedule')}`
}

/** /:accountSlug/sync-runs — every sync of the account: when, how long, what it read and changed, why it failed. */
export function SyncRunsPage() {
  const { account } = useAccountContext()
  const canRead = useCan('data:read')
  const list = useSyncRuns(account.slug, { enabled: canRead })
  useSectionTitle('Sync history', account)
  if (!canRead) return <NotFoundPage />
  const rows = rowsOf(list.data)
  // An empty list offers Sync now itself: one button of that name per page.
  const empty = !list.isError && rows?.length === 0

  return (
    <Stack gap="lg">
      <AccountHeader account={account} section="Sync history" actions={empty ? undefined : <SyncNowButton account={account.slug} />} />
      <DeactivatedBanner account={account} />
      {list.isError ? (
        <ListError query={list} title="Could not load the sync history" />
      ) : rows && rows.length === 0 ? (
        <EmptyPanel
          icon={<IconHistory size={26} stroke={1.6} aria-hidden />}
          title="No syncs yet"
          actions={<SyncNowButton account={account.slug} variant="filled" />}
        >
          Once the account is connected, Bureau syncs it every few minutes; each sync is recorded here with what it read and
          changed.
        </EmptyPanel>
      ) : (
        <>
          <EstateTable label="Sync history" columns={COLUMNS} minWidth={960} loading={!rows}>
            {rows?.map((r) => (
              <Table.Tr key={r.id} data-status={r.status}>
                <Table.Td>
                  <Text size="sm">{TRIGGERS[r.trigger as SyncTrigger] ?? r.trigger}</Text>
                  {r.attempts > 1 && (
                    <Text size="xs" c="dimmed">
                      {r.attempts} attempts
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <SyncStatusBadge status={r.status} />
                </Table.Td>
                <Table.Td>
                  <TimeAgo at={r.started_at} />
                </Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  <Text size="sm">
                    {r.status === 'running'
                      ? `${formatDuration(secondsBetween(r.started_at, null))} so far`
                      : formatDuration(secondsBetween(r.started_at, r.ended_at))}
                  </Text>
                </Table.Td>
                <Table.Td style={{ minWidth: 200 }}>
                  <Text size="xs">{counts(r)}</Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{r.changed.toLocaleString()}</Text>
                </Table.Td>
                <Table.Td style={{ minWidth: 180, maxWidth: 320 }}>
                  {r.error || r.error_code ? (
                    <Tooltip label={r.error || r.error_code} multiline maw={420} withArrow>
                      <Text size="xs" c="red.8" lineClamp={2} tabIndex={0}>
                        {r.error_code && <strong>{r.error_code}: </strong>}
                        {r.error}
                      </Text>
                    </Tooltip>
                  ) : (
                    <Text size="sm" c="dimmed">
                      —
                    </Text>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </EstateTable>
          <LoadMore
            shown={rows?.length ?? 0}
            noun={['sync', 'syncs']}
            hasMore={!!list.hasNextPage}
            loading={list.isFetchingNextPage}
            onMore={() => void list.fetchNextPage()}
          />
        </>
      )}
    </Stack>
  )
}

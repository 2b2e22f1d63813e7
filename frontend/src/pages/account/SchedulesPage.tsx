import { Anchor, Code, Stack, Table, Text } from '@mantine/core'
import { IconCalendarTime } from '@tabler/icons-react'
import { Link } from 'react-router'
import { rowsOf, useCursorList, type Schedule } from '../../api/estate'
import { EnabledBadge } from '../../components/EstateBadges'
import { EmptyPanel, EstateTable, ListError, LoadMore } from '../../components/EstateTable'
import { useCan, useCurrentMe } from '../../components/meContext'
import { SyncNowButton } from '../../components/SyncNowButton'
import { TimeAgo } from '../../components/TimeAgo'
import { NotFoundPage } from '../NotFoundPage'
import { AccountHeader, DeactivatedBanner } from './AccountLayout'
import { useAccountContext } from './accountContext'
import { onlyAssigned, useSectionTitle } from './estateCommon'

const COLUMNS = [{ label: 'Schedule' }, { label: 'Process' }, { label: 'Enabled' }, { label: 'When' }, { label: 'Next run' }]

/** /:accountSlug/schedules — when the RPA tool starts the account's processes on its own. */
export function SchedulesPage() {
  const { account } = useAccountContext()
  const me = useCurrentMe()
  const canRead = useCan('data:read')
  const list = useCursorList<Schedule>(account.slug, 'schedules', {}, { enabled: canRead })
  useSectionTitle('Schedules', account)
  if (!canRead) return <NotFoundPage />
  const rows = rowsOf(list.data)
  // An empty list offers Sync now itself: one button of that name per page.
  const empty = !list.isError && rows?.length === 0

  return (
    <Stack gap="lg">
      <AccountHeader account={account} section="Schedules" actions={empty ? undefined : <SyncNowButton account={account.slug} />} />
      <DeactivatedBanner account={account} />
      {list.isError ? (
        <ListError query={list} title="Could not load the schedules" />
      ) : rows && rows.length === 0 ? (
        <EmptyPanel
          icon={<IconCalendarTime size={26} stroke={1.6} aria-hidden />}
          title="No schedules yet"
          actions={<SyncNowButton account={account.slug} variant="filled" />}
        >
          {onlyAssigned(me)
            ? 'The schedules of the processes assigned to you show here.'
            : 'Schedules (triggers) set up in the RPA tool show here once the account is connected and synced, with when each runs next.'}
        </EmptyPanel>
      ) : (
        <>
          <EstateTable label="Schedules" columns={COLUMNS} minWidth={820} loading={!rows}>
            {rows?.map((s) => (
              <Table.Tr key={s.id} data-enabled={s.enabled}>
                <Table.Td style={{ minWidth: 180, maxWidth: 300 }}>
                  <Text size="sm" fw={600} style={{ overflowWrap: 'anywhere' }}>
                    {s.name || s.ref}
                  </Text>
                </Table.Td>
                <Table.Td style={{ minWidth: 160 }}>
                  {s.process_id ? (
                    <Anchor component={Link} to={`/${account.slug}/jobs?process=${encodeURIComponent(s.process_id)}`} size="sm">
                      {s.process_name || s.process_ref}
                    </Anchor>
                  ) : (
                    <Text size="sm">{s.process_name || s.process_ref || '—'}</Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <EnabledBadge enabled={s.enabled} />
                </Table.Td>
                <Table.Td style={{ minWidth: 180 }}>
                  <Text size="sm">{s.summary || '—'}</Text>
                  {(s.cron || s.timezone) && (
                    <Text size="xs" c="dimmed">
                      {s.cron && <Code>{s.cron}</Code>} {s.timezone}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>{s.enabled ? <TimeAgo at={s.next_run_at} /> : <Text size="sm" c="dimmed">Not while disabled</Text>}</Table.Td>
              </Table.Tr>
            ))}
          </EstateTable>
          <LoadMore
            shown={rows?.length ?? 0}
            noun={['schedule', 'schedules']}
            hasMore={!!list.hasNextPage}
            loading={list.isFetchingNextPage}
            onMore={() => void list.fetchNextPage()}
          />
        </>
      )}
    </Stack>
  )
}

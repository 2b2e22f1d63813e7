import { Stack, Table, Text } from '@mantine/core'
import { IconRobot } from '@tabler/icons-react'
import { rowsOf, useCursorList, type Robot } from '../../api/estate'
import { RobotStatusBadge } from '../../components/EstateBadges'
import { EmptyPanel, EstateTable, ListError, LoadMore } from '../../components/EstateTable'
import { useCan } from '../../components/meContext'
import { SyncNowButton } from '../../components/SyncNowButton'
import { TimeAgo } from '../../components/TimeAgo'
import { NotFoundPage } from '../NotFoundPage'
import { AccountHeader, DeactivatedBanner } from './AccountLayout'
import { useAccountContext } from './accountContext'
import { useSectionTitle } from './estateCommon'

const COLUMNS = [{ label: 'Robot' }, { label: 'Status' }, { label: 'Machine' }, { label: 'Last seen' }, { label: 'Updated' }]

/** /:accountSlug/robots — the machines that run the account's processes, and whether they are up. */
export function RobotsPage() {
  const { account } = useAccountContext()
  const canRead = useCan('data:read')
  const list = useCursorList<Robot>(account.slug, 'robots', {}, { enabled: canRead })
  useSectionTitle('Robots', account)
  if (!canRead) return <NotFoundPage />
  const rows = rowsOf(list.data)
  // An empty list offers Sync now itself: one button of that name per page.
  const empty = !list.isError && rows?.length === 0

  return (
    <Stack gap="lg">
      <AccountHeader account={account} section="Robots" actions={empty ? undefined : <SyncNowButton account={account.slug} />} />
      <DeactivatedBanner account={account} />
      {list.isError ? (
        <ListError query={list} title="Could not load the robots" />
      ) : rows && rows.length === 0 ? (
        <EmptyPanel
          icon={<IconRobot size={26} stroke={1.6} aria-hidden />}
          title="No robots yet"
          actions={<SyncNowButton account={account.slug} variant="filled" />}
        >
          Robots show here once the account is connected to its RPA tool and synced, with whether each is available, busy or
          offline.
        </EmptyPanel>
      ) : (
        <>
          <EstateTable label="Robots" columns={COLUMNS} minWidth={720} loading={!rows}>
            {rows?.map((r) => (
              <Table.Tr key={r.id} data-status={r.status}>
                <Table.Td style={{ minWidth: 180 }}>
                  <Text size="sm" fw={600}>
                    {r.name || r.ref}
                  </Text>
                  {r.name && r.ref !== r.name && (
                    <Text size="xs" c="dimmed" ff="monospace" truncate="end" maw={260} title={r.ref}>
                      {r.ref}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  <RobotStatusBadge status={r.status} />
                  {r.raw_status && r.raw_status.toLowerCase() !== r.status && (
                    <Text size="xs" c="dimmed" mt={2}>
                      {r.raw_status}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Text size="sm" c={r.machine ? undefined : 'dimmed'}>
                    {r.machine || '—'}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <TimeAgo at={r.last_seen_at} />
                </Table.Td>
                <Table.Td>
                  <TimeAgo at={r.updated_at} />
                </Table.Td>
              </Table.Tr>
            ))}
          </EstateTable>
          <LoadMore
            shown={rows?.length ?? 0}
            noun={['robot', 'robots']}
            hasMore={!!list.hasNextPage}
            loading={list.isFetchingNextPage}
            onMore={() => void list.fetchNextPage()}
          />
        </>
      )}
    </Stack>
  )
}

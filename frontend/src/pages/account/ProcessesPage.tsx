import { Anchor, Button, CloseButton, Group, Stack, Table, Text, TextInput } from '@mantine/core'
import { useDebouncedValue } from '@mantine/hooks'
import { IconFilterOff, IconPlayerPlay, IconPlugConnected, IconRobot, IconSearch, IconUserShare } from '@tabler/icons-react'
import { Fragment, useState } from 'react'
import { Link } from 'react-router'
import { rowsOf, useCursorList, type Process } from '../../api/estate'
import type { Account } from '../../api/types'
import { AssignProcessModal } from '../../components/AssignProcessModal'
import { EmptyPanel, EstateTable, ListError, LoadMore, type Column } from '../../components/EstateTable'
import { JobStateBadge } from '../../components/JobStateBadge'
import { useCan, useCurrentMe } from '../../components/meContext'
import { RunProcessModal } from '../../components/RunProcessModal'
import { SyncNowButton } from '../../components/SyncNowButton'
import { TimeAgo } from '../../components/TimeAgo'
import { NotFoundPage } from '../NotFoundPage'
import { AccountHeader, DeactivatedBanner } from './AccountLayout'
import { useAccountContext } from './accountContext'
import { onlyAssigned, useSectionTitle } from './estateCommon'

type Dialog = { kind: 'run' | 'assign'; process: Process } | null

/** /:accountSlug/processes — the account's automations, their recent runs, and manual runs. */
export function ProcessesPage() {
  const { account } = useAccountContext()
  const canRead = useCan('data:read')
  const canRun = useCan('runs:start')
  const canAssign = useCan('processes:assign')
  const [query, setQuery] = useState('')
  const [q] = useDebouncedValue(query.trim(), 300)
  const list = useCursorList<Process>(account.slug, 'processes', { q: q || undefined }, { enabled: canRead })
  const [dialog, setDialog] = useState<Dialog>(null)
  useSectionTitle('Processes', account)

  if (!canRead) return <NotFoundPage />
  const rows = rowsOf(list.data)
  const searching = q !== ''
  // An empty list offers Sync now itself: one button of that name per page.
  const empty = !list.isError && rows?.length === 0 && !searching

  return (
    <Stack gap="lg">
      <AccountHeader account={account} section="Processes" actions={empty ? undefined : <SyncNowButton account={account.slug} />} />
      <DeactivatedBanner account={account} />

      {(searching || (rows && rows.length > 0)) && (
        <Group gap="md" role="search" aria-label="Filter processes">
          <TextInput
            value={query}
            onChange={(e) => setQuery(e.currentTarget.value)}
            placeholder="Search by name"
            aria-label="Search processes"
            leftSection={<IconSearch size={16} aria-hidden />}
            rightSection={query ? <CloseButton size="sm" aria-label="Clear search" onClick={() => setQuery('')} /> : undefined}
            w={{ base: '100%', sm: 360 }}
          />
        </Group>
      )}

      {list.isError ? (
        <ListError query={list} title="Could not load the processes" />
      ) : rows && rows.length === 0 ? (
        searching ? (
          <EmptyPanel icon={<IconFilterOff size={26} stroke={1.6} aria-hidden />} title="No matching processes">
            No process name contains “{q}”.{' '}
            <Anchor component="button" type="button" size="sm" onClick={() => setQuery('')}>
              Show all processes
            </Anchor>
          </EmptyPanel>
        ) : (
          <NoProcesses account={account} />
        )
      ) : (
        <>
          <ProcessTable slug={account.slug} rows={rows} canRun={canRun} canAssign={canAssign} deactivated={account.status === 'deactivated'} onAction={setDialog} />
          <LoadMore
            shown={rows?.length ?? 0}
            noun={['process', 'processes']}
            hasMore={!!list.hasNextPage}
            loading={list.isFetchingNextPage}
            onMore={() => void list.fetchNextPage()}
          />
        </>
      )}

      <RunProcessModal account={account.slug} process={dialog?.kind === 'run' ? dialog.process : null} onClose={() => setDialog(null)} />
      <AssignProcessModal account={account.slug} process={dialog?.kind === 'assign' ? dialog.process : null} onClose={() => setDialog(null)} />
    </Stack>
  )
}

/** NoProcesses explains the empty list: nothing assigned yet, or nothing synced yet (and how to change that). */
function NoProcesses({ account }: { account: Account }) {
  const me = useCurrentMe()
  const canConnection = useCan('connection:read')
  const canSync = useCan('sync:run')
  if (onlyAssigned(me)) {
    return (
      <EmptyPanel icon={<IconRobot size={26} stroke={1.6} aria-hidden />} title="No processes assigned to you yet" testId="processes-empty">
        You see the processes an administrator of {account.name} assigns to you, with their jobs and schedules. Ask them to
        assign the ones you follow.
      </EmptyPanel>
    )
  }
  return (
    <EmptyPanel
      icon={<IconRobot size={26} stroke={1.6} aria-hidden />}
      title="Connect the account and run a sync"
      testId="processes-empty"
      actions={
        (canConnection || canSync) && (
          <>
            {canConnection && (
              <Button component={Link} to={`/${account.slug}/connection`} variant="light" leftSection={<IconPlugConnected size={16} aria-hidden />}>
                Open the connection
              </Button>
            )}
            <SyncNowButton account={account.slug} variant="filled" />
          </>
        )
      }
    >
      No processes yet. Once {account.name} is connected to its RPA tool, Bureau reads its processes, jobs, robots and schedules
      every few minutes{canSync ? ', or now with Sync now' : ''}.
      {!canConnection && !canSync && ' Your consultants set the connection up.'}
    </EmptyPanel>
  )
}

/** FolderPath may break after each slash ("Finance/Accounts Payable"), never inside a name. */
function FolderPath({ path }: { path: string }) {
  const parts = path.split('/')
  return (
    <>
      {parts.map((part, i) => (
        <Fragment key={i}>
          {part}
          {i < parts.length - 1 && (
            <>
              /<wbr />
            </>
          )}
        </Fragment>
      ))}
    </>
  )
}

function ProcessTable({
  slug,
  rows,
  canRun,
  canAssign,
  deactivated,
  onAction,
}: {
  slug: string
  rows: Process[] | undefined
  canRun: boolean
  canAssign: boolean
  deactivated: boolean
  onAction: (d: Dialog) => void
}) {
  const actions = canRun || canAssign
  const columns: Column[] = [
    { label: 'Process' },
    { label: 'Folder' },
    { label: 'Last run' },
    { label: 'Runs (7 days)', wrap: true, w: 96 },
    { label: 'Failures (7 days)', wrap: true, w: 96 },
    ...(actions ? [{ label: 'Actions', hidden: true }] : []),
  ]
  return (
    <EstateTable label="Processes" columns={columns} minWidth={actions ? 860 : 700} loading={!rows}>
      {rows?.map((p) => (
        <Table.Tr key={p.id}>
          <Table.Td style={{ minWidth: 180, maxWidth: 280 }}>
            <Anchor
              component={Link}
              to={`/${slug}/jobs?process=${encodeURIComponent(p.id)}`}
              size="sm"
              fw={600}
              title={`Jobs of ${p.name}`}
              id={`process-${p.id}`}
            >
              {p.name}
            </Anchor>
            {p.description && (
              <Text size="xs" c="dimmed" lineClamp={2}>
                {p.description}
              </Text>
            )}
          </Table.Td>
          <Table.Td style={{ maxWidth: 170 }}>
            <Text size="sm" c={p.folder ? undefined : 'dimmed'}>
              {p.folder ? <FolderPath path={p.folder} /> : '—'}
            </Text>
          </Table.Td>
          <Table.Td style={{ whiteSpace: 'nowrap' }}>
            {p.last_job ? (
              <Group gap={8} wrap="nowrap">
                <JobStateBadge state={p.last_job.state} />
                <Anchor component={Link} to={`/${slug}/jobs/${encodeURIComponent(p.last_job.id)}`} size="sm" c="dimmed" aria-label={`Last job of ${p.name}`}>
                  <TimeAgo at={p.last_job.created_at} />
                </Anchor>
              </Group>
            ) : (
              <Text size="sm" c="dimmed">
                Never run
              </Text>
            )}
          </Table.Td>
          <Table.Td>
            <Text size="sm">{p.runs_7d.toLocaleString()}</Text>
          </Table.Td>
          <Table.Td>
            <Text size="sm" c={p.failures_7d > 0 ? 'red.7' : undefined} fw={p.failures_7d > 0 ? 600 : undefined}>
              {p.failures_7d.toLocaleString()}
            </Text>
          </Table.Td>
          {actions && (
            <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
              <Group gap={6} justify="flex-end" wrap="nowrap">
                {canAssign && (
                  <Button
                    size="xs"
                    variant="default"
                    leftSection={<IconUserShare size={14} aria-hidden />}
                    onClick={() => onAction({ kind: 'assign', process: p })}
                    aria-describedby={`process-${p.id}`}
                  >
                    Assign
                  </Button>
                )}
                {canRun && (
                  <Button
                    size="xs"
                    variant="light"
                    leftSection={<IconPlayerPlay size={14} aria-hidden />}
                    onClick={() => onAction({ kind: 'run', process: p })}
                    disabled={deactivated}
                    title={deactivated ? 'The account is deactivated' : undefined}
                    // The row's process names the button for screen readers: "Run, Invoice processing".
                    aria-describedby={`process-${p.id}`}
                  >
                    Run
                  </Button>
                )}
              </Group>
            </Table.Td>
          )}
        </Table.Tr>
      ))}
    </EstateTable>
  )
}

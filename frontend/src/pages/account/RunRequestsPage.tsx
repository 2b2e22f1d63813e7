import { Anchor, Button, Code, Group, SegmentedControl, Stack, Table, Text, Textarea } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { IconCheck, IconChecklist, IconX } from '@tabler/icons-react'
import { useEffect, useState, type FormEvent } from 'react'
import { Link, useNavigate, type NavigateFunction } from 'react-router'
import { isApiError } from '../../api/client'
import { rowsOf, useCursorList, useDecideRunRequest, type RunRequest } from '../../api/estate'
import { errorMessage } from '../../components/ErrorState'
import { RunRequestStatusBadge } from '../../components/EstateBadges'
import { EmptyPanel, EstateTable, ListError, LoadMore, type Column } from '../../components/EstateTable'
import { FormModal, useLast } from '../../components/FormModal'
import { useCan } from '../../components/meContext'
import { InAppLink } from '../../components/RunProcessModal'
import { TimeAgo } from '../../components/TimeAgo'
import { countdown, isWaiting, sortRunRequests } from '../../lib/estate'
import { NotFoundPage } from '../NotFoundPage'
import { AccountHeader, DeactivatedBanner } from './AccountLayout'
import { useAccountContext } from './accountContext'
import { useSectionTitle } from './estateCommon'
import { FormProblem } from '../../components/FormProblem'

type Show = 'all' | 'pending'

/**
 * decisionRefused tells a decision that came too late: the request expired
 * (410) or someone else decided first (409). null for other failures.
 */
function decisionRefused(e: unknown): { title: string; message: string } | null {
  if (isApiError(e) && (e.status === 410 || e.code === 'run_request_expired')) {
    return { title: 'This request expired', message: 'It waited longer than the account’s approval timeout. Ask for a new run if it is still needed.' }
  }
  if (isApiError(e) && e.code === 'run_request_decided') {
    return { title: 'Already decided', message: 'Someone else approved or rejected this request meanwhile. The list shows its outcome.' }
  }
  return null
}

/** /:accountSlug/run-requests — manual runs waiting for approval, and those decided. */
export function RunRequestsPage() {
  const { account } = useAccountContext()
  const canRead = useCan('data:read')
  const canApprove = useCan('runs:approve')
  const [show, setShow] = useState<Show>('all')
  const list = useCursorList<RunRequest>(account.slug, 'run-requests', { status: show === 'pending' ? 'pending' : undefined }, { enabled: canRead })
  const [rejecting, setRejecting] = useState<RunRequest | null>(null)
  const now = useNow(1000)
  useSectionTitle('Run requests', account)
  if (!canRead) return <NotFoundPage />
  const loaded = rowsOf(list.data)
  const rows = loaded ? sortRunRequests(loaded, now) : undefined

  return (
    <Stack gap="lg">
      <AccountHeader account={account} section="Run requests" />
      <DeactivatedBanner account={account} />
      <Group justify="space-between" gap="md" wrap="wrap">
        <Text size="sm" c="dimmed" maw={620}>
          When the account requires approval, a Client’s manual run waits here until the firm’s staff or an Account Admin approves
          it; unanswered requests expire after the approval timeout.
        </Text>
        <SegmentedControl
          aria-label="Show"
          value={show}
          onChange={(v) => setShow(v as Show)}
          data={[
            { value: 'all', label: 'All requests' },
            { value: 'pending', label: 'Pending' },
          ]}
        />
      </Group>
      {list.isError ? (
        <ListError query={list} title="Could not load the run requests" />
      ) : rows && rows.length === 0 ? (
        <EmptyPanel icon={<IconChecklist size={26} stroke={1.6} aria-hidden />} title={show === 'pending' ? 'Nothing waits for a decision' : 'No run requests yet'}>
          {show === 'pending'
            ? 'Every request has been decided. New ones show here as Clients ask for runs.'
            : 'Requests show here when a Client starts a process while the account requires approval for manual runs (Settings).'}
        </EmptyPanel>
      ) : (
        <>
          <RequestTable slug={account.slug} rows={rows} now={now} canApprove={canApprove} onReject={setRejecting} />
          <LoadMore
            shown={rows?.length ?? 0}
            noun={['request', 'requests']}
            hasMore={!!list.hasNextPage}
            loading={list.isFetchingNextPage}
            onMore={() => void list.fetchNextPage()}
          />
        </>
      )}
      <RejectModal slug={account.slug} request={rejecting} onClose={() => setRejecting(null)} />
    </Stack>
  )
}

/** useNow is the time, ticking: countdowns move and expired requests lose their buttons. */
function useNow(ms: number): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), ms)
    return () => clearInterval(t)
  }, [ms])
  return now
}

function argumentsText(a: RunRequest['arguments']): string {
  if (!a || Object.keys(a).length === 0) return ''
  return JSON.stringify(a)
}

function RequestTable({
  slug,
  rows,
  now,
  canApprove,
  onReject,
}: {
  slug: string
  rows: RunRequest[] | undefined
  now: number
  canApprove: boolean
  onReject: (r: RunRequest) => void
}) {
  const columns: Column[] = [
    { label: 'Process' },
    { label: 'Requested by' },
    { label: 'Arguments' },
    { label: 'Requested' },
    { label: 'Status' },
    ...(canApprove ? [{ label: 'Decision', hidden: true }] : []),
  ]
  return (
    <EstateTable label="Run requests" columns={columns} minWidth={canApprove ? 940 : 800} loading={!rows}>
      {rows?.map((r) => (
        <RequestRow key={r.id} slug={slug} r={r} now={now} canApprove={canApprove} onReject={onReject} />
      ))}
    </EstateTable>
  )
}

function RequestRow({
  slug,
  r,
  now,
  canApprove,
  onReject,
}: {
  slug: string
  r: RunRequest
  now: number
  canApprove: boolean
  onReject: (r: RunRequest) => void
}) {
  const decide = useDecideRunRequest(slug)
  const navigate = useNavigate()
  const waiting = isWaiting(r, now)
  const args = argumentsText(r.arguments)
  // A pending request past its expiry is expired, whatever the list said when it loaded.
  const status = r.status === 'pending' && !waiting ? 'expired' : r.status

  const approve = async () => {
    try {
      const res = await decide.mutateAsync({ id: r.id, approve: true })
      notifications.show({ color: 'teal', title: 'Run approved', message: approvedMessage(slug, r, res?.job?.id, navigate), autoClose: 10_000 })
    } catch (e) {
      const late = decisionRefused(e)
      const vendor = isApiError(e) && e.status === 502
      notifications.show(
        late
          ? { color: 'orange', ...late }
          : { color: 'red', title: vendor ? 'The RPA tool refused the run' : 'Could not approve the run', message: errorMessage(e) },
      )
    }
  }

  return (
    <Table.Tr data-status={status}>
      <Table.Td style={{ minWidth: 140, maxWidth: 220 }}>
        <Anchor component={Link} to={`/${slug}/jobs?process=${encodeURIComponent(r.process.id)}`} size="sm" fw={600} id={`request-${r.id}`}>
          {r.process.name}
        </Anchor>
      </Table.Td>
      <Table.Td style={{ minWidth: 140, maxWidth: 220 }}>
        <Text size="sm">{r.requested_by?.name || r.requested_by?.email || '—'}</Text>
        {r.requested_by?.name && (
          <Text size="xs" c="dimmed" truncate="end">
            {r.requested_by.email}
          </Text>
        )}
      </Table.Td>
      <Table.Td style={{ maxWidth: 180 }}>
        {args ? (
          <Code style={{ display: 'inline-block', maxWidth: 180, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }} title={args}>
            {args}
          </Code>
        ) : (
          <Text size="sm" c="dimmed">
            None
          </Text>
        )}
      </Table.Td>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>
        <TimeAgo at={r.created_at} />
      </Table.Td>
      <Table.Td style={{ minWidth: 170 }}>
        <RunRequestStatusBadge status={status} />
        <StatusDetail slug={slug} r={r} waiting={waiting} now={now} />
      </Table.Td>
      {canApprove && (
        <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
          {waiting && (
            <Group gap={6} justify="flex-end" wrap="nowrap">
              <Button size="xs" variant="default" color="red" leftSection={<IconX size={14} aria-hidden />} onClick={() => onReject(r)} disabled={decide.isPending} aria-describedby={`request-${r.id}`}>
                Reject
              </Button>
              <Button size="xs" color="teal" leftSection={<IconCheck size={14} aria-hidden />} onClick={() => void approve()} loading={decide.isPending} aria-describedby={`request-${r.id}`}>
                Approve
              </Button>
            </Group>
          )}
        </Table.Td>
      )}
    </Table.Tr>
  )
}

function approvedMessage(slug: string, r: RunRequest, jobId: string | undefined, navigate: NavigateFunction) {
  return (
    <>
      {r.process.name} is starting for {r.requested_by?.name || r.requested_by?.email || 'the requester'}.{' '}
      {jobId && (
        <InAppLink to={`/${slug}/jobs/${jobId}`} navigate={navigate}>
          View the job
        </InAppLink>
      )}
    </>
  )
}

function StatusDetail({ slug, r, waiting, now }: { slug: string; r: RunRequest; waiting: boolean; now: number }) {
  if (waiting) {
    return (
      <Text size="xs" c="dimmed" mt={2}>
        Expires in {countdown(r.expires_at, now)}
      </Text>
    )
  }
  return (
    <Stack gap={0} mt={2}>
      {r.decided_by && (
        <Text size="xs" c="dimmed">
          {r.status === 'rejected' ? 'Rejected' : 'Approved'} by {r.decided_by.name} {r.decided_at && <TimeAgo at={r.decided_at} size="xs" c="dimmed" />}
        </Text>
      )}
      {r.reason && (
        <Text size="xs" c="dimmed" lineClamp={2} title={r.reason}>
          “{r.reason}”
        </Text>
      )}
      {r.job_ref &&
        (r.job_id ? (
          <Anchor component={Link} to={`/${slug}/jobs/${encodeURIComponent(r.job_id)}`} size="xs">
            View the job <Code fz="xs">{r.job_ref}</Code>
          </Anchor>
        ) : (
          <Text size="xs" c="dimmed">
            Job <Code fz="xs">{r.job_ref}</Code>
          </Text>
        ))}
      {r.error && (
        <Text size="xs" c="red.8" lineClamp={2} title={r.error}>
          {r.error}
        </Text>
      )}
    </Stack>
  )
}

function RejectModal({ slug, request, onClose }: { slug: string; request: RunRequest | null; onClose: () => void }) {
  const r = useLast(request)
  return (
    <FormModal opened={request !== null} onClose={onClose} title={r ? `Reject the run of ${r.process.name}?` : 'Reject the run?'} size="md">
      {(onBusy) => request && <RejectForm slug={slug} request={request} onClose={onClose} onBusy={onBusy} />}
    </FormModal>
  )
}

function RejectForm({ slug, request, onClose, onBusy }: { slug: string; request: RunRequest; onClose: () => void; onBusy: (b: boolean) => void }) {
  const decide = useDecideRunRequest(slug)
  const [reason, setReason] = useState('')
  const [problem, setProblem] = useState<string | null>(null)
  useEffect(() => onBusy(decide.isPending), [decide.isPending, onBusy])
  const who = request.requested_by?.name || request.requested_by?.email || 'The requester'

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    if (decide.isPending) return
    setProblem(null)
    try {
      await decide.mutateAsync({ id: request.id, approve: false, reason: reason.trim() })
      notifications.show({ color: 'teal', title: 'Request rejected', message: `${request.process.name} does not run. ${who} sees your decision.` })
      onClose()
    } catch (err) {
      const late = decisionRefused(err)
      if (late) {
        notifications.show({ color: 'orange', ...late })
        onClose()
      } else {
        setProblem(errorMessage(err))
      }
    }
  }

  return (
    <form onSubmit={submit} noValidate aria-label={`Reject the run of ${request.process.name}`}>
      <Stack gap="md">
        <Text size="sm">
          {who} asked to run {request.process.name}. Rejecting it means the run does not start; they can ask again.
        </Text>
        {problem && (
          <FormProblem title="The request was not rejected">
            {problem}
          </FormProblem>
        )}
        <Textarea
          label="Reason (optional)"
          description="Shown to the requester."
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          autosize
          minRows={2}
          maxRows={6}
          maxLength={500}
          disabled={decide.isPending}
          data-autofocus
        />
        <Group justify="flex-end" mt="sm">
          <Button variant="default" onClick={onClose} disabled={decide.isPending}>
            Cancel
          </Button>
          <Button type="submit" color="red" loading={decide.isPending} leftSection={<IconX size={16} aria-hidden />}>
            Reject request
          </Button>
        </Group>
      </Stack>
    </form>
  )
}

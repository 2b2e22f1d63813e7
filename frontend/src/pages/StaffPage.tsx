import {
  ActionIcon,
  Alert,
  Anchor,
  Avatar,
  Badge,
  Button,
  Card,
  EmptyState,
  Group,
  List,
  Menu,
  Modal,
  Radio,
  Skeleton,
  Stack,
  Table,
  Text,
  Textarea,
  Title,
  VisuallyHidden,
} from '@mantine/core'
import { useDocumentTitle } from '@mantine/hooks'
import { notifications } from '@mantine/notifications'
import {
  IconDots,
  IconMailForward,
  IconSend,
  IconUserCog,
  IconUserMinus,
  IconUserPlus,
  IconUsersGroup,
  IconX,
} from '@tabler/icons-react'
import { useEffect, useState, type FormEvent, type ReactNode } from 'react'
import { Link } from 'react-router'
import { isApiError } from '../api/client'
import { MAX_INVITES } from '../api/people'
import {
  useInviteStaff,
  useRemoveStaff,
  useResendStaffInvitation,
  useRevokeStaffInvitation,
  useStaff,
  useUpdateStaffRole,
  type InviteResult,
  type StaffMember,
  type StaffRole,
} from '../api/self'
import { ErrorState, errorMessage } from '../components/ErrorState'
import { MemberLastActive, NotYetAccepted } from '../components/MemberCells'
import { MemberStatusBadge } from '../components/MemberStatusBadge'
import { useCan, useCurrentMe } from '../components/meContext'
import { PageHeader } from '../components/PageHeader'
import { initials, plural } from '../lib/format'
import { checkAddresses, parseAddresses, serverAddressProblems, type AddressProblem } from '../lib/people'
import { roleDescription, roleLabel } from '../lib/roles'
import { NotFoundPage } from './NotFoundPage'
import { FormProblem } from '../components/FormProblem'

const STAFF_ROLES: StaffRole[] = ['tenant_admin', 'consultant']

function who(m: StaffMember): string {
  return m.name || m.email
}

type Dialog =
  | { kind: 'role'; member: StaffMember }
  | { kind: 'remove'; member: StaffMember }
  | { kind: 'revoke'; member: StaffMember }
  | null

function RowActions({ m, onOpen }: { m: StaffMember; onOpen: (d: Dialog) => void }) {
  const resend = useResendStaffInvitation()
  const invited = m.status !== 'active' && m.invitation_id
  const doResend = async () => {
    if (!m.invitation_id) return
    try {
      await resend.mutateAsync(m.invitation_id)
      notifications.show({
        color: 'teal',
        title: 'Invitation sent again',
        message: `${m.email} has a new link, valid for 7 days; the old one no longer works. If mail cannot be sent, the link is in the Outbox.`,
      })
    } catch (err) {
      notifications.show({ color: 'red', title: 'Could not resend the invitation', message: errorMessage(err) })
    }
  }
  return (
    <Menu position="bottom-end" withinPortal shadow="md" width={230}>
      <Menu.Target>
        <ActionIcon variant="subtle" color="gray" aria-label={`Actions for ${who(m)}`} loading={resend.isPending}>
          <IconDots size={18} aria-hidden />
        </ActionIcon>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Item leftSection={<IconUserCog size={16} aria-hidden />} onClick={() => onOpen({ kind: 'role', member: m })}>
          Change role…
        </Menu.Item>
        {invited ? (
          <>
            <Menu.Item leftSection={<IconSend size={16} aria-hidden />} onClick={() => void doResend()}>
              Resend invitation
            </Menu.Item>
            <Menu.Divider />
            <Menu.Item color="red" leftSection={<IconX size={16} aria-hidden />} onClick={() => onOpen({ kind: 'revoke', member: m })}>
              Revoke invitation…
            </Menu.Item>
          </>
        ) : (
          <>
            <Menu.Divider />
            <Menu.Item color="red" leftSection={<IconUserMinus size={16} aria-hidden />} onClick={() => onOpen({ kind: 'remove', member: m })}>
              Remove from staff…
            </Menu.Item>
          </>
        )}
      </Menu.Dropdown>
    </Menu>
  )
}

function StaffTable({ items, onOpen }: { items: StaffMember[]; onOpen: (d: Dialog) => void }) {
  const me = useCurrentMe()
  return (
    <Table.ScrollContainer minWidth={760} type="native">
      <Table verticalSpacing="sm" aria-label="Staff" highlightOnHover>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>Email</Table.Th>
            <Table.Th>Role</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Last active</Table.Th>
            <Table.Th>
              <VisuallyHidden>Actions</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((m) => {
            const self = m.user_id === me.user.id
            return (
              <Table.Tr key={m.invitation_id ?? m.user_id} data-self={self || undefined} data-testid={`staff-row-${m.email}`}>
                <Table.Td>
                  <Group gap="sm" wrap="nowrap">
                    <Avatar size={32} radius="xl" color={m.status === 'active' ? 'bureau' : 'gray'} variant="light" aria-hidden>
                      {initials(who(m))}
                    </Avatar>
                    <Group gap={6} wrap="nowrap" style={{ minWidth: 0 }}>
                      {m.name ? (
                        <Text size="sm" fw={600} truncate="end" maw={220}>
                          {m.name}
                        </Text>
                      ) : (
                        <NotYetAccepted />
                      )}
                      {self && (
                        <Badge size="xs" variant="light" color="bureau" style={{ flex: 'none' }}>
                          You
                        </Badge>
                      )}
                    </Group>
                  </Group>
                </Table.Td>
                <Table.Td>
                  <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
                    {m.email}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{roleLabel(m.role)}</Text>
                </Table.Td>
                <Table.Td>
                  <MemberStatusBadge status={m.status} />
                </Table.Td>
                <Table.Td>
                  <MemberLastActive m={m} />
                </Table.Td>
                <Table.Td ta="right">
                  {self ? (
                    <Text size="xs" c="dimmed" title="Nobody changes their own role or removes themselves.">
                      That’s you
                    </Text>
                  ) : (
                    <RowActions m={m} onOpen={onOpen} />
                  )}
                </Table.Td>
              </Table.Tr>
            )
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  )
}

function RoleRadios({ value, onChange, label }: { value: StaffRole; onChange: (r: StaffRole) => void; label: string }) {
  return (
    <Radio.Group value={value} onChange={(v) => onChange(v as StaffRole)} label={label} required>
      <Stack gap="sm" mt="xs">
        {STAFF_ROLES.map((r) => (
          <Radio key={r} value={r} label={roleLabel(r)} description={roleDescription(r)} />
        ))}
      </Stack>
    </Radio.Group>
  )
}

const modalProps = {
  radius: 'lg',
  padding: 'xl',
  styles: { title: { fontWeight: 650, fontSize: 'var(--mantine-font-size-lg)' } },
} as const

function ChangeRoleDialog({ member, onClose }: { member: StaffMember; onClose: () => void }) {
  const update = useUpdateStaffRole()
  const [role, setRole] = useState<StaffRole>(member.role)
  const [problem, setProblem] = useState<string | null>(null)
  const submit = async (e: FormEvent) => {
    e.preventDefault()
    if (role === member.role) {
      onClose()
      return
    }
    setProblem(null)
    try {
      await update.mutateAsync({ userId: member.user_id, role })
      notifications.show({ color: 'teal', title: 'Role changed', message: `${who(member)} is now ${roleLabel(role)}.` })
      onClose()
    } catch (err) {
      setProblem(
        isApiError(err) && err.code === 'self_role_change' ? 'Nobody changes their own role. Ask another Tenant Admin.' : errorMessage(err),
      )
    }
  }
  return (
    <form onSubmit={submit} noValidate aria-label={`Change the role of ${who(member)}`}>
      <Stack gap="md">
        {problem && (
          <FormProblem>
            {problem}
          </FormProblem>
        )}
        <Text size="sm" c="dimmed">
          {member.email}
          {member.status !== 'active' ? ' · the invitation keeps its link; the new role applies when it is accepted.' : ''}
        </Text>
        <RoleRadios value={role} onChange={setRole} label="Role" />
        <Group justify="flex-end" mt="xs">
          <Button variant="default" onClick={onClose} disabled={update.isPending}>
            Cancel
          </Button>
          <Button type="submit" loading={update.isPending}>
            Save role
          </Button>
        </Group>
      </Stack>
    </form>
  )
}

function ConfirmDialog({
  member,
  kind,
  onClose,
}: {
  member: StaffMember
  kind: 'remove' | 'revoke'
  onClose: () => void
}) {
  const me = useCurrentMe()
  const remove = useRemoveStaff()
  const revoke = useRevokeStaffInvitation()
  const [problem, setProblem] = useState<string | null>(null)
  const busy = remove.isPending || revoke.isPending
  const firm = me.tenant.branding?.display_name?.trim() || me.tenant.name
  const go = async () => {
    setProblem(null)
    try {
      if (kind === 'remove') {
        await remove.mutateAsync(member.user_id)
        notifications.show({ color: 'teal', title: 'Removed from staff', message: `${who(member)} no longer has access to ${firm}.` })
      } else {
        if (!member.invitation_id) return
        await revoke.mutateAsync(member.invitation_id)
        notifications.show({ color: 'teal', title: 'Invitation revoked', message: `The link sent to ${member.email} no longer works.` })
      }
      onClose()
    } catch (err) {
      if (isApiError(err) && err.code === 'self_delete') setProblem('Nobody removes themselves. Ask another Tenant Admin.')
      else setProblem(errorMessage(err))
    }
  }
  return (
    <Stack gap="md">
      {problem && (
        <FormProblem>
          {problem}
        </FormProblem>
      )}
      <Text size="sm">
        {kind === 'remove' ? (
          <>
            <b>{who(member)}</b> loses access to {firm} and every client account at once, and is signed out. What they did
            stays in the audit log. You can invite them again later.
          </>
        ) : (
          <>
            The link sent to <b>{member.email}</b> stops working, and they disappear from this list. You can invite them
            again later.
          </>
        )}
      </Text>
      <Group justify="flex-end" mt="xs">
        <Button variant="default" onClick={onClose} disabled={busy} data-autofocus>
          Cancel
        </Button>
        <Button color="red" onClick={() => void go()} loading={busy}>
          {kind === 'remove' ? 'Remove from staff' : 'Revoke invitation'}
        </Button>
      </Group>
    </Stack>
  )
}

function InviteDialog({ onClose, onDone }: { onClose: () => void; onDone: (r: InviteResult<StaffMember>) => void }) {
  const invite = useInviteStaff()
  const [text, setText] = useState('')
  const [role, setRole] = useState<StaffRole>('consultant')
  const [fieldError, setFieldError] = useState<string | null>(null)
  const [problems, setProblems] = useState<AddressProblem[]>([])
  const [problem, setProblem] = useState<string | null>(null)
  const addresses = parseAddresses(text)
  const [focusTick, setFocusTick] = useState(0)
  useEffect(() => {
    if (focusTick > 0) document.getElementById('invite-staff-addresses')?.focus()
  }, [focusTick])

  const fail = (summary: string, list: AddressProblem[] = []) => {
    setFieldError(summary)
    setProblems(list)
    setFocusTick((n) => n + 1)
  }

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    if (invite.isPending) return
    setProblem(null)
    setProblems([])
    setFieldError(null)
    if (addresses.length === 0) return fail('Enter at least one email address.')
    if (addresses.length > MAX_INVITES) return fail(`Invite at most ${MAX_INVITES} people at a time; this list has ${addresses.length}.`)
    const local = checkAddresses(addresses)
    if (local.length > 0) return fail(`${plural(local.length, 'address', 'addresses')} ${local.length === 1 ? 'needs' : 'need'} attention.`, local)
    try {
      const res = await invite.mutateAsync(addresses.map((email) => ({ email, role })))
      onDone(res)
    } catch (err) {
      const list = serverAddressProblems(err, addresses)
      if (list.length > 0) return fail(`${plural(list.length, 'address', 'addresses')} could not be invited. Nobody was invited.`, list)
      if (isApiError(err) && err.fieldErrors.invites) return fail(err.fieldErrors.invites)
      if (isApiError(err) && (err.code === 'too_many_invites' || err.code === 'invites_required')) return fail(err.detail)
      setProblem(errorMessage(err))
    }
  }

  const count = addresses.length
  return (
    <form onSubmit={submit} noValidate aria-label="Invite staff">
      <Stack gap="md">
        {problem && (
          <FormProblem>
            {problem}
          </FormProblem>
        )}
        <div>
          <Textarea
            id="invite-staff-addresses"
            label="Email addresses"
            description={`Up to ${MAX_INVITES}, separated by commas or new lines. Each person gets an email with a link that is valid for 7 days.`}
            placeholder={'grace@yourfirm.example\nalan@yourfirm.example'}
            value={text}
            onChange={(e) => {
              setText(e.currentTarget.value)
              setFieldError(null)
              setProblems([])
            }}
            error={
              fieldError && (
                <>
                  {fieldError}
                  {problems.length > 0 && (
                    <List size="sm" mt={6} spacing={4} c="red.8" data-testid="invite-address-problems">
                      {problems.map((p) => (
                        <List.Item key={p.index}>
                          <b>{p.email}</b>: {p.message}
                        </List.Item>
                      ))}
                    </List>
                  )}
                </>
              )
            }
            errorProps={{ component: 'div' }}
            autosize
            minRows={3}
            maxRows={10}
            spellCheck={false}
            autoComplete="off"
            data-autofocus
            disabled={invite.isPending}
          />
          {count > 0 && problems.length === 0 && !fieldError && (
            <Text size="xs" c={count > MAX_INVITES ? 'red.8' : 'dimmed'} mt={6} aria-live="polite">
              {plural(count, 'address', 'addresses')}
              {count > MAX_INVITES ? `: at most ${MAX_INVITES} at a time` : ''}
            </Text>
          )}
        </div>
        <RoleRadios value={role} onChange={setRole} label="Role for everyone in this list" />
        <Group justify="flex-end" mt="xs">
          <Button variant="default" onClick={onClose} disabled={invite.isPending}>
            Cancel
          </Button>
          <Button type="submit" loading={invite.isPending} leftSection={<IconSend size={16} aria-hidden />}>
            {count > 1 && count <= MAX_INVITES ? `Send ${count} invitations` : 'Send invitation'}
          </Button>
        </Group>
      </Stack>
    </form>
  )
}

function InviteOutcome({ result, onDismiss }: { result: InviteResult<StaffMember>; onDismiss: () => void }) {
  const n = result.items.length
  let body: ReactNode
  if (result.outbox > 0) {
    body = (
      <>
        {result.emailed > 0 ? `${plural(result.emailed, 'invitation')} emailed. ` : ''}
        {result.outbox === n ? 'The invitations' : plural(result.outbox, 'invitation')} could not be emailed and{' '}
        {result.outbox === 1 ? 'is' : 'are'} waiting in the outbox:{' '}
        <Anchor component={Link} to="/settings/outbox" fw={600}>
          open the outbox
        </Anchor>{' '}
        to copy the link and pass it on.
      </>
    )
  } else {
    body = `${plural(n, 'invitation')} emailed. Each link is valid for 7 days.`
  }
  return (
    <Alert
      variant="light"
      color={result.outbox > 0 ? 'yellow' : 'teal'}
      icon={<IconMailForward size={18} aria-hidden />}
      title={`Invited ${plural(n, 'person', 'people')}`}
      withCloseButton
      closeButtonLabel="Dismiss"
      onClose={onDismiss}
      role="status"
    >
      {body}
    </Alert>
  )
}

/** /settings/staff — the firm's Tenant Admins and Consultants, and their invitations. */
export function StaffPage() {
  const me = useCurrentMe()
  const canManage = useCan('staff:manage')
  const staff = useStaff(canManage)
  const [dialog, setDialog] = useState<Dialog>(null)
  const [inviting, setInviting] = useState(false)
  const [outcome, setOutcome] = useState<InviteResult<StaffMember> | null>(null)
  const firm = me.tenant.branding?.display_name?.trim() || me.tenant.name
  useDocumentTitle(`Staff · ${firm}`)
  if (!canManage) return <NotFoundPage />

  const items = staff.data?.items
  const pending = items?.filter((m) => m.status !== 'active').length ?? 0
  const closeDialog = () => setDialog(null)
  const dialogTitle =
    dialog?.kind === 'role'
      ? `Change the role of ${who(dialog.member)}`
      : dialog?.kind === 'remove'
        ? `Remove ${who(dialog.member)} from staff?`
        : dialog?.kind === 'revoke'
          ? 'Revoke this invitation?'
          : ''

  return (
    <Stack gap="lg">
      <PageHeader
        title="Staff"
        description={`The people of ${firm} who work across every client account. Client-side people are managed in each account.`}
        actions={
          <Button leftSection={<IconUserPlus size={16} aria-hidden />} onClick={() => setInviting(true)}>
            Invite staff
          </Button>
        }
      />

      {outcome && <InviteOutcome result={outcome} onDismiss={() => setOutcome(null)} />}

      <Card padding={0} aria-labelledby="staff-heading">
        <Group justify="space-between" px="lg" pt="lg" pb="sm">
          <Title order={2} fz="lg" id="staff-heading">
            Team
          </Title>
          {items && (
            <Text size="sm" c="dimmed">
              {plural(items.length - pending, 'member')}
              {pending > 0 ? ` · ${plural(pending, 'open invitation')}` : ''}
            </Text>
          )}
        </Group>
        {staff.isError ? (
          <Stack p="lg">
            <ErrorState error={staff.error} onRetry={() => void staff.refetch()} retrying={staff.isFetching} title="Could not load the staff" />
          </Stack>
        ) : !items ? (
          <Stack gap="sm" p="lg" aria-busy="true" aria-label="Loading the staff">
            <Skeleton height={40} radius="md" />
            <Skeleton height={40} radius="md" />
            <Skeleton height={40} radius="md" />
          </Stack>
        ) : items.length === 0 ? (
          <EmptyState variant="light" p="xl">
            <EmptyState.Indicator>
              <IconUsersGroup size={26} stroke={1.6} aria-hidden />
            </EmptyState.Indicator>
            <EmptyState.Title order={3}>No staff yet</EmptyState.Title>
            <EmptyState.Description>Invite the consultants who work on your clients’ automation.</EmptyState.Description>
          </EmptyState>
        ) : (
          <StaffTable items={items} onOpen={setDialog} />
        )}
      </Card>

      <Modal opened={inviting} onClose={() => setInviting(false)} title="Invite staff" size="lg" {...modalProps}>
        {inviting && (
          <InviteDialog
            onClose={() => setInviting(false)}
            onDone={(r) => {
              setInviting(false)
              setOutcome(r)
              notifications.show({ color: 'teal', title: 'Invitations sent', message: `Invited ${plural(r.items.length, 'person', 'people')}.` })
            }}
          />
        )}
      </Modal>
      <Modal opened={dialog !== null} onClose={closeDialog} title={dialogTitle} size="md" {...modalProps}>
        {dialog?.kind === 'role' && <ChangeRoleDialog member={dialog.member} onClose={closeDialog} />}
        {(dialog?.kind === 'remove' || dialog?.kind === 'revoke') && (
          <ConfirmDialog member={dialog.member} kind={dialog.kind} onClose={closeDialog} />
        )}
      </Modal>
    </Stack>
  )
}

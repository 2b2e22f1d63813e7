import {
  ActionIcon,
  Avatar,
  Badge,
  Box,
  Button,
  Checkbox,
  CloseButton,
  EmptyState,
  Group,
  List,
  Menu,
  MultiSelect,
  Paper,
  Skeleton,
  Stack,
  Table,
  Text,
  TextInput,
  Tooltip,
  VisuallyHidden,
} from '@mantine/core'
import { useDocumentTitle } from '@mantine/hooks'
import { notifications } from '@mantine/notifications'
import {
  IconDeviceFloppy,
  IconDots,
  IconFileUpload,
  IconFilterOff,
  IconMailForward,
  IconMailOff,
  IconSearch,
  IconTags,
  IconUserCog,
  IconUserMinus,
  IconUserPlus,
  IconUsers,
} from '@tabler/icons-react'
import { useEffect, useMemo, useState, type FormEvent } from 'react'
import { isApiError } from '../../api/client'
import {
  useGroups,
  useMembers,
  useRemoveMember,
  useRemoveMembers,
  useResendInvitation,
  useRevokeInvitation,
  useUpdateMember,
  type AccountRole,
  type Member,
} from '../../api/people'
import { AccountRoleInput } from '../../components/AccountRoleInput'
import { ConfirmModal } from '../../components/ConfirmModal'
import { FormModal, useLast } from '../../components/FormModal'
import { CsvImportModal } from '../../components/CsvImportModal'
import { ErrorState, errorMessage } from '../../components/ErrorState'
import { GroupOption, groupOptions, InviteModal } from '../../components/InviteModal'
import { MemberLastActive, NotYetAccepted } from '../../components/MemberCells'
import { MemberStatusBadge } from '../../components/MemberStatusBadge'
import { useCan, useCurrentMe } from '../../components/meContext'
import { initials, plural } from '../../lib/format'
import { roleLabel } from '../../lib/roles'
import { displayName, filterMembers } from '../../lib/people'
import { NotFoundPage } from '../NotFoundPage'
import { AccountHeader, DeactivatedBanner } from './AccountLayout'
import { useAccountContext } from './accountContext'
import { FormProblem } from '../../components/FormProblem'

const SELF_NOTE = 'You cannot change your own role or groups, or remove yourself. Ask another administrator.'

type Dialog = { kind: 'role' | 'groups' | 'remove' | 'revoke'; member: Member } | null

/** /:accountSlug/members — the account's people and pending invitations. */
export function MembersPage() {
  const { account } = useAccountContext()
  const me = useCurrentMe()
  const canManage = useCan('members:manage')
  const members = useMembers(account.slug, canManage)
  const [query, setQuery] = useState('')
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set())
  const [inviting, setInviting] = useState(false)
  const [importing, setImporting] = useState(false)
  const [bulk, setBulk] = useState<Member[] | null>(null)
  const [dialog, setDialog] = useState<Dialog>(null)
  useDocumentTitle(`Members · ${account.name} · ${me.tenant.branding?.display_name?.trim() || me.tenant.name}`)

  const items = members.data?.items
  // Forget selected people who are gone (removed here or elsewhere).
  useEffect(() => {
    if (!items) return
    setSelected((s) => {
      const ids = new Set(items.map((m) => m.user_id))
      const next = new Set([...s].filter((id) => ids.has(id)))
      return next.size === s.size ? s : next
    })
  }, [items])

  if (!canManage) return <NotFoundPage />

  const selectedMembers = items?.filter((m) => selected.has(m.user_id)) ?? []
  const pending = items?.filter((m) => m.status !== 'active').length ?? 0
  const active = (items?.length ?? 0) - pending

  const openImport = () => {
    setInviting(false)
    setImporting(true)
  }

  return (
    <Stack gap="lg">
      <AccountHeader
        account={account}
        section="Members"
        actions={
          <>
            <Button variant="default" leftSection={<IconFileUpload size={16} aria-hidden />} onClick={openImport}>
              Import CSV
            </Button>
            <Button leftSection={<IconUserPlus size={16} aria-hidden />} onClick={() => setInviting(true)}>
              Invite people
            </Button>
          </>
        }
      />
      <DeactivatedBanner account={account} />

      {items && items.length > 0 && (
        <Group justify="space-between" gap="md" wrap="wrap" role="search" aria-label="Filter members">
          <TextInput
            value={query}
            onChange={(e) => setQuery(e.currentTarget.value)}
            placeholder="Search by name or email"
            aria-label="Search members"
            leftSection={<IconSearch size={16} aria-hidden />}
            rightSection={query ? <CloseButton size="sm" aria-label="Clear search" onClick={() => setQuery('')} /> : undefined}
            w={{ base: '100%', sm: 360 }}
          />
          <Text size="sm" c="dimmed">
            {plural(active, 'member')}
            {pending > 0 && ` · ${plural(pending, 'invitation')} not accepted yet`}
          </Text>
        </Group>
      )}

      {selected.size > 0 && (
        <Paper withBorder px="md" py="xs" bg="var(--mantine-primary-color-light)">
          <Group justify="space-between" gap="sm">
            <Text size="sm" fw={600} role="status">
              {selected.size} selected
            </Text>
            <Group gap="xs">
              <Button variant="subtle" color="gray" size="xs" onClick={() => setSelected(new Set())}>
                Clear selection
              </Button>
              <Button color="red" size="xs" leftSection={<IconUserMinus size={14} aria-hidden />} onClick={() => setBulk(selectedMembers)}>
                Remove selected
              </Button>
            </Group>
          </Group>
        </Paper>
      )}

      {members.isError ? (
        <ErrorState
          error={members.error}
          title="Could not load the members"
          onRetry={() => void members.refetch()}
          retrying={members.isFetching}
        />
      ) : items && items.length === 0 ? (
        <Paper withBorder p="xl">
          <EmptyState variant="light">
            <EmptyState.Indicator>
              <IconUsers size={26} stroke={1.6} aria-hidden />
            </EmptyState.Indicator>
            <EmptyState.Title order={2}>No members yet — invite the first people</EmptyState.Title>
            <EmptyState.Description>
              Invite people by email, up to 20 at a time, or import a CSV file with up to 1,000 rows. Each person gets a link to
              join {account.name}.
            </EmptyState.Description>
            <EmptyState.Actions>
              <Button leftSection={<IconUserPlus size={16} aria-hidden />} onClick={() => setInviting(true)}>
                Invite people
              </Button>
              <Button variant="default" leftSection={<IconFileUpload size={16} aria-hidden />} onClick={openImport}>
                Import CSV
              </Button>
            </EmptyState.Actions>
          </EmptyState>
        </Paper>
      ) : (
        <MembersTable
          items={items}
          query={query}
          onClearQuery={() => setQuery('')}
          selfId={me.user.id}
          selected={selected}
          onSelect={setSelected}
          onAction={setDialog}
          slug={account.slug}
        />
      )}

      <InviteModal
        account={account.slug}
        accountName={account.name}
        opened={inviting}
        onClose={() => setInviting(false)}
        onImportCsv={openImport}
      />
      <CsvImportModal account={account.slug} accountName={account.name} opened={importing} onClose={() => setImporting(false)} />
      <BulkRemoveModal
        slug={account.slug}
        accountName={account.name}
        members={bulk}
        onClose={() => setBulk(null)}
        onDone={() => setSelected(new Set())}
      />
      <RoleModal slug={account.slug} member={dialog?.kind === 'role' ? dialog.member : null} onClose={() => setDialog(null)} />
      <MemberGroupsModal slug={account.slug} member={dialog?.kind === 'groups' ? dialog.member : null} onClose={() => setDialog(null)} />
      <RemoveModal
        slug={account.slug}
        accountName={account.name}
        member={dialog?.kind === 'remove' ? dialog.member : null}
        onClose={() => setDialog(null)}
      />
      <RevokeModal slug={account.slug} member={dialog?.kind === 'revoke' ? dialog.member : null} onClose={() => setDialog(null)} />
    </Stack>
  )
}

// --- the table ---------------------------------------------------------------

const COLUMNS = ['Name', 'Email', 'Role', 'Groups', 'Status', 'Last active'] as const

function MembersTable({
  items,
  query,
  onClearQuery,
  selfId,
  selected,
  onSelect,
  onAction,
  slug,
}: {
  items: Member[] | undefined
  query: string
  onClearQuery: () => void
  selfId: string
  selected: ReadonlySet<string>
  onSelect: (s: ReadonlySet<string>) => void
  onAction: (d: Dialog) => void
  slug: string
}) {
  const shown = useMemo(() => (items ? filterMembers(items, query) : undefined), [items, query])

  if (shown && shown.length === 0) {
    return (
      <Paper withBorder p="xl">
        <EmptyState variant="light">
          <EmptyState.Indicator>
            <IconFilterOff size={26} stroke={1.6} aria-hidden />
          </EmptyState.Indicator>
          <EmptyState.Title order={2}>No matching members</EmptyState.Title>
          <EmptyState.Description>Nobody’s name or email contains “{query.trim()}”.</EmptyState.Description>
          <EmptyState.Actions>
            <Button variant="light" onClick={onClearQuery}>
              Show all members
            </Button>
          </EmptyState.Actions>
        </EmptyState>
      </Paper>
    )
  }

  const selectable = shown?.filter((m) => m.user_id !== selfId) ?? []
  const picked = selectable.filter((m) => selected.has(m.user_id)).length
  const all = selectable.length > 0 && picked === selectable.length
  const toggleAll = () => {
    const next = new Set(selected)
    for (const m of selectable) {
      if (all) next.delete(m.user_id)
      else next.add(m.user_id)
    }
    onSelect(next)
  }
  const toggle = (id: string) => {
    const next = new Set(selected)
    if (next.has(id)) next.delete(id)
    else next.add(id)
    onSelect(next)
  }

  return (
    <Paper withBorder style={{ overflow: 'hidden' }}>
      <Table.ScrollContainer minWidth={920} type="native">
        <Table
          verticalSpacing="sm"
          horizontalSpacing="sm"
          highlightOnHover={!!shown}
          aria-label="Members"
          aria-busy={!shown || undefined}
        >
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={44}>
                <Checkbox
                  aria-label={query.trim() ? 'Select all members shown' : 'Select all members'}
                  checked={all}
                  indeterminate={picked > 0 && !all}
                  onChange={toggleAll}
                  disabled={selectable.length === 0}
                />
              </Table.Th>
              {COLUMNS.map((c) => (
                <Table.Th key={c} style={{ whiteSpace: 'nowrap' }}>
                  {c}
                </Table.Th>
              ))}
              <Table.Th w={52}>
                <VisuallyHidden>Actions</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {!shown ? (
              <SkeletonRows />
            ) : (
              shown.map((m) => (
                <MemberRow
                  key={m.user_id}
                  m={m}
                  self={m.user_id === selfId}
                  selected={selected.has(m.user_id)}
                  onToggle={() => toggle(m.user_id)}
                  onAction={onAction}
                  slug={slug}
                />
              ))
            )}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  )
}

function SkeletonRows() {
  return (
    <>
      {[0, 1, 2, 3].map((i) => (
        <Table.Tr key={i}>
          <Table.Td>
            <Skeleton height={18} width={18} radius="sm" />
          </Table.Td>
          <Table.Td>
            <Group gap="sm" wrap="nowrap">
              <Skeleton circle height={32} />
              <Skeleton height={12} width={`${50 + ((i * 17) % 35)}%`} radius="sm" />
            </Group>
          </Table.Td>
          <Table.Td>
            <Skeleton height={12} width={160} radius="sm" />
          </Table.Td>
          <Table.Td>
            <Skeleton height={12} width={90} radius="sm" />
          </Table.Td>
          <Table.Td>
            <Skeleton height={18} width={70} radius="xl" />
          </Table.Td>
          <Table.Td>
            <Skeleton height={18} width={56} radius="xl" />
          </Table.Td>
          <Table.Td>
            <Skeleton height={12} width={70} radius="sm" />
          </Table.Td>
          <Table.Td />
        </Table.Tr>
      ))}
    </>
  )
}

function GroupBadges({ groups }: { groups: Member['groups'] }) {
  if (groups.length === 0) {
    return (
      <Text size="sm" c="dimmed" aria-label="No groups">
        —
      </Text>
    )
  }
  const first = groups.slice(0, 2)
  const rest = groups.slice(2)
  return (
    <Group gap={4} wrap="wrap">
      {first.map((g) => (
        <Badge key={g.id} variant="light" color="gray" size="sm" tt="none" fw={500} styles={{ root: { maxWidth: 200 } }} title={g.name}>
          {g.name}
        </Badge>
      ))}
      {rest.length > 0 && (
        <Tooltip label={rest.map((g) => g.name).join(', ')} multiline maw={280}>
          <Badge variant="outline" color="gray" size="sm" tt="none" fw={500} tabIndex={0} aria-label={`and ${rest.map((g) => g.name).join(', ')}`}>
            +{rest.length}
          </Badge>
        </Tooltip>
      )}
    </Group>
  )
}

function MemberRow({
  m,
  self,
  selected,
  onToggle,
  onAction,
  slug,
}: {
  m: Member
  self: boolean
  selected: boolean
  onToggle: () => void
  onAction: (d: Dialog) => void
  slug: string
}) {
  const who = displayName(m)
  return (
    <Table.Tr data-status={m.status} data-selected={selected || undefined} bg={selected ? 'var(--mantine-primary-color-light)' : undefined}>
      <Table.Td>
        {self ? (
          <Tooltip label="You cannot select yourself: nobody removes themselves." withArrow>
            <Box component="span" display="inline-flex">
              <Checkbox aria-label="You cannot select yourself" checked={false} disabled readOnly />
            </Box>
          </Tooltip>
        ) : (
          <Checkbox aria-label={`Select ${who}`} checked={selected} onChange={onToggle} />
        )}
      </Table.Td>
      <Table.Td style={{ minWidth: 170, maxWidth: 280 }}>
        <Group gap="sm" wrap="nowrap">
          <Avatar size={32} radius="xl" color={m.status === 'active' ? 'bureau' : 'gray'} variant="light" aria-hidden>
            {initials(m.name || m.email)}
          </Avatar>
          <Group gap={6} wrap="wrap" style={{ minWidth: 0, rowGap: 2 }}>
            {m.name ? (
              <Text size="sm" fw={500} lineClamp={2} style={{ overflowWrap: 'anywhere' }}>
                {m.name}
              </Text>
            ) : (
              <NotYetAccepted />
            )}
            {self && (
              <Badge size="xs" variant="outline" color="gray" style={{ flex: 'none' }}>
                You
              </Badge>
            )}
          </Group>
        </Group>
      </Table.Td>
      <Table.Td style={{ maxWidth: 260 }}>
        <Text size="sm" truncate="end" title={m.email}>
          {m.email}
        </Text>
      </Table.Td>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>
        <Text size="sm">{roleLabel(m.role)}</Text>
      </Table.Td>
      <Table.Td style={{ minWidth: 150, maxWidth: 240 }}>
        <GroupBadges groups={m.groups} />
      </Table.Td>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>
        <MemberStatusBadge status={m.status} />
      </Table.Td>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>
        <MemberLastActive m={m} />
      </Table.Td>
      <Table.Td ta="right">
        <RowMenu m={m} self={self} onAction={onAction} slug={slug} />
      </Table.Td>
    </Table.Tr>
  )
}

function RowMenu({ m, self, onAction, slug }: { m: Member; self: boolean; onAction: (d: Dialog) => void; slug: string }) {
  const resend = useResendInvitation(slug)
  const invited = m.status !== 'active' && m.invitation_id !== null
  const who = displayName(m)
  const doResend = async () => {
    if (!m.invitation_id) return
    try {
      await resend.mutateAsync(m.invitation_id)
      notifications.show({
        color: 'teal',
        title: 'Invitation sent again',
        message: `${m.email} has a new link, valid for 7 days. The previous link no longer works.`,
      })
    } catch (e) {
      notifications.show({ color: 'red', title: 'Could not resend the invitation', message: errorMessage(e) })
    }
  }
  return (
    <Menu position="bottom-end" withinPortal shadow="md" width={240}>
      <Menu.Target>
        <ActionIcon variant="subtle" color="gray" aria-label={`Actions for ${who}`} loading={resend.isPending}>
          <IconDots size={18} aria-hidden />
        </ActionIcon>
      </Menu.Target>
      <Menu.Dropdown>
        {self && (
          <Menu.Label style={{ whiteSpace: 'normal' }}>{SELF_NOTE}</Menu.Label>
        )}
        <Menu.Item leftSection={<IconUserCog size={16} aria-hidden />} disabled={self} onClick={() => onAction({ kind: 'role', member: m })}>
          Change role…
        </Menu.Item>
        <Menu.Item leftSection={<IconTags size={16} aria-hidden />} disabled={self} onClick={() => onAction({ kind: 'groups', member: m })}>
          Edit groups…
        </Menu.Item>
        {invited && (
          <>
            <Menu.Divider />
            <Menu.Item leftSection={<IconMailForward size={16} aria-hidden />} onClick={() => void doResend()}>
              Resend invitation
            </Menu.Item>
            <Menu.Item color="red" leftSection={<IconMailOff size={16} aria-hidden />} onClick={() => onAction({ kind: 'revoke', member: m })}>
              Revoke invitation…
            </Menu.Item>
          </>
        )}
        {!invited && (
          <>
            <Menu.Divider />
            <Menu.Item
              color="red"
              leftSection={<IconUserMinus size={16} aria-hidden />}
              disabled={self}
              onClick={() => onAction({ kind: 'remove', member: m })}
            >
              Remove from account…
            </Menu.Item>
          </>
        )}
      </Menu.Dropdown>
    </Menu>
  )
}

// --- dialogs -----------------------------------------------------------------

function BulkRemoveModal({
  slug,
  accountName,
  members,
  onClose,
  onDone,
}: {
  slug: string
  accountName: string
  /** the people to remove (taken when the dialog opens); null: closed */
  members: Member[] | null
  onClose: () => void
  onDone: () => void
}) {
  const remove = useRemoveMembers(slug)
  const people = useLast(members) ?? []
  const n = people.length
  const listed = people.slice(0, 6)
  const invitees = people.filter((m) => m.status !== 'active').length
  return (
    <ConfirmModal
      opened={members !== null}
      onClose={onClose}
      title={`Remove ${plural(n, 'member')}?`}
      confirmLabel={`Remove ${plural(n, 'member')}`}
      confirmIcon={<IconUserMinus size={16} aria-hidden />}
      onConfirm={async () => {
        const res = await remove.mutateAsync(people.map((m) => m.user_id))
        onDone()
        const removed = res?.removed ?? n
        notifications.show({ color: 'teal', title: `${plural(removed, 'member')} removed`, message: `They no longer have access to ${accountName}.` })
      }}
    >
      <Text size="sm">
        {n === 1 ? 'This person loses' : `These ${n} people lose`} access to {accountName} at once
        {invitees > 0 ? '; invitations not yet accepted stop working' : ''}. Their history in the audit log is kept.
      </Text>
      <List size="sm" spacing={4} withPadding>
        {listed.map((m) => (
          <List.Item key={m.user_id}>
            {m.name ? `${m.name} (${m.email})` : m.email}
          </List.Item>
        ))}
        {n > listed.length && <List.Item>and {plural(n - listed.length, 'other')}</List.Item>}
      </List>
    </ConfirmModal>
  )
}

function RemoveModal({ slug, accountName, member, onClose }: { slug: string; accountName: string; member: Member | null; onClose: () => void }) {
  const remove = useRemoveMember(slug)
  const m = useLast(member)
  return (
    <ConfirmModal
      opened={member !== null}
      onClose={onClose}
      title={m ? `Remove ${displayName(m)}?` : 'Remove member?'}
      confirmLabel="Remove from account"
      confirmIcon={<IconUserMinus size={16} aria-hidden />}
      onConfirm={async () => {
        if (!m) return
        await remove.mutateAsync(m.user_id)
        notifications.show({ color: 'teal', title: 'Member removed', message: `${displayName(m)} no longer has access to ${accountName}.` })
      }}
    >
      <Text size="sm">
        {m ? displayName(m) : 'This person'} loses access to {accountName} at once and is taken out of its groups. You can
        invite them again later.
      </Text>
    </ConfirmModal>
  )
}

function RevokeModal({ slug, member, onClose }: { slug: string; member: Member | null; onClose: () => void }) {
  const revoke = useRevokeInvitation(slug)
  const m = useLast(member)
  return (
    <ConfirmModal
      opened={member !== null}
      onClose={onClose}
      title={m ? `Revoke the invitation of ${m.email}?` : 'Revoke the invitation?'}
      confirmLabel="Revoke invitation"
      confirmIcon={<IconMailOff size={16} aria-hidden />}
      onConfirm={async () => {
        if (!m?.invitation_id) return
        await revoke.mutateAsync(m.invitation_id)
        notifications.show({ color: 'teal', title: 'Invitation revoked', message: `The link sent to ${m.email} no longer works.` })
      }}
    >
      <Text size="sm">
        The link sent to {m?.email ?? 'this person'} stops working and they leave the list. You can invite them again later.
      </Text>
    </ConfirmModal>
  )
}

function RoleModal({ slug, member, onClose }: { slug: string; member: Member | null; onClose: () => void }) {
  const m = useLast(member)
  return (
    <FormModal opened={member !== null} onClose={onClose} title={m ? `Change the role of ${displayName(m)}` : 'Change role'}>
      {(onBusy) => member && <RoleForm slug={slug} member={member} onClose={onClose} onBusy={onBusy} />}
    </FormModal>
  )
}

function RoleForm({ slug, member, onClose, onBusy }: { slug: string; member: Member; onClose: () => void; onBusy: (b: boolean) => void }) {
  const update = useUpdateMember(slug)
  const [role, setRole] = useState<AccountRole>(member.role)
  const [fieldError, setFieldError] = useState<string | null>(null)
  const [problem, setProblem] = useState<string | null>(null)
  useEffect(() => onBusy(update.isPending), [update.isPending, onBusy])
  const submit = async (e: FormEvent) => {
    e.preventDefault()
    if (update.isPending) return
    if (role === member.role) {
      onClose()
      return
    }
    setProblem(null)
    setFieldError(null)
    try {
      const saved = await update.mutateAsync({ userId: member.user_id, patch: { role } })
      notifications.show({ color: 'teal', title: 'Role changed', message: `${displayName(saved)} is now ${roleLabel(saved.role)}.` })
      onClose()
    } catch (err) {
      if (isApiError(err) && err.fieldErrors.role) setFieldError(err.fieldErrors.role)
      else setProblem(errorMessage(err))
    }
  }
  return (
    <form onSubmit={submit} noValidate aria-label={`Change the role of ${displayName(member)}`}>
      <Stack gap="md">
        {member.status !== 'active' && (
          <Text size="sm" c="dimmed">
            The invitation stays valid; {member.email} gets the new role when they accept it.
          </Text>
        )}
        {problem && (
          <FormProblem title="The role was not changed">
            {problem}
          </FormProblem>
        )}
        <AccountRoleInput
          name="member-role"
          label="Own role"
          description="Their groups’ roles still apply: a member’s rights are the union of their own role and their groups’ roles."
          value={role}
          onChange={(r) => {
            setRole(r)
            setFieldError(null)
          }}
          error={fieldError}
          disabled={update.isPending}
        />
        <Group justify="flex-end" mt="sm">
          <Button variant="default" onClick={onClose} disabled={update.isPending}>
            Cancel
          </Button>
          <Button type="submit" loading={update.isPending} disabled={role === member.role} leftSection={<IconDeviceFloppy size={16} aria-hidden />}>
            Save role
          </Button>
        </Group>
      </Stack>
    </form>
  )
}

function MemberGroupsModal({ slug, member, onClose }: { slug: string; member: Member | null; onClose: () => void }) {
  const m = useLast(member)
  return (
    <FormModal opened={member !== null} onClose={onClose} title={m ? `Groups of ${displayName(m)}` : 'Groups'}>
      {(onBusy) => member && <MemberGroupsForm slug={slug} member={member} onClose={onClose} onBusy={onBusy} />}
    </FormModal>
  )
}

function MemberGroupsForm({ slug, member, onClose, onBusy }: { slug: string; member: Member; onClose: () => void; onBusy: (b: boolean) => void }) {
  const groupsQuery = useGroups(slug)
  const update = useUpdateMember(slug)
  const options = groupOptions(groupsQuery.data?.items)
  const roleOf = new Map(options.map((o) => [o.value, o.role]))
  const everyone = new Set((groupsQuery.data?.items ?? []).filter((g) => g.builtin === 'everyone').map((g) => g.id))
  const initial = member.groups.map((g) => g.id).filter((id) => !everyone.has(id))
  const [value, setValue] = useState<string[] | null>(null)
  const current = value ?? initial
  const [fieldError, setFieldError] = useState<string | null>(null)
  const [problem, setProblem] = useState<string | null>(null)
  useEffect(() => onBusy(update.isPending), [update.isPending, onBusy])
  const dirty = value !== null && (value.length !== initial.length || value.some((v) => !initial.includes(v)))

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    if (update.isPending) return
    if (!dirty) {
      onClose()
      return
    }
    setProblem(null)
    setFieldError(null)
    try {
      const saved = await update.mutateAsync({ userId: member.user_id, patch: { groups: current } })
      notifications.show({
        color: 'teal',
        title: 'Groups saved',
        message: saved.groups.length
          ? `${displayName(saved)} is in ${saved.groups.map((g) => g.name).join(', ')}.`
          : `${displayName(saved)} is in no group besides Everyone.`,
      })
      onClose()
    } catch (err) {
      if (isApiError(err) && err.fieldErrors.groups) setFieldError(err.fieldErrors.groups)
      else setProblem(errorMessage(err))
    }
  }

  return (
    <form onSubmit={submit} noValidate aria-label={`Groups of ${displayName(member)}`}>
      <Stack gap="md">
        {problem && (
          <FormProblem title="The groups were not saved">
            {problem}
          </FormProblem>
        )}
        {groupsQuery.isError ? (
          <ErrorState error={groupsQuery.error} title="Could not load the groups" onRetry={() => void groupsQuery.refetch()} retrying={groupsQuery.isFetching} />
        ) : (
          <MultiSelect
            label="Groups"
            description="Everyone is included automatically. A member’s rights are the union of their own role and their groups’ roles."
            placeholder={groupsQuery.isPending ? 'Loading groups…' : 'Choose groups'}
            data={options.map(({ value: v, label }) => ({ value: v, label }))}
            value={current}
            onChange={(v) => {
              setValue(v)
              setFieldError(null)
            }}
            renderOption={({ option }) => <GroupOption label={option.label} role={roleOf.get(option.value)} />}
            searchable
            clearable
            clearButtonProps={{ 'aria-label': 'Remove all groups' }}
            nothingFoundMessage="No group with that name"
            error={fieldError}
            disabled={update.isPending || groupsQuery.isPending}
            data-autofocus
            comboboxProps={{ withinPortal: true }}
          />
        )}
        <Group justify="flex-end" mt="sm">
          <Button variant="default" onClick={onClose} disabled={update.isPending}>
            Cancel
          </Button>
          <Button type="submit" loading={update.isPending} disabled={!dirty} leftSection={<IconDeviceFloppy size={16} aria-hidden />}>
            Save groups
          </Button>
        </Group>
      </Stack>
    </form>
  )
}

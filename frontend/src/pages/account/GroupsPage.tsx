import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  EmptyState,
  Group,
  Menu,
  MultiSelect,
  Paper,
  Select,
  Skeleton,
  Stack,
  Table,
  Text,
  TextInput,
  VisuallyHidden,
} from '@mantine/core'
import { useDocumentTitle } from '@mantine/hooks'
import { notifications } from '@mantine/notifications'
import {
  IconDeviceFloppy,
  IconDots,
  IconInfoCircle,
  IconPencil,
  IconPlus,
  IconTrash,
  IconUsers,
  IconUsersGroup,
} from '@tabler/icons-react'
import { useEffect, useState, type FormEvent } from 'react'
import { isApiError } from '../../api/client'
import {
  ACCOUNT_ROLES,
  isAccountRole,
  useCreateGroup,
  useDeleteGroup,
  useGroups,
  useMembers,
  useUpdateGroup,
  type AccountRole,
  type Group as PeopleGroup,
} from '../../api/people'
import { ConfirmModal } from '../../components/ConfirmModal'
import { FormModal, useLast } from '../../components/FormModal'
import { ErrorState, errorMessage } from '../../components/ErrorState'
import { useCan, useCurrentMe } from '../../components/meContext'
import { plural } from '../../lib/format'
import { displayName } from '../../lib/people'
import { roleDescription, roleLabel } from '../../lib/roles'
import { NotFoundPage } from '../NotFoundPage'
import { AccountHeader, DeactivatedBanner } from './AccountLayout'
import { useAccountContext } from './accountContext'
import { FormProblem } from '../../components/FormProblem'

const NAME_MAX = 100
const NO_ROLE = 'none'

type Dialog = { kind: 'edit' | 'members' | 'delete'; group: PeopleGroup } | { kind: 'create' } | null

/** /:accountSlug/groups — the account's groups, their roles and members. */
export function GroupsPage() {
  const { account } = useAccountContext()
  const me = useCurrentMe()
  const canManage = useCan('members:manage')
  const groups = useGroups(account.slug, canManage)
  const [dialog, setDialog] = useState<Dialog>(null)
  useDocumentTitle(`Groups · ${account.name} · ${me.tenant.branding?.display_name?.trim() || me.tenant.name}`)
  if (!canManage) return <NotFoundPage />

  const items = groups.data?.items
  const close = () => setDialog(null)
  const editing = dialog && dialog.kind !== 'create' ? dialog.group : null

  return (
    <Stack gap="lg">
      <AccountHeader
        account={account}
        section="Groups"
        actions={
          <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setDialog({ kind: 'create' })}>
            New group
          </Button>
        }
      />
      <DeactivatedBanner account={account} />
      <Alert variant="light" color="blue" icon={<IconInfoCircle size={18} aria-hidden />} radius="lg">
        <Text size="sm">
          A member’s rights are the union of their own role and their groups’ roles. <strong>Everyone</strong> holds every
          member automatically; <strong>Administrators</strong> gives its members the Account Admin role.
        </Text>
      </Alert>

      {groups.isError ? (
        <ErrorState error={groups.error} title="Could not load the groups" onRetry={() => void groups.refetch()} retrying={groups.isFetching} />
      ) : items && items.length === 0 ? (
        <Paper withBorder p="xl">
          <EmptyState variant="light">
            <EmptyState.Indicator>
              <IconUsersGroup size={26} stroke={1.6} aria-hidden />
            </EmptyState.Indicator>
            <EmptyState.Title order={2}>No groups yet</EmptyState.Title>
            <EmptyState.Description>Groups give several members the same role and the same processes at once.</EmptyState.Description>
            <EmptyState.Actions>
              <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setDialog({ kind: 'create' })}>
                Create a group
              </Button>
            </EmptyState.Actions>
          </EmptyState>
        </Paper>
      ) : (
        <GroupsTable items={items} onAction={setDialog} />
      )}

      <GroupFormModal slug={account.slug} opened={dialog?.kind === 'create'} group={null} onClose={close} />
      <GroupFormModal slug={account.slug} opened={dialog?.kind === 'edit'} group={dialog?.kind === 'edit' ? editing : null} onClose={close} />
      <GroupMembersModal slug={account.slug} group={dialog?.kind === 'members' ? editing : null} onClose={close} />
      <DeleteGroupModal slug={account.slug} group={dialog?.kind === 'delete' ? editing : null} onClose={close} />
    </Stack>
  )
}

function GroupsTable({ items, onAction }: { items: PeopleGroup[] | undefined; onAction: (d: Dialog) => void }) {
  return (
    <Paper withBorder style={{ overflow: 'hidden' }}>
      <Table.ScrollContainer minWidth={640} type="native">
        <Table verticalSpacing="sm" horizontalSpacing="md" highlightOnHover={!!items} aria-label="Groups" aria-busy={!items || undefined}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Role</Table.Th>
              <Table.Th ta="right">Members</Table.Th>
              <Table.Th w={52}>
                <VisuallyHidden>Actions</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {!items
              ? [0, 1, 2].map((i) => (
                  <Table.Tr key={i}>
                    <Table.Td>
                      <Skeleton height={12} width={`${40 + i * 15}%`} radius="sm" />
                    </Table.Td>
                    <Table.Td>
                      <Skeleton height={18} width={90} radius="xl" />
                    </Table.Td>
                    <Table.Td>
                      <Skeleton height={12} width={24} radius="sm" ml="auto" />
                    </Table.Td>
                    <Table.Td />
                  </Table.Tr>
                ))
              : items.map((g) => (
                  <Table.Tr key={g.id} data-builtin={g.builtin ?? undefined}>
                    <Table.Td style={{ maxWidth: 360 }}>
                      <Group gap="xs" wrap="nowrap">
                        <Text size="sm" fw={500} lineClamp={2} style={{ overflowWrap: 'anywhere' }}>
                          {g.name}
                        </Text>
                        {g.builtin && (
                          <Badge size="xs" variant="outline" color="gray" style={{ flex: 'none' }} title="Every account has this group; it cannot be renamed or deleted.">
                            Default
                          </Badge>
                        )}
                      </Group>
                      {g.builtin === 'everyone' && (
                        <Text size="xs" c="dimmed">
                          Every member, automatically
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      {g.role ? (
                        <Badge variant="light" size="sm">
                          {roleLabel(g.role)}
                        </Badge>
                      ) : (
                        <Text size="sm" c="dimmed">
                          No role
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td ta="right">
                      <Text size="sm">{g.member_count.toLocaleString()}</Text>
                    </Table.Td>
                    <Table.Td ta="right">
                      <GroupMenu g={g} onAction={onAction} />
                    </Table.Td>
                  </Table.Tr>
                ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  )
}

function GroupMenu({ g, onAction }: { g: PeopleGroup; onAction: (d: Dialog) => void }) {
  const builtin = g.builtin !== null
  return (
    <Menu position="bottom-end" withinPortal shadow="md" width={250}>
      <Menu.Target>
        <ActionIcon variant="subtle" color="gray" aria-label={`Actions for ${g.name}`}>
          <IconDots size={18} aria-hidden />
        </ActionIcon>
      </Menu.Target>
      <Menu.Dropdown>
        {builtin && (
          <Menu.Label style={{ whiteSpace: 'normal' }}>
            {g.builtin === 'everyone'
              ? 'A default group: its name, role and members are fixed.'
              : 'A default group: its name and role are fixed; its members can change.'}
          </Menu.Label>
        )}
        <Menu.Item leftSection={<IconPencil size={16} aria-hidden />} disabled={builtin} onClick={() => onAction({ kind: 'edit', group: g })}>
          Rename or change role…
        </Menu.Item>
        <Menu.Item
          leftSection={<IconUsers size={16} aria-hidden />}
          disabled={g.builtin === 'everyone'}
          onClick={() => onAction({ kind: 'members', group: g })}
        >
          Edit members…
        </Menu.Item>
        <Menu.Divider />
        <Menu.Item color="red" leftSection={<IconTrash size={16} aria-hidden />} disabled={builtin} onClick={() => onAction({ kind: 'delete', group: g })}>
          Delete group…
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  )
}

const roleOptions = [
  { value: NO_ROLE, label: 'No role' },
  ...ACCOUNT_ROLES.map((r) => ({ value: r, label: roleLabel(r) })),
]

/** GroupFormModal creates a group (group null) or renames / re-roles one. */
function GroupFormModal({ slug, opened, group, onClose }: { slug: string; opened: boolean; group: PeopleGroup | null; onClose: () => void }) {
  const g = useLast(group)
  const creating = group === null && opened
  return (
    <FormModal opened={opened} onClose={onClose} title={creating || !g ? 'New group' : `Edit ${g.name}`} size="md">
      {(onBusy) => opened && <GroupForm slug={slug} group={creating ? null : group} onClose={onClose} onBusy={onBusy} />}
    </FormModal>
  )
}

function GroupForm({ slug, group, onClose, onBusy }: { slug: string; group: PeopleGroup | null; onClose: () => void; onBusy: (b: boolean) => void }) {
  const create = useCreateGroup(slug)
  const update = useUpdateGroup(slug)
  const [name, setName] = useState(group?.name ?? '')
  const [role, setRole] = useState<string>(group?.role ?? NO_ROLE)
  const [errors, setErrors] = useState<{ name?: string; role?: string }>({})
  const [problem, setProblem] = useState<string | null>(null)
  const pending = create.isPending || update.isPending
  useEffect(() => onBusy(pending), [pending, onBusy])

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    if (pending) return
    setProblem(null)
    const trimmed = name.trim()
    if (trimmed === '' || trimmed.length > NAME_MAX) {
      setErrors({ name: trimmed === '' ? 'Give the group a name.' : `Use at most ${NAME_MAX} characters.` })
      document.getElementById('group-name')?.focus()
      return
    }
    const newRole: AccountRole | null = isAccountRole(role) ? role : null
    try {
      if (group) {
        const patch: { name?: string; role?: AccountRole | null } = {}
        if (trimmed !== group.name) patch.name = trimmed
        if (newRole !== group.role) patch.role = newRole
        if (Object.keys(patch).length === 0) {
          onClose()
          return
        }
        const saved = await update.mutateAsync({ id: group.id, patch })
        notifications.show({ color: 'teal', title: 'Group saved', message: `${saved.name}: ${saved.role ? roleLabel(saved.role) : 'no role'}.` })
      } else {
        const saved = await create.mutateAsync({ name: trimmed, role: newRole })
        notifications.show({ color: 'teal', title: 'Group created', message: `${saved.name} is ready; add its members from its menu.` })
      }
      onClose()
    } catch (err) {
      if (isApiError(err) && (err.fieldErrors.name || err.fieldErrors.role)) {
        setErrors({ name: err.fieldErrors.name, role: err.fieldErrors.role })
        if (err.fieldErrors.name) document.getElementById('group-name')?.focus()
        return
      }
      if (isApiError(err) && err.code === 'group_name_taken') {
        setErrors({ name: err.detail || 'Another group has this name.' })
        return
      }
      setProblem(errorMessage(err))
    }
  }

  return (
    <form onSubmit={submit} noValidate aria-label={group ? `Edit ${group.name}` : 'New group'}>
      <Stack gap="md">
        {problem && (
          <FormProblem title="The group was not saved">
            {problem}
          </FormProblem>
        )}
        <TextInput
          id="group-name"
          label="Name"
          placeholder="Finance team"
          value={name}
          onChange={(e) => {
            setName(e.currentTarget.value)
            setErrors((x) => ({ ...x, name: undefined }))
          }}
          error={errors.name}
          maxLength={NAME_MAX}
          required
          data-autofocus
          autoComplete="off"
          disabled={pending}
        />
        <Select
          label="Role"
          description={
            isAccountRole(role)
              ? `Members get this role on top of their own. ${roleLabel(role)}: ${roleDescription(role)}`
              : 'Optional. Without a role the group only collects members (for process assignments).'
          }
          data={roleOptions}
          value={role}
          onChange={(v) => {
            setRole(v ?? NO_ROLE)
            setErrors((x) => ({ ...x, role: undefined }))
          }}
          allowDeselect={false}
          error={errors.role}
          disabled={pending}
          comboboxProps={{ withinPortal: true }}
        />
        <Group justify="flex-end" mt="sm">
          <Button variant="default" onClick={onClose} disabled={pending}>
            Cancel
          </Button>
          <Button type="submit" loading={pending} leftSection={group ? <IconDeviceFloppy size={16} aria-hidden /> : <IconPlus size={16} aria-hidden />}>
            {group ? 'Save group' : 'Create group'}
          </Button>
        </Group>
      </Stack>
    </form>
  )
}

function GroupMembersModal({ slug, group, onClose }: { slug: string; group: PeopleGroup | null; onClose: () => void }) {
  const g = useLast(group)
  return (
    <FormModal opened={group !== null} onClose={onClose} title={g ? `Members of ${g.name}` : 'Members'}>
      {(onBusy) => group && <GroupMembersForm slug={slug} group={group} onClose={onClose} onBusy={onBusy} />}
    </FormModal>
  )
}

function GroupMembersForm({ slug, group, onClose, onBusy }: { slug: string; group: PeopleGroup; onClose: () => void; onBusy: (b: boolean) => void }) {
  const me = useCurrentMe()
  const members = useMembers(slug)
  const update = useUpdateGroup(slug)
  const selfId = me.user.id
  const selfIn = group.members.some((m) => m.user_id === selfId)
  // Nobody changes their own groups (a group can carry a role): you are not in the choice.
  const initial = group.members.map((m) => m.user_id).filter((id) => id !== selfId)
  const [value, setValue] = useState<string[] | null>(null)
  const current = value ?? initial
  const [fieldError, setFieldError] = useState<string | null>(null)
  const [problem, setProblem] = useState<string | null>(null)
  useEffect(() => onBusy(update.isPending), [update.isPending, onBusy])
  const dirty = value !== null && (value.length !== initial.length || value.some((v) => !initial.includes(v)))

  const data = (members.data?.items ?? [])
    .filter((m) => m.user_id !== selfId)
    .map((m) => ({ value: m.user_id, label: m.name ? `${m.name} (${m.email})` : m.email }))
  // People in the group the list does not know (yet): keep them choosable.
  for (const gm of group.members) {
    if (gm.user_id !== selfId && !data.some((d) => d.value === gm.user_id)) {
      data.push({ value: gm.user_id, label: gm.name ? `${gm.name} (${gm.email})` : gm.email })
    }
  }

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    if (update.isPending) return
    if (!dirty) {
      onClose()
      return
    }
    setProblem(null)
    setFieldError(null)
    const ids = selfIn ? [...current, selfId] : current
    try {
      const saved = await update.mutateAsync({ id: group.id, patch: { members: ids } })
      notifications.show({ color: 'teal', title: 'Members saved', message: `${saved.name} has ${plural(saved.member_count, 'member')}.` })
      onClose()
    } catch (err) {
      const fieldMsg = isApiError(err) ? Object.entries(err.fieldErrors).find(([f]) => f === 'members' || f.startsWith('members['))?.[1] : undefined
      if (fieldMsg) setFieldError(fieldMsg)
      else setProblem(errorMessage(err))
    }
  }

  return (
    <form onSubmit={submit} noValidate aria-label={`Members of ${group.name}`}>
      <Stack gap="md">
        {group.role && (
          <Text size="sm" c="dimmed">
            Members of {group.name} get the {roleLabel(group.role)} role on top of their own.
          </Text>
        )}
        {problem && (
          <FormProblem title="The members were not saved">
            {problem}
          </FormProblem>
        )}
        {members.isError ? (
          <ErrorState error={members.error} title="Could not load the members" onRetry={() => void members.refetch()} retrying={members.isFetching} />
        ) : (
          <MultiSelect
            label="Members"
            description={
              selfIn
                ? `You are in this group too and stay in it: nobody changes their own groups.`
                : 'Pending invitees can be added as well.'
            }
            placeholder={members.isPending ? 'Loading members…' : 'Search people'}
            data={data}
            value={current}
            onChange={(v) => {
              setValue(v)
              setFieldError(null)
            }}
            searchable
            clearable
            clearButtonProps={{ 'aria-label': 'Remove all members' }}
            nothingFoundMessage="Nobody with that name or email"
            error={fieldError}
            disabled={update.isPending || members.isPending}
            data-autofocus
            maxDropdownHeight={260}
            comboboxProps={{ withinPortal: true }}
          />
        )}
        <Group justify="flex-end" mt="sm">
          <Button variant="default" onClick={onClose} disabled={update.isPending}>
            Cancel
          </Button>
          <Button type="submit" loading={update.isPending} disabled={!dirty} leftSection={<IconDeviceFloppy size={16} aria-hidden />}>
            Save members
          </Button>
        </Group>
      </Stack>
    </form>
  )
}

function DeleteGroupModal({ slug, group, onClose }: { slug: string; group: PeopleGroup | null; onClose: () => void }) {
  const del = useDeleteGroup(slug)
  const g = useLast(group)
  return (
    <ConfirmModal
      opened={group !== null}
      onClose={onClose}
      title={g ? `Delete ${g.name}?` : 'Delete group?'}
      confirmLabel="Delete group"
      confirmIcon={<IconTrash size={16} aria-hidden />}
      onConfirm={async () => {
        if (!g) return
        await del.mutateAsync(g.id)
        notifications.show({ color: 'teal', title: 'Group deleted', message: `${g.name} was deleted; its members keep their own role.` })
      }}
    >
      <Text size="sm">
        {g && g.member_count > 0
          ? `Its ${plural(g.member_count, 'member')} stay in the account with their own role${g.role ? `, but lose the ${roleLabel(g.role)} role the group gave them` : ''}.`
          : 'It has no members.'}{' '}
        Processes assigned to the group are no longer assigned through it.
      </Text>
      {g && g.members.length > 0 && g.members.length <= 8 && (
        <Text size="xs" c="dimmed">
          {g.members.map((m) => displayName(m)).join(', ')}
        </Text>
      )}
    </ConfirmModal>
  )
}

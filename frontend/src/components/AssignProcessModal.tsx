import { Button, Group, MultiSelect, Stack, Text } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { IconDeviceFloppy } from '@tabler/icons-react'
import { useEffect, useState, type FormEvent } from 'react'
import { isApiError } from '../api/client'
import { useAssignProcess, type Process } from '../api/estate'
import { useGroups, useMembers } from '../api/people'
import { plural } from '../lib/format'
import { ErrorState, errorMessage } from './ErrorState'
import { FormModal, useLast } from './FormModal'
import { FormProblem } from './FormProblem'

/**
 * AssignProcessModal chooses who of the account sees a process (processes:assign):
 * Account Users see only the processes assigned to them, directly or through a group.
 */
export function AssignProcessModal({ account, process, onClose }: { account: string; process: Process | null; onClose: () => void }) {
  const p = useLast(process)
  return (
    <FormModal opened={process !== null} onClose={onClose} title={p ? `Assign ${p.name}` : 'Assign process'}>
      {(onBusy) => process && <AssignForm account={account} process={process} onClose={onClose} onBusy={onBusy} />}
    </FormModal>
  )
}

const same = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.includes(x))

function AssignForm({ account, process, onClose, onBusy }: { account: string; process: Process; onClose: () => void; onBusy: (b: boolean) => void }) {
  const members = useMembers(account)
  const groups = useGroups(account)
  const assign = useAssignProcess(account)
  const initialUsers = process.assignees?.user_ids ?? []
  const initialGroups = process.assignees?.group_ids ?? []
  const [users, setUsers] = useState<string[]>(initialUsers)
  const [groupIds, setGroupIds] = useState<string[]>(initialGroups)
  const [errors, setErrors] = useState<{ users?: string; groups?: string }>({})
  const [problem, setProblem] = useState<string | null>(null)
  useEffect(() => onBusy(assign.isPending), [assign.isPending, onBusy])
  const dirty = !same(users, initialUsers) || !same(groupIds, initialGroups)

  const memberOptions = (members.data?.items ?? [])
    .filter((m) => m.status === 'active')
    .map((m) => ({ value: m.user_id, label: m.name ? `${m.name} (${m.email})` : m.email }))
  const groupOptions = (groups.data?.items ?? []).map((g) => ({ value: g.id, label: g.name }))

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    if (assign.isPending) return
    if (!dirty) {
      onClose()
      return
    }
    setErrors({})
    setProblem(null)
    try {
      await assign.mutateAsync({ processId: process.id, assignees: { user_ids: users, group_ids: groupIds } })
      const n = users.length + groupIds.length
      notifications.show({
        color: 'teal',
        title: 'Assignments saved',
        message:
          n === 0
            ? `${process.name} is assigned to nobody: Account Users no longer see it.`
            : `${process.name} is assigned to ${plural(users.length, 'person', 'people')} and ${plural(groupIds.length, 'group')}.`,
      })
      onClose()
    } catch (err) {
      if (isApiError(err) && (err.fieldErrors.user_ids || err.fieldErrors.group_ids)) {
        setErrors({ users: err.fieldErrors.user_ids, groups: err.fieldErrors.group_ids })
      } else {
        setProblem(errorMessage(err))
      }
    }
  }

  const failed = members.isError ? members : groups.isError ? groups : null
  return (
    <form onSubmit={submit} noValidate aria-label={`Assign ${process.name}`}>
      <Stack gap="md">
        <Text size="sm">
          Account Users see only the processes assigned to them, directly or through one of their groups, with their jobs and
          schedules. Everyone else in the account sees every process.
        </Text>
        {problem && (
          <FormProblem title="The assignments were not saved">
            {problem}
          </FormProblem>
        )}
        {failed ? (
          <ErrorState error={failed.error} title="Could not load the people of the account" onRetry={() => void failed.refetch()} retrying={failed.isFetching} />
        ) : (
          <>
            <MultiSelect
              label="Members"
              placeholder={members.isPending ? 'Loading members…' : 'Choose members'}
              data={memberOptions}
              value={users}
              onChange={(v) => {
                setUsers(v)
                setErrors((x) => ({ ...x, users: undefined }))
              }}
              searchable
              clearable
              clearButtonProps={{ 'aria-label': 'Remove all members' }}
              nothingFoundMessage="No member with that name"
              error={errors.users}
              disabled={assign.isPending || members.isPending}
              data-autofocus
              comboboxProps={{ withinPortal: true }}
            />
            <MultiSelect
              label="Groups"
              description="Everyone in a chosen group sees the process."
              placeholder={groups.isPending ? 'Loading groups…' : 'Choose groups'}
              data={groupOptions}
              value={groupIds}
              onChange={(v) => {
                setGroupIds(v)
                setErrors((x) => ({ ...x, groups: undefined }))
              }}
              searchable
              clearable
              clearButtonProps={{ 'aria-label': 'Remove all groups' }}
              nothingFoundMessage="No group with that name"
              error={errors.groups}
              disabled={assign.isPending || groups.isPending}
              comboboxProps={{ withinPortal: true }}
            />
          </>
        )}
        <Group justify="flex-end" mt="sm">
          <Button variant="default" onClick={onClose} disabled={assign.isPending}>
            Cancel
          </Button>
          <Button type="submit" loading={assign.isPending} disabled={!dirty} leftSection={<IconDeviceFloppy size={16} aria-hidden />}>
            Save assignments
          </Button>
        </Group>
      </Stack>
    </form>
  )
}

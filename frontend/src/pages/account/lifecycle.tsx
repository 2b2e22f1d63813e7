import { Alert, Button, Card, Divider, Group, List, Modal, Stack, Text, TextInput, Title, type ButtonProps } from '@mantine/core'
import { useDisclosure } from '@mantine/hooks'
import { notifications } from '@mantine/notifications'
import { IconAlertTriangle, IconPlayerPause, IconRestore, IconTrash } from '@tabler/icons-react'
import { useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent, type ReactNode } from 'react'
import { useNavigate } from 'react-router'
import { isApiError } from '../../api/client'
import { deactivateAccount, deleteAccount, reactivateAccount } from '../../api/endpoints'
import { accountsChanged, queryKeys, useUsage } from '../../api/queries'
import type { Account, AccountListItem, Page } from '../../api/types'
import { errorMessage } from '../../components/ErrorState'
import { useCan } from '../../components/meContext'
import { PlanLimitNotice } from '../../components/PlanUsage'
import { plural } from '../../lib/format'
import { FormProblem } from '../../components/FormProblem'

const modalStyles = { title: { fontWeight: 650, fontSize: 'var(--mantine-font-size-lg)' } }

/** Puts a changed account into the caches that show it. */
function storeAccount(qc: ReturnType<typeof useQueryClient>, a: Account) {
  qc.setQueryData(queryKeys.account(a.slug), a)
  qc.setQueryData<Page<AccountListItem>>(queryKeys.accounts, (page) =>
    page ? { ...page, items: page.items.map((i) => (i.slug === a.slug ? { ...i, ...a } : i)) } : page,
  )
  void accountsChanged(qc, a.slug)
}

/**
 * ReactivateButton reactivates a deactivated account. When the plan has no
 * room (409 plan_limit_reached) it explains that and the ways forward.
 */
export function ReactivateButton({ account, size = 'sm', variant = 'filled' }: { account: Account; size?: ButtonProps['size']; variant?: ButtonProps['variant'] }) {
  const qc = useQueryClient()
  const [pending, setPending] = useState(false)
  const [limit, setLimit] = useState<string | null>(null)
  const reactivate = async () => {
    setPending(true)
    try {
      const a = await reactivateAccount(account.slug)
      storeAccount(qc, a)
      notifications.show({ color: 'teal', title: 'Account reactivated', message: `${a.name} is active again; its people can sign in.` })
    } catch (e) {
      if (isApiError(e) && e.code === 'plan_limit_reached') {
        setLimit(e.detail)
        void qc.invalidateQueries({ queryKey: queryKeys.usage })
      } else {
        notifications.show({ color: 'red', title: 'Could not reactivate the account', message: errorMessage(e) })
      }
    } finally {
      setPending(false)
    }
  }
  return (
    <>
      <Button
        size={size}
        variant={variant}
        color="teal"
        leftSection={<IconRestore size={16} aria-hidden />}
        loading={pending}
        onClick={() => void reactivate()}
      >
        Reactivate
      </Button>
      <Modal opened={limit !== null} onClose={() => setLimit(null)} title={`${account.name} cannot be reactivated yet`} size="lg" radius="lg" padding="xl" styles={modalStyles}>
        <Stack gap="lg">
          <PlanLimitNotice detail={limit ?? undefined} onNavigate={() => setLimit(null)} />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setLimit(null)}>
              Close
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  )
}

export function DeactivateModal({
  account,
  people,
  opened,
  onClose,
}: {
  account: Account
  people?: number
  opened: boolean
  onClose: () => void
}) {
  const qc = useQueryClient()
  const [pending, setPending] = useState(false)
  const [problem, setProblem] = useState<string | null>(null)
  const close = () => {
    if (pending) return
    setProblem(null)
    onClose()
  }
  const confirm = async () => {
    setPending(true)
    setProblem(null)
    try {
      const a = await deactivateAccount(account.slug)
      storeAccount(qc, a)
      notifications.show({
        color: 'teal',
        title: 'Account deactivated',
        message: `${a.name} is deactivated. Its history is kept; you can reactivate it at any time.`,
      })
      setPending(false)
      onClose()
    } catch (e) {
      setPending(false)
      setProblem(errorMessage(e))
    }
  }
  const signOut =
    people === 0
      ? 'It has no members yet; nobody can sign in to it while it is deactivated.'
      : `${people === undefined ? 'Its people are' : `Its ${plural(people, 'person', 'people')} are`} signed out at once and cannot sign in.`
  return (
    <Modal
      opened={opened}
      onClose={close}
      title={`Deactivate ${account.name}?`}
      size="lg"
      radius="lg"
      padding="xl"
      closeOnClickOutside={!pending}
      styles={modalStyles}
    >
      <Stack gap="md">
        <Text size="sm">While the account is deactivated:</Text>
        <List size="sm" spacing={6} withPadding>
          <List.Item>
            {signOut}
          </List.Item>
          <List.Item>Its API keys stop working and its scheduled syncs stop.</List.Item>
          <List.Item>Nothing is deleted: its history, settings and connection are kept.</List.Item>
          <List.Item>It no longer counts against your plan’s active accounts.</List.Item>
        </List>
        <Text size="sm" c="dimmed">
          You can reactivate it at any time, as long as your plan has room.
        </Text>
        {problem && (
          <FormProblem>
            {problem}
          </FormProblem>
        )}
        <Group justify="flex-end" mt="sm">
          <Button variant="default" onClick={close} disabled={pending} data-autofocus>
            Cancel
          </Button>
          <Button color="red" onClick={() => void confirm()} loading={pending} leftSection={<IconPlayerPause size={16} aria-hidden />}>
            Deactivate account
          </Button>
        </Group>
      </Stack>
    </Modal>
  )
}

/**
 * DeleteAccountModal deletes a deactivated account after the person types its
 * exact name (case-sensitive, as the server checks it).
 */
export function DeleteAccountModal({ account, opened, onClose }: { account: Account; opened: boolean; onClose: () => void }) {
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={`Delete ${account.name} permanently?`}
      size="lg"
      radius="lg"
      padding="xl"
      styles={modalStyles}
    >
      {opened && <DeleteForm account={account} onClose={onClose} />}
    </Modal>
  )
}

function DeleteForm({ account, onClose }: { account: Account; onClose: () => void }) {
  const qc = useQueryClient()
  const navigate = useNavigate()
  const [typed, setTyped] = useState('')
  const [pending, setPending] = useState(false)
  const [fieldError, setFieldError] = useState<string | null>(null)
  const [problem, setProblem] = useState<string | null>(null)
  const matches = typed === account.name
  const nearly = !matches && typed.trim().toLowerCase() === account.name.toLowerCase()

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    if (!matches || pending) return
    setPending(true)
    setProblem(null)
    setFieldError(null)
    try {
      await deleteAccount(account.slug, typed)
      navigate('/accounts', { replace: true })
      qc.setQueryData<Page<AccountListItem>>(queryKeys.accounts, (page) =>
        page ? { ...page, items: page.items.filter((i) => i.slug !== account.slug) } : page,
      )
      qc.removeQueries({ queryKey: queryKeys.account(account.slug) })
      void accountsChanged(qc)
      notifications.show({ color: 'teal', title: 'Account deleted', message: `${account.name} and everything in it were deleted.` })
    } catch (err) {
      setPending(false)
      if (isApiError(err) && err.fieldErrors.confirm_name) {
        setFieldError(err.fieldErrors.confirm_name)
        return
      }
      if (isApiError(err) && err.code === 'account_active') {
        void qc.invalidateQueries({ queryKey: queryKeys.account(account.slug) })
      }
      setProblem(errorMessage(err))
    }
  }

  return (
    <form onSubmit={submit} noValidate aria-label={`Delete ${account.name}`}>
      <Stack gap="md">
        <Alert variant="light" color="red" icon={<IconAlertTriangle size={20} aria-hidden />} title="This cannot be undone">
          <Text size="sm">
            The account is deleted with everything in it: its memberships, groups, connection, settings and all of its
            history. The firm’s audit log keeps a record that it was deleted.
          </Text>
        </Alert>
        {problem && (
          <FormProblem>
            {problem}
          </FormProblem>
        )}
        <TextInput
          label={
            <>
              To confirm, type the account’s name: <strong className="confirm-name">{account.name}</strong>
            </>
          }
          value={typed}
          onChange={(e) => {
            setTyped(e.currentTarget.value)
            setFieldError(null)
          }}
          error={fieldError ?? (nearly ? 'Type the name exactly as shown, with the same capitals.' : undefined)}
          autoComplete="off"
          spellCheck={false}
          data-autofocus
          disabled={pending}
        />
        <Group justify="flex-end" mt="sm">
          <Button variant="default" onClick={onClose} disabled={pending}>
            Cancel
          </Button>
          <Button type="submit" color="red" disabled={!matches} loading={pending} leftSection={<IconTrash size={16} aria-hidden />}>
            Delete this account
          </Button>
        </Group>
      </Stack>
    </form>
  )
}

function LifecycleRow({ title, text, action }: { title: string; text: string; action: ReactNode }) {
  return (
    <Group justify="space-between" align="center" gap="lg" wrap="nowrap" className="lifecycle-row">
      <Stack gap={2} style={{ minWidth: 0 }}>
        <Text fw={600} size="sm">
          {title}
        </Text>
        <Text size="sm" c="dimmed">
          {text}
        </Text>
      </Stack>
      <div style={{ flex: 'none' }}>{action}</div>
    </Group>
  )
}

/** LifecycleCard: deactivate, reactivate and delete, for people with account:lifecycle. */
export function LifecycleCard({ account, people }: { account: Account; people?: number }) {
  const canLifecycle = useCan('account:lifecycle')
  const canUsage = useCan('tenant:usage')
  const usage = useUsage(canUsage && canLifecycle)
  const [deactivating, deactivate] = useDisclosure(false)
  const [deleting, del] = useDisclosure(false)
  if (!canLifecycle) return null
  const active = account.status === 'active'
  const u = usage.data
  let room = ''
  if (u && u.accounts_used >= u.accounts_limit) {
    room = ` Your plan is full (${u.accounts_used} of ${u.accounts_limit} in use): deactivate another account or upload a license with more accounts first.`
  } else if (u) {
    room = ` Your plan has ${u.accounts_used} of ${u.accounts_limit} active accounts in use.`
  }
  return (
    <Card aria-labelledby="lifecycle-heading" className="danger-card">
      <Title order={2} fz="lg" id="lifecycle-heading" mb="md">
        Account lifecycle
      </Title>
      <Stack gap="md">
        {active ? (
          <LifecycleRow
            title="Deactivate this account"
            text="Its people lose access and its syncs stop; everything is kept and it can be reactivated."
            action={
              <Button variant="outline" color="red" leftSection={<IconPlayerPause size={16} aria-hidden />} onClick={deactivate.open}>
                Deactivate…
              </Button>
            }
          />
        ) : (
          <LifecycleRow
            title="Reactivate this account"
            text={`Its people can sign in again and syncs resume. It counts against your plan again.${room}`}
            action={<ReactivateButton account={account} variant="light" />}
          />
        )}
        <Divider />
        <LifecycleRow
          title="Delete this account"
          text={
            active
              ? 'Permanently deletes the account and all of its history. Deactivate it first.'
              : 'Permanently deletes the account and all of its history. This cannot be undone.'
          }
          action={
            <Button color="red" leftSection={<IconTrash size={16} aria-hidden />} onClick={del.open} disabled={active}>
              Delete…
            </Button>
          }
        />
      </Stack>
      <DeactivateModal account={account} people={people} opened={deactivating} onClose={deactivate.close} />
      <DeleteAccountModal account={account} opened={deleting} onClose={del.close} />
    </Card>
  )
}

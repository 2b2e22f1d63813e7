import { Alert, Anchor, Badge, Box, Button, Group, List, Modal, MultiSelect, Stack, Text, Textarea } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { IconAlertCircle, IconSend } from '@tabler/icons-react'
import { useEffect, useId, useMemo, useState, type FormEvent, type ReactNode } from 'react'
import { isApiError } from '../api/client'
import { MAX_INVITES, useGroups, useInviteMembers, type AccountRole, type Group as PeopleGroup, type InviteResult } from '../api/people'
import { plural } from '../lib/format'
import { roleLabel } from '../lib/roles'
import { looksLikeEmail, mapInviteErrors, parseAddresses, type InviteProblems } from '../lib/people'
import { AccountRoleInput } from './AccountRoleInput'
import { closeButtonProps, modalStyles } from './ConfirmModal'
import { errorMessage } from './ErrorState'
import { useCan } from './meContext'
import { FormProblem } from './FormProblem'

/**
 * notifyInvited says how an invitation (or CSV import) went: how many were
 * invited and, when mail could not be sent, that the invitations wait in the
 * Outbox. Notifications live outside the router: plain links only.
 */
export function notifyInvited(res: InviteResult, canReadOutbox: boolean, source?: string) {
  const n = res.items.length
  const who = n === 1 && res.items[0] ? res.items[0].email : plural(n, 'person', 'people')
  const title = `${who} invited${source ? ` ${source}` : ''}`
  let message: ReactNode
  if (res.outbox > 0) {
    const which = res.outbox >= n ? (n === 1 ? 'The email' : 'The emails') : `${res.outbox} of the ${n} emails`
    message = (
      <>
        {which} could not be sent and {res.outbox === 1 ? 'is' : 'are'} in the Outbox, where Tenant Admins can read{' '}
        {res.outbox === 1 ? 'it' : 'them'} and pass the link on
        {canReadOutbox ? (
          <>
            : <Anchor href="/settings/outbox">open the Outbox</Anchor>.
          </>
        ) : (
          ' (Settings → Outbox).'
        )}
      </>
    )
  } else {
    message = `${n === 1 ? 'The invitation is' : 'Invitations are'} on the way; ${n === 1 ? 'its link is' : 'their links are'} valid for 7 days.`
  }
  notifications.show({
    color: res.outbox > 0 ? 'orange' : 'teal',
    title,
    message,
    autoClose: res.outbox > 0 ? 15_000 : 6_000,
  })
}

/** groupOptions: the groups one can be put in (Everyone is implicit), with their role. */
export function groupOptions(groups: PeopleGroup[] | undefined) {
  return (groups ?? [])
    .filter((g) => g.builtin !== 'everyone')
    .map((g) => ({ value: g.id, label: g.name, role: g.role }))
}

export function GroupOption({ label, role }: { label: string; role: AccountRole | null | undefined }) {
  return (
    <Group gap="xs" justify="space-between" wrap="nowrap" w="100%">
      <Text size="sm" truncate="end">
        {label}
      </Text>
      {role && (
        <Text size="xs" c="dimmed" style={{ flex: 'none' }}>
          {roleLabel(role)}
        </Text>
      )}
    </Group>
  )
}

/** InviteModal invites up to 20 addresses at once, with one role and groups for all. */
export function InviteModal({
  account,
  accountName,
  opened,
  onClose,
  onImportCsv,
}: {
  account: string
  accountName: string
  opened: boolean
  onClose: () => void
  /** offered when there are too many addresses for one invitation */
  onImportCsv?: () => void
}) {
  const [busy, setBusy] = useState(false)
  return (
    <Modal
      opened={opened}
      onClose={() => {
        if (!busy) onClose()
      }}
      title={`Invite people to ${accountName}`}
      size="lg"
      radius="lg"
      padding="xl"
      closeOnClickOutside={!busy}
      closeOnEscape={!busy}
      styles={modalStyles}
      closeButtonProps={closeButtonProps}
    >
      {/* Mounted only while open: every opening starts with a blank form. */}
      {opened && <InviteForm account={account} accountName={accountName} onClose={onClose} onBusy={setBusy} onImportCsv={onImportCsv} />}
    </Modal>
  )
}

const EMPTY_PROBLEMS: InviteProblems = { byAddress: new Map(), role: null, groups: null, other: [] }

function InviteForm({
  account,
  accountName,
  onClose,
  onBusy,
  onImportCsv,
}: {
  account: string
  accountName: string
  onClose: () => void
  onBusy: (b: boolean) => void
  onImportCsv?: () => void
}) {
  const canReadOutbox = useCan('tenant:outbox')
  const groupsQuery = useGroups(account)
  const invite = useInviteMembers(account)
  const [text, setText] = useState('')
  const [role, setRole] = useState<AccountRole>('account_user')
  const [groups, setGroups] = useState<string[]>([])
  const [checked, setChecked] = useState(false)
  const [server, setServer] = useState<InviteProblems>(EMPTY_PROBLEMS)
  const [problem, setProblem] = useState<string | null>(null)
  const [emptyError, setEmptyError] = useState(false)
  const [focusText, setFocusText] = useState(0)
  const submitting = invite.isPending
  const ids = useId()
  const textId = `invite-addresses-${ids}`

  useEffect(() => onBusy(submitting), [submitting, onBusy])
  useEffect(() => {
    if (focusText) document.getElementById(textId)?.focus()
  }, [focusText, textId])

  const addresses = useMemo(() => parseAddresses(text), [text])
  const invalid = addresses.filter((a) => !looksLikeEmail(a))
  const tooMany = addresses.length > MAX_INVITES
  const options = groupOptions(groupsQuery.data?.items)
  const roleOf = new Map(options.map((o) => [o.value, o.role]))

  // Each address with what is wrong with it: its shape (once checked), then the server's words.
  const rows = addresses.map((a) => {
    const messages: string[] = []
    if (checked && !looksLikeEmail(a)) messages.push('This does not look like an email address.')
    messages.push(...(server.byAddress.get(a.toLowerCase()) ?? []))
    return { address: a, messages }
  })
  const bad = rows.filter((r) => r.messages.length > 0)

  const removeAddress = (a: string) => {
    setText(addresses.filter((x) => x.toLowerCase() !== a.toLowerCase()).join('\n'))
    setFocusText((n) => n + 1)
  }

  const textError = (() => {
    if (tooMany) {
      return `You can invite at most ${MAX_INVITES} people at a time; this list has ${addresses.length}. Remove ${addresses.length - MAX_INVITES}, or import a CSV file instead.`
    }
    if (emptyError && addresses.length === 0) return 'Add at least one email address.'
    if (bad.length > 0) return `${bad.length === 1 ? '1 address has a problem' : `${bad.length} addresses have problems`}: see below.`
    return undefined
  })()

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    if (submitting) return
    setChecked(true)
    setProblem(null)
    if (addresses.length === 0) {
      setEmptyError(true)
      setFocusText((n) => n + 1)
      return
    }
    if (tooMany || invalid.length > 0) {
      setFocusText((n) => n + 1)
      return
    }
    const sent = addresses
    try {
      const res = await invite.mutateAsync(sent.map((email) => ({ email, role, groups })))
      notifyInvited(res, canReadOutbox)
      onClose()
    } catch (err) {
      if (isApiError(err) && err.code !== 'too_many_invites' && err.errors.length > 0) {
        const mapped = mapInviteErrors(err.errors, sent)
        setServer(mapped)
        if (mapped.other.length > 0) setProblem(mapped.other.join(' '))
        else if (mapped.byAddress.size === 0 && !mapped.role && !mapped.groups) setProblem(errorMessage(err))
        if (mapped.byAddress.size > 0) setFocusText((n) => n + 1)
        return
      }
      setProblem(errorMessage(err))
    }
  }

  const conflict = isApiError(invite.error) && invite.error.status === 409
  const describedBy = [`${textId}-description`, textError ? `${textId}-error` : '', `${textId}-count`].filter(Boolean).join(' ')

  return (
    <form onSubmit={submit} noValidate aria-label={`Invite people to ${accountName}`}>
      <Stack gap="md">
        <Text size="sm" c="dimmed">
          Each person gets an email with a link to join {accountName}. Links are valid for 7 days and can be sent again.
        </Text>
        {problem && (
          <FormProblem title="Nothing was sent">
            {problem}
          </FormProblem>
        )}
        <Box>
          <Textarea
            id={textId}
            label="Email addresses"
            description="Separate addresses with commas, spaces or new lines. You can paste a list from your mail client."
            placeholder={'ada@client.example, grace@client.example'}
            value={text}
            onChange={(e) => {
              setText(e.currentTarget.value)
              setEmptyError(false)
              setProblem(null)
            }}
            onBlur={() => {
              if (addresses.length > 0) setChecked(true)
            }}
            error={textError}
            aria-describedby={describedBy}
            autosize
            minRows={3}
            maxRows={8}
            required
            data-autofocus
            disabled={submitting}
            spellCheck={false}
            autoComplete="off"
          />
          <Group justify="space-between" mt={6} gap="xs" wrap="nowrap" align="flex-start">
            {tooMany && onImportCsv ? (
              <Anchor component="button" type="button" size="xs" onClick={onImportCsv}>
                Import a CSV file instead
              </Anchor>
            ) : (
              <span />
            )}
            <Text size="xs" c={tooMany ? 'red.7' : 'dimmed'} id={`${textId}-count`} aria-live="polite" style={{ flex: 'none' }}>
              {addresses.length} of {MAX_INVITES} addresses
            </Text>
          </Group>
          {addresses.length > 0 && (
            <Group gap={6} mt={8} component="ul" aria-label="Addresses to invite" p={0} m={0} style={{ listStyle: 'none' }}>
              {rows.map((r) => (
                <Box component="li" key={r.address.toLowerCase()}>
                  <Badge
                    variant="light"
                    color={r.messages.length > 0 ? 'red' : 'gray'}
                    size="md"
                    radius="sm"
                    tt="none"
                    fw={500}
                    styles={{ root: { maxWidth: 320 } }}
                    title={r.messages.join(' ') || undefined}
                  >
                    {r.address}
                  </Badge>
                </Box>
              ))}
            </Group>
          )}
        </Box>
        {bad.length > 0 && (
          <Alert
            variant="light"
            color="red"
            icon={<IconAlertCircle size={18} aria-hidden />}
            role="alert"
            title={
              server.byAddress.size > 0
                ? conflict
                  ? 'Nothing was sent: some of these people cannot be invited'
                  : 'Nothing was sent: check these addresses'
                : 'Check these addresses'
            }
            data-testid="invite-address-problems"
          >
            <List size="sm" spacing={6} listStyleType="none" ml={0} pl={0}>
              {bad.map((r) => (
                <List.Item key={r.address.toLowerCase()}>
                  <Group gap={6} wrap="nowrap" align="flex-start">
                    <Text size="sm" style={{ flex: 1, overflowWrap: 'anywhere' }}>
                      <Text span fw={600} size="sm">
                        {r.address}
                      </Text>
                      : {r.messages.join(' ')}
                    </Text>
                    <Button
                      type="button"
                      size="compact-xs"
                      variant="subtle"
                      color="red"
                      onClick={() => removeAddress(r.address)}
                      aria-label={`Remove ${r.address} from the list`}
                      disabled={submitting}
                    >
                      Remove
                    </Button>
                  </Group>
                </List.Item>
              ))}
            </List>
          </Alert>
        )}
        <AccountRoleInput
          name="invite-role"
          label="Role"
          description="Everyone in this invitation gets the same role; you can change it later, also while the invitation is pending."
          value={role}
          onChange={(r) => {
            setRole(r)
            setServer((s) => ({ ...s, role: null }))
          }}
          error={server.role}
          disabled={submitting}
        />
        <MultiSelect
          label="Groups"
          description="Optional. Everyone is included automatically. A member’s rights are the union of their own role and their groups’ roles."
          placeholder={groupsQuery.isPending ? 'Loading groups…' : options.length === 0 ? 'No groups yet' : 'Choose groups'}
          data={options.map(({ value, label }) => ({ value, label }))}
          value={groups}
          onChange={(v) => {
            setGroups(v)
            setServer((s) => ({ ...s, groups: null }))
          }}
          renderOption={({ option }) => <GroupOption label={option.label} role={roleOf.get(option.value)} />}
          searchable
          clearable
          clearButtonProps={{ 'aria-label': 'Remove all groups' }}
          nothingFoundMessage="No group with that name"
          error={server.groups ?? (groupsQuery.isError ? 'Could not load the groups; you can still invite without them.' : undefined)}
          disabled={submitting || options.length === 0}
          comboboxProps={{ withinPortal: true }}
        />
        <Group justify="flex-end" mt="sm">
          <Button variant="default" onClick={onClose} disabled={submitting}>
            Cancel
          </Button>
          <Button type="submit" loading={submitting} leftSection={<IconSend size={16} aria-hidden />}>
            Send invitations
          </Button>
        </Group>
      </Stack>
    </form>
  )
}

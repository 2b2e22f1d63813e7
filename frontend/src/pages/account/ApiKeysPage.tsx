import {
  Alert,
  Badge,
  Box,
  Button,
  Code,
  CopyButton,
  EmptyState,
  Group,
  List,
  NumberInput,
  Paper,
  Skeleton,
  Stack,
  Table,
  Text,
  TextInput,
  ThemeIcon,
  Title,
  VisuallyHidden,
} from '@mantine/core'
import { useDocumentTitle } from '@mantine/hooks'
import { notifications } from '@mantine/notifications'
import { IconAlertTriangle, IconCheck, IconCopy, IconKey, IconKeyOff, IconPlus, IconUpload } from '@tabler/icons-react'
import { useEffect, useState, type FormEvent } from 'react'
import { isApiError } from '../../api/client'
import {
  MAX_EXPIRY_DAYS,
  useApiKeys,
  useCreateApiKey,
  useDeactivateApiKey,
  type ApiKey,
  type ApiKeyStatus,
  type CreatedApiKey,
} from '../../api/apiKeys'
import { ConfirmModal } from '../../components/ConfirmModal'
import { ErrorState, errorMessage } from '../../components/ErrorState'
import { FormModal, useLast } from '../../components/FormModal'
import { useCan, useCurrentMe } from '../../components/meContext'
import { badgeNoTruncate } from '../../components/StatusBadge'
import { TimeAgo } from '../../components/TimeAgo'
import { KEY_NAME_MAX, curlExample, keyInput, maskedKey, validateKeyForm, type KeyFormErrors } from '../../lib/apiKeys'
import { formatDate, formatDateTime, plural } from '../../lib/format'
import { NotFoundPage } from '../NotFoundPage'
import { AccountHeader, DeactivatedBanner } from './AccountLayout'
import { useAccountContext } from './accountContext'
import { FormProblem } from '../../components/FormProblem'

const STATUS: Record<ApiKeyStatus, [string, string]> = {
  active: ['green', 'Active'],
  expired: ['orange', 'Expired'],
  deactivated: ['gray', 'Deactivated'],
}

function KeyStatusBadge({ status }: { status: string }) {
  const [color, label] = STATUS[status as ApiKeyStatus] ?? ['gray', status]
  return (
    <Badge color={color} variant="light" size="sm" styles={badgeNoTruncate} data-status={status}>
      {label}
    </Badge>
  )
}

/** /:accountSlug/api-keys — the keys other tools push this account's estate with (apikeys:manage). */
export function ApiKeysPage() {
  const { account } = useAccountContext()
  const me = useCurrentMe()
  const canManage = useCan('apikeys:manage')
  const keys = useApiKeys(account.slug, canManage)
  const [creating, setCreating] = useState(false)
  const [deactivating, setDeactivating] = useState<ApiKey | null>(null)
  useDocumentTitle(`API keys · ${account.name} · ${me.tenant.branding?.display_name?.trim() || me.tenant.name}`)
  if (!canManage) return <NotFoundPage />

  const items = keys.data
  const active = items?.filter((k) => k.status === 'active').length ?? 0
  const create = (
    <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setCreating(true)}>
      Create API key
    </Button>
  )

  return (
    <Stack gap="lg">
      <AccountHeader account={account} section="API keys" actions={create} />
      <DeactivatedBanner account={account} />
      <IngestionExplainer accountName={account.name} />

      {keys.isError ? (
        <ErrorState error={keys.error} title="Could not load the API keys" onRetry={() => void keys.refetch()} retrying={keys.isFetching} />
      ) : items && items.length === 0 ? (
        <Paper withBorder p="xl">
          <EmptyState variant="light">
            <EmptyState.Indicator>
              <IconKey size={26} stroke={1.6} aria-hidden />
            </EmptyState.Indicator>
            <EmptyState.Title order={2}>No API keys yet</EmptyState.Title>
            <EmptyState.Description>
              Create a key for each tool that sends data, so that you can see which one last did and switch one off without
              touching the others.
            </EmptyState.Description>
            <EmptyState.Actions>{create}</EmptyState.Actions>
          </EmptyState>
        </Paper>
      ) : (
        <Stack gap="xs">
          {items && (
            <Text size="sm" c="dimmed">
              {plural(active, 'active key')} of {items.length}
            </Text>
          )}
          <KeysTable items={items} onDeactivate={setDeactivating} />
        </Stack>
      )}

      <CreateKeyModal slug={account.slug} accountName={account.name} opened={creating} onClose={() => setCreating(false)} />
      <DeactivateKeyModal slug={account.slug} apiKey={deactivating} onClose={() => setDeactivating(null)} />
    </Stack>
  )
}

function IngestionExplainer({ accountName }: { accountName: string }) {
  return (
    <Paper withBorder p="lg" bg="var(--mantine-color-gray-0)" component="section" aria-labelledby="ingestion-heading">
      <Group gap="md" wrap="nowrap" align="flex-start">
        <ThemeIcon size={36} radius="md" variant="light" aria-hidden visibleFrom="sm">
          <IconUpload size={18} />
        </ThemeIcon>
        <Stack gap={6}>
          <Title order={2} fz="md" id="ingestion-heading">
            What API keys are for
          </Title>
          <Text size="sm">
            Ingestion lets tools Bureau has no connector for — in-house schedulers, scripts, other automation platforms — push
            their <strong>jobs</strong>, <strong>robots</strong> and <strong>processes</strong> into {accountName}. They show on
            the dashboard and in the history beside what Bureau syncs itself.
          </Text>
          <List size="sm" spacing={2}>
            <List.Item>
              Send up to 1,000 items per request to <Code>POST /api/v1/ingest/jobs</Code>, <Code>/robots</Code> or{' '}
              <Code>/processes</Code>, with the key as <Code>Authorization: Bearer bur_…</Code>.
            </List.Item>
            <List.Item>Sending the same item again updates it (matched on its ref); a batch with a bad item is refused whole.</List.Item>
            <List.Item>A key works for this account only, and for nothing but ingestion. It is shown once, when created.</List.Item>
          </List>
        </Stack>
      </Group>
    </Paper>
  )
}

function KeysTable({ items, onDeactivate }: { items: ApiKey[] | undefined; onDeactivate: (k: ApiKey) => void }) {
  return (
    <Paper withBorder style={{ overflow: 'hidden' }}>
      <Table.ScrollContainer minWidth={860} type="native">
        <Table verticalSpacing="sm" horizontalSpacing="md" highlightOnHover={!!items} aria-label="API keys" aria-busy={!items || undefined}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Key</Table.Th>
              <Table.Th>Created</Table.Th>
              <Table.Th>Expires</Table.Th>
              <Table.Th>Last used</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th w={120}>
                <VisuallyHidden>Actions</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {!items
              ? [0, 1].map((i) => (
                  <Table.Tr key={i}>
                    {[140, 130, 110, 80, 80, 60, 0].map((w, j) => (
                      <Table.Td key={j}>{w > 0 && <Skeleton height={12} width={w} radius="sm" />}</Table.Td>
                    ))}
                  </Table.Tr>
                ))
              : items.map((k) => <KeyRow key={k.id} k={k} onDeactivate={onDeactivate} />)}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  )
}

function KeyRow({ k, onDeactivate }: { k: ApiKey; onDeactivate: (k: ApiKey) => void }) {
  const off = k.status !== 'active'
  return (
    <Table.Tr data-status={k.status}>
      <Table.Td style={{ maxWidth: 260 }}>
        <Text size="sm" fw={600} c={off ? 'dimmed' : undefined} style={{ overflowWrap: 'anywhere' }}>
          {k.name}
        </Text>
      </Table.Td>
      <Table.Td>
        <Code style={{ whiteSpace: 'nowrap' }}>{maskedKey(k.prefix)}</Code>
      </Table.Td>
      <Table.Td>
        <Stack gap={0}>
          <TimeAgo at={k.created_at} />
          <Text size="xs" c="dimmed" lineClamp={1}>
            {k.created_by ? `by ${k.created_by.name}` : 'by a removed person'}
          </Text>
        </Stack>
      </Table.Td>
      <Table.Td>
        {k.expires_at ? (
          <Text size="sm" c={k.status === 'expired' ? 'orange.9' : undefined} style={{ whiteSpace: 'nowrap' }}>
            <time dateTime={k.expires_at} title={formatDateTime(k.expires_at)}>
              {formatDate(k.expires_at)}
            </time>
          </Text>
        ) : (
          <Text size="sm" c="dimmed">
            Never
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        {k.last_used_at ? (
          <TimeAgo at={k.last_used_at} />
        ) : (
          <Text size="sm" c="dimmed">
            Never used
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <KeyStatusBadge status={k.status} />
      </Table.Td>
      <Table.Td ta="right">
        {k.status === 'active' && (
          <Button
            variant="subtle"
            color="red"
            size="xs"
            leftSection={<IconKeyOff size={14} aria-hidden />}
            onClick={() => onDeactivate(k)}
            aria-label={`Deactivate ${k.name}`}
          >
            Deactivate
          </Button>
        )}
      </Table.Td>
    </Table.Tr>
  )
}

// --- create ----------------------------------------------------------------------------

function CreateKeyModal({ slug, accountName, opened, onClose }: { slug: string; accountName: string; opened: boolean; onClose: () => void }) {
  const [created, setCreated] = useState<CreatedApiKey | null>(null)
  const close = () => {
    // The key leaves memory with the dialog: it is never shown again.
    setCreated(null)
    onClose()
  }
  return (
    <FormModal opened={opened} onClose={close} title={created ? 'Copy your new API key' : 'Create API key'} size="lg">
      {(onBusy) =>
        opened &&
        (created ? (
          <NewKey created={created} onDone={close} />
        ) : (
          <CreateKeyForm slug={slug} accountName={accountName} onCreated={setCreated} onCancel={close} onBusy={onBusy} />
        ))
      }
    </FormModal>
  )
}

function CreateKeyForm({
  slug,
  accountName,
  onCreated,
  onCancel,
  onBusy,
}: {
  slug: string
  accountName: string
  onCreated: (k: CreatedApiKey) => void
  onCancel: () => void
  onBusy: (b: boolean) => void
}) {
  const create = useCreateApiKey(slug)
  const [name, setName] = useState('')
  const [days, setDays] = useState<string | number>('')
  const [errors, setErrors] = useState<KeyFormErrors>({})
  const [problem, setProblem] = useState<string | null>(null)
  const pending = create.isPending
  useEffect(() => onBusy(pending), [pending, onBusy])

  const focus = (e: KeyFormErrors) => {
    const id = e.name ? 'api-key-name' : e.expires_in_days ? 'api-key-days' : null
    if (id) document.getElementById(id)?.focus()
  }

  const submit = async (ev: FormEvent) => {
    ev.preventDefault()
    if (pending) return
    setProblem(null)
    const errs = validateKeyForm({ name, days })
    setErrors(errs)
    if (Object.keys(errs).length > 0) {
      focus(errs)
      return
    }
    try {
      onCreated(await create.mutateAsync(keyInput({ name, days })))
    } catch (err) {
      if (isApiError(err) && (err.fieldErrors.name || err.fieldErrors.expires_in_days)) {
        const placed = { name: err.fieldErrors.name, expires_in_days: err.fieldErrors.expires_in_days }
        setErrors(placed)
        focus(placed)
        return
      }
      setProblem(errorMessage(err))
    }
  }

  return (
    <form onSubmit={(e) => void submit(e)} noValidate aria-label="Create API key">
      <Stack gap="md">
        <Text size="sm" c="dimmed">
          The key may push jobs, robots and processes into {accountName}, and nothing else.
        </Text>
        {problem && (
          <FormProblem title="The key was not created">
            {problem}
          </FormProblem>
        )}
        <TextInput
          id="api-key-name"
          label="Name"
          description="What will use the key, so that you recognise it later."
          placeholder="Jenkins pipeline"
          value={name}
          onChange={(e) => {
            setName(e.currentTarget.value)
            setErrors((x) => ({ ...x, name: undefined }))
          }}
          error={errors.name}
          maxLength={KEY_NAME_MAX}
          required
          data-autofocus
          autoComplete="off"
          disabled={pending}
        />
        <NumberInput
          id="api-key-days"
          label="Expires after (days)"
          description={`Optional, 1 to ${MAX_EXPIRY_DAYS} days. Leave empty for a key that does not expire.`}
          placeholder="Never"
          value={days}
          onChange={(v) => {
            setDays(v)
            setErrors((x) => ({ ...x, expires_in_days: undefined }))
          }}
          error={errors.expires_in_days}
          min={1}
          max={MAX_EXPIRY_DAYS}
          allowDecimal={false}
          allowNegative={false}
          // Say what is wrong rather than quietly changing 400 into 365.
          clampBehavior="none"
          hideControls
          disabled={pending}
          w={{ base: '100%', xs: 260 }}
        />
        <Group justify="flex-end" mt="sm">
          <Button variant="default" onClick={onCancel} disabled={pending}>
            Cancel
          </Button>
          <Button type="submit" loading={pending} leftSection={<IconKey size={16} aria-hidden />}>
            Create key
          </Button>
        </Group>
      </Stack>
    </form>
  )
}

function CopyBox({ label, value, copyLabel, multiline, testId }: { label: string; value: string; copyLabel: string; multiline?: boolean; testId: string }) {
  return (
    <Stack gap={6}>
      <Group justify="space-between" gap="sm">
        <Text size="sm" fw={600} id={`${testId}-label`}>
          {label}
        </Text>
        <CopyButton value={value} timeout={2500}>
          {({ copied, copy }) => (
            <Button
              size="xs"
              variant={copied ? 'light' : 'default'}
              color={copied ? 'teal' : undefined}
              leftSection={copied ? <IconCheck size={14} aria-hidden /> : <IconCopy size={14} aria-hidden />}
              onClick={copy}
            >
              {copied ? 'Copied' : copyLabel}
            </Button>
          )}
        </CopyButton>
      </Group>
      <Code
        block={multiline}
        data-testid={testId}
        aria-labelledby={`${testId}-label`}
        style={{ overflowWrap: 'anywhere', whiteSpace: multiline ? 'pre-wrap' : 'normal', userSelect: 'all', fontSize: 'var(--mantine-font-size-sm)', padding: multiline ? undefined : '8px 10px' }}
      >
        {value}
      </Code>
    </Stack>
  )
}

function NewKey({ created, onDone }: { created: CreatedApiKey; onDone: () => void }) {
  const example = curlExample(window.location.origin, created.key)
  return (
    <Stack gap="md">
      <Alert variant="light" color="orange" icon={<IconAlertTriangle size={18} aria-hidden />} title="This is the only time the key is shown" role="status">
        Copy it now and keep it in the tool’s secret store. Bureau keeps only a fingerprint of it and cannot show it again; if
        it is lost, deactivate it and create a new one.
      </Alert>
      <CopyBox label={`API key “${created.name}”`} value={created.key} copyLabel="Copy key" testId="new-api-key" />
      <Box>
        <CopyBox label="Try it: send a job with curl" value={example} copyLabel="Copy example" multiline testId="curl-example" />
        <Text size="xs" c="dimmed" mt={6}>
          The job’s process is created when it is first seen. Robots and processes go to <Code>/ingest/robots</Code> and{' '}
          <Code>/ingest/processes</Code> the same way.
        </Text>
      </Box>
      <Group justify="flex-end" mt="sm">
        <Button onClick={onDone}>Done</Button>
      </Group>
    </Stack>
  )
}

// --- deactivate --------------------------------------------------------------------------

function DeactivateKeyModal({ slug, apiKey, onClose }: { slug: string; apiKey: ApiKey | null; onClose: () => void }) {
  const deactivate = useDeactivateApiKey(slug)
  const k = useLast(apiKey)
  return (
    <ConfirmModal
      opened={apiKey !== null}
      onClose={onClose}
      title={k ? `Deactivate “${k.name}”?` : 'Deactivate the key?'}
      confirmLabel="Deactivate key"
      confirmIcon={<IconKeyOff size={16} aria-hidden />}
      onConfirm={async () => {
        if (!k) return
        const saved = await deactivate.mutateAsync(k.id)
        notifications.show({ color: 'teal', title: 'API key deactivated', message: `${saved.name} can no longer send data.` })
      }}
    >
      <Text size="sm">
        Tools using <Code>{k ? maskedKey(k.prefix) : ''}</Code> are refused from now on. This cannot be undone: create a new key
        if the tool needs one again. What the key sent stays.
      </Text>
    </ConfirmModal>
  )
}

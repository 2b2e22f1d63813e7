import { Alert, Button, EmptyState, Group, Paper, Skeleton, Stack, Text } from '@mantine/core'
import { useDocumentTitle } from '@mantine/hooks'
import { notifications } from '@mantine/notifications'
import {
  IconAlertTriangle,
  IconDeviceFloppy,
  IconInfoCircle,
  IconKey,
  IconPlugConnected,
  IconPlugConnectedX,
} from '@tabler/icons-react'
import { useEffect, useImperativeHandle, useRef, useState, type FormEvent, type Ref } from 'react'
import { isApiError } from '../../api/client'
import {
  useConnection,
  useConnectors,
  usePutConnection,
  useRotateSecrets,
  useTestConnection,
  type Connection,
  type ConnectorField,
  type ConnectorSpec,
} from '../../api/connection'
import { focusField, ProviderPicker, SecretField, SettingField, storedLine } from '../../components/ConnectionFields'
import { ConnectionStatus, type TestAction } from '../../components/ConnectionStatus'
import { ErrorState, errorMessage } from '../../components/ErrorState'
import { useCan, useCurrentMe } from '../../components/meContext'
import { SectionCard } from '../../components/SettingsSection'
import { UnsavedChangesModal, useUnsavedChangesGuard } from '../../components/UnsavedChanges'
import {
  DEMO_PROVIDER,
  connectionDirty,
  connectionInput,
  connectionValues,
  firstErrorKey,
  hasConnectionErrors,
  isRequired,
  isShown,
  noConnectionErrors,
  placeConnectionErrors,
  providerLabel,
  rotationFields,
  secretMode,
  secretRequired,
  sortSpecs,
  validateConnection,
  withProvider,
  type ConnectionErrors,
  type ConnectionValues,
} from '../../lib/connectionForm'
import { NotFoundPage } from '../NotFoundPage'
import { AccountHeader, DeactivatedBanner } from './AccountLayout'
import { useAccountContext } from './accountContext'
import { FormProblem } from '../../components/FormProblem'

function EmptyConnection({ canUpdate, onUseDemo }: { canUpdate: boolean; onUseDemo?: () => void }) {
  return (
    <Paper withBorder p="xl" data-testid="connection-empty">
      <EmptyState variant="light">
        <EmptyState.Indicator>
          <IconPlugConnectedX size={26} stroke={1.6} aria-hidden />
        </EmptyState.Indicator>
        <EmptyState.Title order={2}>Not connected yet</EmptyState.Title>
        <EmptyState.Description>
          {canUpdate
            ? 'Connect this account to the RPA tool its automations run on. Bureau then syncs processes, jobs, robots and schedules every few minutes, for dashboards, history and manual runs. Trying Bureau out? The demo estate simulates a small RPA estate and needs no credentials.'
            : 'Your consultants have not connected this account to its RPA tool yet. Once they have, Bureau syncs processes, jobs, robots and schedules every few minutes, and you can rotate the connection’s secrets here.'}
        </EmptyState.Description>
        {canUpdate && onUseDemo && (
          <EmptyState.Actions>
            <Button variant="light" onClick={onUseDemo}>
              Use the demo estate
            </Button>
          </EmptyState.Actions>
        )}
      </EmptyState>
    </Paper>
  )
}

// --- the full form (Tenant Admin, Consultant, Account Admin) ------------------------

/** What the page may do to the form: choose a provider (the empty state's demo button). */
interface ConnectionFormHandle {
  choose: (provider: string) => void
}

function ConnectionForm({
  slug,
  connection,
  specs,
  test,
  onDirty,
  ref,
}: {
  slug: string
  connection: Connection
  specs: ConnectorSpec[]
  test: TestAction | null
  onDirty: (d: boolean) => void
  ref?: Ref<ConnectionFormHandle>
}) {
  const put = usePutConnection(slug)
  const [base, setBase] = useState<ConnectionValues>(() => connectionValues(connection, specs))
  const [v, setV] = useState<ConnectionValues>(base)
  const [errors, setErrors] = useState<ConnectionErrors>(noConnectionErrors)
  const [problem, setProblem] = useState<string | null>(null)
  const [action, setAction] = useState<'save' | 'test' | null>(null)
  const dirty = connectionDirty(v, base)
  const saving = action !== null
  const spec = specs.find((s) => s.name === v.provider)
  const savedSpec = specs.find((s) => s.name === connection.provider)
  const switching = connection.provider !== null && v.provider !== connection.provider

  useEffect(() => onDirty(dirty), [dirty, onDirty])

  // Follow the saved connection when nothing is being edited (not its tests: they change no field).
  const stamp = JSON.stringify([connection.provider, connection.settings, connection.secrets, connection.secrets_set])
  useEffect(() => {
    if (!dirty) {
      const next = connectionValues(connection, specs)
      setBase(next)
      setV(next)
    }
  }, [stamp])

  const choose = (name: string) => {
    if (name === v.provider) return
    const next = specs.find((s) => s.name === name)
    if (!next) return
    setV(withProvider(next, connection))
    setErrors(noConnectionErrors())
    setProblem(null)
  }

  useImperativeHandle(ref, () => ({
    choose: (name: string) => {
      choose(name)
      focusField('provider')
    },
  }))

  const setSetting = (key: string, value: string) => {
    setV((prev) => ({ ...prev, settings: { ...prev.settings, [key]: value } }))
    setErrors((prev) => {
      const { [key]: _gone, ...settings } = prev.settings
      return { ...prev, settings }
    })
  }
  const setSecret = (key: string, value: string) => {
    setV((prev) => ({ ...prev, secrets: { ...prev.secrets, [key]: value } }))
    setErrors((prev) => {
      const { [key]: _gone, ...secrets } = prev.secrets
      return { ...prev, secrets }
    })
  }
  const replace = (key: string) => {
    setV((prev) => ({ ...prev, replacing: [...prev.replacing.filter((k) => k !== key), key] }))
    focusField(key)
  }
  const keep = (key: string) => {
    setV((prev) => {
      const { [key]: _typed, ...secrets } = prev.secrets
      return { ...prev, secrets, replacing: prev.replacing.filter((k) => k !== key) }
    })
    setErrors((prev) => {
      const { [key]: _gone, ...secrets } = prev.secrets
      return { ...prev, secrets }
    })
    setTimeout(() => document.querySelector<HTMLElement>(`[data-testid="secret-${key}"] button`)?.focus(), 0)
  }

  /** showErrors opens the stored secrets that have an error, and focuses the first field in error. */
  const showErrors = (e: ConnectionErrors) => {
    setErrors(e)
    const open = Object.keys(e.secrets).filter((k) => secretMode(connection, v, k) === 'stored')
    if (open.length > 0) setV((prev) => ({ ...prev, replacing: [...new Set([...prev.replacing, ...open])] }))
    const first = firstErrorKey(e, spec)
    if (first) focusField(first)
  }

  const save = async (andTest: boolean) => {
    if (saving) return
    setProblem(null)
    if (!dirty) {
      if (andTest && connection.provider && test) test.run()
      return
    }
    if (!spec) {
      showErrors({ ...noConnectionErrors(), provider: 'Choose the RPA tool to connect to.' })
      return
    }
    const errs = validateConnection(spec, v, connection)
    if (hasConnectionErrors(errs)) {
      showErrors(errs)
      return
    }
    const input = connectionInput(spec, v)
    const changedProvider = connection.provider !== spec.name
    setAction(andTest ? 'test' : 'save')
    try {
      const saved = await put.mutateAsync(input)
      const next = connectionValues(saved, specs)
      setBase(next)
      setV(next)
      setErrors(noConnectionErrors())
      const secrets = Object.keys(input.secrets).length
      notifications.show({
        color: 'teal',
        title: 'Connection saved',
        message: changedProvider
          ? `Bureau now connects to ${providerLabel(spec)}; the first sync starts within a few minutes.`
          : secrets > 0
            ? `The settings and the new ${secrets === 1 ? 'secret are' : 'secrets are'} stored.`
            : 'The settings are stored.',
      })
      if (andTest && test) test.run()
    } catch (err) {
      if (isApiError(err) && Object.keys(err.fieldErrors).length > 0) {
        const placed = placeConnectionErrors(err.fieldErrors, spec)
        showErrors(placed.errors)
        if (placed.unplaced.length > 0) setProblem(placed.unplaced.join(' '))
      } else {
        setProblem(errorMessage(err))
      }
    } finally {
      setAction(null)
    }
  }

  const reset = () => {
    setV(base)
    setErrors(noConnectionErrors())
    setProblem(null)
  }

  const shown = spec ? spec.fields.filter((f) => isShown(f, v.settings)) : []
  const settingsShown = shown.filter((f) => !f.secret)
  const secretsShown = shown.filter((f) => f.secret)
  const canSaveAndTest = test !== null
  const testBusy = test?.running ?? false

  const fieldsOf = (fields: ConnectorField[]) =>
    fields.map((f) =>
      f.secret ? (
        <SecretField
          key={f.key}
          field={f}
          stored={
            secretMode(connection, v, f.key) === 'new' ? null : (connection.secrets?.[f.key] ?? { configured: true, updated_at: '', needs_reentry: false })
          }
          mode={secretMode(connection, v, f.key)}
          value={v.secrets[f.key] ?? ''}
          required={secretRequired(f, connection, v)}
          error={errors.secrets[f.key]}
          disabled={saving}
          onChange={(value) => setSecret(f.key, value)}
          onReplace={() => replace(f.key)}
          onKeep={() => keep(f.key)}
        />
      ) : (
        <SettingField
          key={f.key}
          field={f}
          value={v.settings[f.key] ?? ''}
          required={isRequired(f, v.settings) && f.kind !== 'bool'}
          error={errors.settings[f.key]}
          disabled={saving}
          onChange={(value) => setSetting(f.key, value)}
        />
      ),
    )

  return (
    <form onSubmit={(e: FormEvent) => (e.preventDefault(), void save(false))} noValidate aria-label="Connection settings">
      <Stack gap="lg">
        <SectionCard
          id="connection-provider-heading"
          title="Provider"
          text="Which RPA tool Bureau reads this account’s processes, jobs, robots and schedules from. An account has one connection."
          dirty={dirty}
        >
          <Stack gap="md">
            {problem && (
              <FormProblem title="Could not save the connection">
                {problem}
              </FormProblem>
            )}
            {connection.provider && !savedSpec && (
              <Alert variant="light" color="orange" icon={<IconAlertTriangle size={18} aria-hidden />}>
                This account is connected to “{connection.provider}”, which this version of Bureau does not describe. Choose a provider to replace it.
              </Alert>
            )}
            <ProviderPicker
              specs={specs}
              value={v.provider}
              saved={connection.provider}
              error={errors.provider}
              disabled={saving}
              onChange={choose}
            />
            {spec?.help && (
              <Paper radius="md" p="md" bg="var(--mantine-color-gray-0)" data-testid="provider-help">
                <Group gap="sm" wrap="nowrap" align="flex-start">
                  <IconInfoCircle size={18} aria-hidden style={{ flexShrink: 0, marginTop: 2 }} color="var(--mantine-color-bureau-7, var(--mantine-color-blue-7))" />
                  <Text size="sm" style={{ whiteSpace: 'pre-line' }}>
                    {spec.help}
                  </Text>
                </Group>
              </Paper>
            )}
            {switching && savedSpec && spec && (
              <Alert variant="light" color="orange" icon={<IconAlertTriangle size={18} aria-hidden />} title={`Switching to ${providerLabel(spec)}`}>
                Saving replaces the {providerLabel(savedSpec)} connection: its stored secrets are deleted, and the next syncs read from {providerLabel(spec)}.
              </Alert>
            )}
          </Stack>
        </SectionCard>

        <SectionCard
          id="connection-settings-heading"
          title={spec ? `${providerLabel(spec)} settings` : 'Settings'}
          text={
            <>
              Where to reach the tool and how to sign in. Secrets are stored encrypted and never shown again: you can only
              replace them.
            </>
          }
        >
          <Stack gap="md">
            {!spec ? (
              <Text size="sm" c="dimmed" data-testid="choose-provider-first">
                Choose a provider above: its settings appear here.
              </Text>
            ) : shown.length === 0 ? (
              <Text size="sm" c="dimmed" data-testid="no-fields">
                {spec.name === DEMO_PROVIDER
                  ? 'Nothing to fill in: the demo estate needs no address and no credentials.'
                  : `${providerLabel(spec)} needs no settings.`}
              </Text>
            ) : (
              <>
                {fieldsOf(settingsShown)}
                {secretsShown.length > 0 && settingsShown.length > 0 && (
                  <Group gap={6} mt={4}>
                    <IconKey size={16} aria-hidden color="var(--mantine-color-dimmed)" />
                    <Text size="sm" fw={600}>
                      Secrets
                    </Text>
                  </Group>
                )}
                {fieldsOf(secretsShown)}
              </>
            )}
          </Stack>
          <Group justify="flex-end" gap="sm" mt="xl">
            {dirty && (
              <Button variant="subtle" color="gray" onClick={reset} disabled={saving}>
                Discard changes
              </Button>
            )}
            <Button
              type="submit"
              variant={canSaveAndTest ? 'default' : 'filled'}
              loading={action === 'save'}
              disabled={!dirty || (saving && action !== 'save')}
              leftSection={<IconDeviceFloppy size={16} aria-hidden />}
            >
              Save
            </Button>
            {canSaveAndTest && (
              <Button
                type="button"
                onClick={() => void save(true)}
                loading={action === 'test' || testBusy}
                disabled={(!dirty && !connection.provider) || (saving && action !== 'test')}
                leftSection={<IconPlugConnected size={16} aria-hidden />}
              >
                Save and test connection
              </Button>
            )}
          </Group>
        </SectionCard>
      </Stack>
    </form>
  )
}

// --- rotation only (Clients) ------------------------------------------------------

function RotateSecretsForm({
  slug,
  connection,
  spec,
  onDirty,
}: {
  slug: string
  connection: Connection
  spec: ConnectorSpec | undefined
  onDirty: (d: boolean) => void
}) {
  const rotate = useRotateSecrets(slug)
  const fields = rotationFields(spec, connection)
  const [typed, setTyped] = useState<Record<string, string>>({})
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [problem, setProblem] = useState<string | null>(null)
  const dirty = Object.values(typed).some((s) => s !== '')
  const saving = rotate.isPending

  useEffect(() => onDirty(dirty), [dirty, onDirty])

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    if (saving) return
    setProblem(null)
    const errs: Record<string, string> = {}
    for (const f of fields) {
      if (connection.secrets?.[f.key]?.needs_reentry && !(typed[f.key] ?? '')) {
        errs[f.key] = `Re-enter the ${f.label.toLowerCase()}: the stored one can’t be read.`
      }
    }
    if (Object.keys(errs).length > 0 || !dirty) {
      setErrors(errs)
      const first = fields.find((f) => errs[f.key])
      if (first) focusField(first.key, 'rotate')
      return
    }
    const secrets = Object.fromEntries(Object.entries(typed).filter(([, s]) => s !== ''))
    try {
      await rotate.mutateAsync(secrets)
      setTyped({})
      setErrors({})
      const n = Object.keys(secrets).length
      notifications.show({
        color: 'teal',
        title: n === 1 ? 'Secret rotated' : 'Secrets rotated',
        message: 'Bureau uses the new value from the next sync on.',
      })
    } catch (err) {
      if (isApiError(err) && Object.keys(err.fieldErrors).length > 0) {
        const placed = placeConnectionErrors(err.fieldErrors, spec ?? { name: '', label: '', vendor: '', help: '', fields })
        setErrors(placed.errors.secrets)
        const rest = [...placed.unplaced, ...Object.values(placed.errors.settings), ...(placed.errors.provider ? [placed.errors.provider] : [])]
        if (rest.length > 0) setProblem(rest.join(' '))
        const first = fields.find((f) => placed.errors.secrets[f.key])
        if (first) focusField(first.key, 'rotate')
      } else if (isApiError(err) && err.code === 'connection_missing') {
        setProblem('There is no connection to rotate secrets of any more: it was removed meanwhile. Reload the page.')
      } else {
        setProblem(errorMessage(err))
      }
    }
  }

  return (
    <SectionCard
      id="connection-rotate-heading"
      title="Rotate secrets"
      text="Replace a secret after changing it in the RPA tool’s console, so that syncing keeps working. Stored secrets are never shown; a field left empty keeps its secret."
      dirty={dirty}
    >
      <form onSubmit={(e) => void submit(e)} noValidate aria-labelledby="connection-rotate-heading">
        <Stack gap="md">
          {problem && (
            <FormProblem title="Could not rotate the secrets">
              {problem}
            </FormProblem>
          )}
          {fields.length === 0 ? (
            <Text size="sm" c="dimmed" data-testid="no-secrets">
              This connection has no secrets to rotate.
            </Text>
          ) : (
            fields.map((f) => {
              const stored = connection.secrets?.[f.key] ?? null
              return (
                <SecretField
                  key={f.key}
                  field={f}
                  stored={stored}
                  mode={stored?.needs_reentry ? 'reentry' : 'new'}
                  value={typed[f.key] ?? ''}
                  required={!!stored?.needs_reentry}
                  error={errors[f.key]}
                  disabled={saving}
                  idPrefix="rotate"
                  description={
                    <span data-testid={`rotate-${f.key}-state`}>
                      {stored && !stored.needs_reentry ? `${storedLine(stored)}. ` : !stored ? 'Not set. ' : ''}
                      {f.help}
                    </span>
                  }
                  onChange={(value) => {
                    setTyped((prev) => ({ ...prev, [f.key]: value }))
                    setErrors((prev) => {
                      const { [f.key]: _gone, ...rest } = prev
                      return rest
                    })
                  }}
                />
              )
            })
          )}
        </Stack>
        {fields.length > 0 && (
          <Group justify="flex-end" gap="sm" mt="xl">
            {dirty && (
              <Button
                variant="subtle"
                color="gray"
                onClick={() => {
                  setTyped({})
                  setErrors({})
                  setProblem(null)
                }}
                disabled={saving}
              >
                Discard changes
              </Button>
            )}
            <Button type="submit" loading={saving} disabled={!dirty} leftSection={<IconKey size={16} aria-hidden />}>
              Rotate secrets
            </Button>
          </Group>
        )}
      </form>
    </SectionCard>
  )
}

// --- the page -----------------------------------------------------------------------

function ConnectionSkeleton() {
  return (
    <Stack gap="lg" aria-busy="true" aria-label="Loading the connection">
      <Skeleton height={110} radius="lg" />
      <Skeleton height={300} radius="lg" />
      <Skeleton height={260} radius="lg" />
    </Stack>
  )
}

/**
 * /:accountSlug/connection — the account's RPA connection: provider,
 * settings and write-only secrets, tested against the vendor. Clients see
 * the status and may rotate the secrets; Account Users get the 404.
 */
export function ConnectionPage() {
  const { account } = useAccountContext()
  const me = useCurrentMe()
  const canRead = useCan('connection:read')
  const canUpdate = useCan('connection:update')
  const canTest = useCan('connection:test')
  const canRotate = useCan('connection:rotate')
  const specsQ = useConnectors(canRead)
  const connQ = useConnection(account.slug, canRead)
  const tester = useTestConnection(account.slug)
  const [formDirty, setFormDirty] = useState(false)
  const [rotateDirty, setRotateDirty] = useState(false)
  const [testProblem, setTestProblem] = useState<string | null>(null)
  const blocker = useUnsavedChangesGuard(formDirty || rotateDirty)
  const formRef = useRef<ConnectionFormHandle>(null)
  useDocumentTitle(`Connection · ${account.name} · ${me.tenant.branding?.display_name?.trim() || me.tenant.name}`)

  if (!canRead) return <NotFoundPage />

  const specs = specsQ.data ? sortSpecs(specsQ.data) : null
  const connection = connQ.data ?? null
  const spec = specs?.find((s) => s.name === connection?.provider)

  const test: TestAction | null = canTest
    ? {
        running: tester.isPending,
        disabledReason: !connection?.provider
          ? 'Save the connection first: the test uses the saved settings.'
          : formDirty
            ? 'Save or discard your changes first: the test uses the saved settings.'
            : null,
        problem: testProblem,
        run: () => {
          if (tester.isPending) return
          setTestProblem(null)
          tester.mutate(undefined, {
            onError: (err) =>
              setTestProblem(
                isApiError(err) && err.code === 'connection_missing'
                  ? 'Save the connection first: the test uses the saved settings.'
                  : errorMessage(err),
              ),
          })
        },
      }
    : null

  const failed = specsQ.isError ? specsQ : connQ.isError ? connQ : null

  return (
    <Stack gap="lg">
      <AccountHeader account={account} section="Connection" />
      <DeactivatedBanner account={account} />
      {failed ? (
        <ErrorState
          error={failed.error}
          onRetry={() => void failed.refetch()}
          retrying={failed.isFetching}
          title="Could not load the connection"
        />
      ) : !specs || !connection ? (
        <ConnectionSkeleton />
      ) : (
        <>
          {connection.provider === null ? (
            <EmptyConnection
              canUpdate={canUpdate}
              onUseDemo={specs.some((s) => s.name === DEMO_PROVIDER) ? () => formRef.current?.choose(DEMO_PROVIDER) : undefined}
            />
          ) : (
            <ConnectionStatus connection={connection} spec={spec} test={test} />
          )}
          {canUpdate ? (
            <ConnectionForm slug={account.slug} connection={connection} specs={specs} test={test} onDirty={setFormDirty} ref={formRef} />
          ) : canRotate && connection.provider !== null ? (
            <RotateSecretsForm slug={account.slug} connection={connection} spec={spec} onDirty={setRotateDirty} />
          ) : null}
        </>
      )}
      <UnsavedChangesModal blocker={blocker} />
    </Stack>
  )
}

import {
  ActionIcon,
  Button,
  Card,
  Code,
  CopyButton,
  Group,
  List,
  NativeSelect,
  PasswordInput,
  Skeleton,
  Stack,
  Table,
  TagsInput,
  Text,
  TextInput,
  ThemeIcon,
  Tooltip,
  VisuallyHidden,
} from '@mantine/core'
import { useDocumentTitle } from '@mantine/hooks'
import { notifications } from '@mantine/notifications'
import {
  IconCheck,
  IconCircleCheck,
  IconCircleDashed,
  IconClockHour4,
  IconCopy,
  IconLogin2,
  IconPlus,
  IconTrash,
} from '@tabler/icons-react'
import { useQueryClient } from '@tanstack/react-query'
import { useEffect, useImperativeHandle, useRef, useState, type FormEvent, type Ref } from 'react'
import { useSearchParams } from 'react-router'
import { isApiError } from '../api/client'
import type { StaffRole } from '../api/self'
import { tenantSettingsKeys, usePutSsoSettings, useSsoSettings, useSsoTest, type SsoSettings } from '../api/tenantSettings'
import { ErrorState, errorMessage } from '../components/ErrorState'
import { useCan, useCurrentMe } from '../components/meContext'
import { PageHeader } from '../components/PageHeader'
import { FormActions, SectionCard } from '../components/SettingsSection'
import { SsoTestPanel, type TestAction } from '../components/SsoTestPanel'
import { UnsavedChangesModal, useUnsavedChangesGuard } from '../components/UnsavedChanges'
import { formatDateTime, relativeTime } from '../lib/format'
import { ROLE_LABELS } from '../lib/roles'
import {
  ENTRA_ISSUER_EXAMPLE,
  firstErrorId,
  hasErrors,
  isMultiTenantIssuer,
  mappingOf,
  newRow,
  noErrors,
  normalizeDomain,
  placeSsoErrors,
  ssoDirty,
  ssoInput,
  ssoTestUrl,
  ssoValues,
  validateSso,
  withMapping,
  type SsoErrors,
  type SsoValues,
} from '../lib/ssoForm'
import { NotFoundPage } from './NotFoundPage'
import { FormProblem } from '../components/FormProblem'

const STAFF_ROLES: StaffRole[] = ['tenant_admin', 'consultant']
const ROLE_OPTIONS = STAFF_ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }))

/** ssoStatus says where the set-up stands, in one line. */
function ssoStatus(s: SsoSettings): { label: string; color: string; icon: typeof IconCheck } {
  if (!s.configured) return { label: 'Not configured', color: 'gray', icon: IconCircleDashed }
  if (!s.last_success_at) return { label: 'Configured — no successful sign-in yet', color: 'orange', icon: IconClockHour4 }
  return { label: `Last successful sign-in ${relativeTime(s.last_success_at)}`, color: 'teal', icon: IconCircleCheck }
}

/** testDisabledReason: why the test sign-in cannot run now (it uses the saved settings); null when it can. */
function testDisabledReason(settings: SsoSettings, dirty: boolean): string | null {
  if (!settings.configured) return 'Save the settings first: the test signs in with the saved settings.'
  if (dirty) return 'Save or discard your changes first: the test signs in with the saved settings.'
  return null
}

function TestSignIn({ test }: { test: TestAction }) {
  return (
    <Stack gap={6} maw={300} style={{ flexShrink: 0 }}>
      <Group>
        <Button
          variant="light"
          leftSection={<IconLogin2 size={16} aria-hidden />}
          onClick={test.run}
          disabled={test.disabledReason !== null}
          loading={test.starting}
          aria-describedby={test.disabledReason ? 'sso-test-explain sso-test-reason' : 'sso-test-explain'}
        >
          Test sign-in
        </Button>
      </Group>
      <Text size="xs" c="dimmed" id="sso-test-explain">
        Signs in at your provider and shows what it sends, without signing you in as anyone.
      </Text>
      {test.disabledReason && (
        <Text size="xs" c="orange.9" id="sso-test-reason" data-testid="sso-test-reason">
          {test.disabledReason}
        </Text>
      )}
    </Stack>
  )
}

function StatusCard({ settings, test }: { settings: SsoSettings; test: TestAction }) {
  const st = ssoStatus(settings)
  return (
    <Card padding="lg" aria-labelledby="sso-status-heading">
      <Group gap="md" wrap="wrap" align="flex-start" justify="space-between">
        <Group gap="md" wrap="nowrap" align="flex-start" style={{ flex: '1 1 320px', minWidth: 0 }}>
          <ThemeIcon size={40} radius="xl" variant="light" color={st.color} aria-hidden>
            <st.icon size={22} stroke={1.7} />
          </ThemeIcon>
          <Stack gap={4} style={{ minWidth: 0 }}>
            <Text size="xs" c="dimmed" fw={600} tt="uppercase" id="sso-status-heading" style={{ letterSpacing: '0.04em' }}>
              Status
            </Text>
            <Text fw={650} data-testid="sso-status" title={settings.last_success_at ? formatDateTime(settings.last_success_at) : undefined}>
              {st.label}
            </Text>
            <Text size="sm" c="dimmed">
              {!settings.configured
                ? 'Staff sign in with their email and password. Register Bureau with your identity provider, then fill in the form below.'
                : settings.last_success_at
                  ? 'Single sign-on works for your firm: staff choose “Use single sign-on (SSO)” on the sign-in page.'
                  : 'The settings are stored, and staff can choose “Use single sign-on (SSO)” on the sign-in page. Run a test sign-in to check them.'}
              {settings.updated_at ? ` Settings last saved ${relativeTime(settings.updated_at)}.` : ''}
            </Text>
          </Stack>
        </Group>
        <TestSignIn test={test} />
      </Group>
    </Card>
  )
}

function CopyValue({ value, what }: { value: string; what: string }) {
  return (
    <Group gap="xs" wrap="nowrap" mt={6}>
      <Code data-testid="redirect-uri" style={{ overflowWrap: 'anywhere', flex: 1, minWidth: 0, padding: '6px 10px' }}>
        {value}
      </Code>
      <CopyButton value={value} timeout={2000}>
        {({ copied, copy }) => (
          <Tooltip label={copied ? 'Copied' : 'Copy'} withArrow>
            <ActionIcon
              size="lg"
              variant={copied ? 'light' : 'default'}
              color={copied ? 'teal' : undefined}
              onClick={copy}
              aria-label={copied ? `${what} copied` : `Copy the ${what}`}
            >
              {copied ? <IconCheck size={16} aria-hidden /> : <IconCopy size={16} aria-hidden />}
            </ActionIcon>
          </Tooltip>
        )}
      </CopyButton>
    </Group>
  )
}

/** EntraSteps walks through registering Bureau as an app in Microsoft Entra ID. */
function EntraSteps({ redirectUri }: { redirectUri: string }) {
  return (
    <SectionCard
      id="entra-heading"
      title="Register Bureau in Microsoft Entra ID"
      text="Do this once in the Microsoft Entra admin center (or the Azure portal). Other OpenID Connect providers work alike: register a web app with the redirect URI, and use its issuer, client id and secret."
    >
      <List type="ordered" spacing="md" size="sm" styles={{ itemWrapper: { width: '100%' }, itemLabel: { width: '100%' } }}>
        <List.Item>
          Open <b>Identity → Applications → App registrations</b> and choose <b>New registration</b>. Name it, e.g.
          “Bureau”, and keep <b>Accounts in this organizational directory only</b>.
        </List.Item>
        <List.Item>
          Under <b>Redirect URI</b>, choose the platform <b>Web</b> and enter:
          <CopyValue value={redirectUri} what="redirect URI" />
        </List.Item>
        <List.Item>
          On the app’s <b>Overview</b>, copy the <b>Application (client) ID</b> and the <b>Directory (tenant) ID</b>. The
          issuer is <Code>{ENTRA_ISSUER_EXAMPLE}</Code> with your directory (tenant) id.
        </List.Item>
        <List.Item>
          Under <b>Certificates &amp; secrets</b>, add a <b>client secret</b> and copy its <b>Value</b> (not the Secret
          ID): Entra shows it only once.
        </List.Item>
        <List.Item>
          Under <b>Token configuration</b>, add a <b>groups claim</b> (security groups, as Group ID). Or define{' '}
          <b>App roles</b>, assign them to people, and use the claim <Code>roles</Code> below.
        </List.Item>
        <List.Item>
          Fill in the form below, map your groups or app roles to staff roles, and save. Then run a <b>Test sign-in</b>:
          it shows what your provider sends, and which groups still need a role.
        </List.Item>
      </List>
    </SectionCard>
  )
}

function RoleMapping({
  rows,
  errors,
  disabled,
  onChange,
}: {
  rows: SsoValues['group_roles']
  errors: SsoErrors
  disabled: boolean
  onChange: (rows: SsoValues['group_roles']) => void
}) {
  const set = (id: string, change: Partial<SsoValues['group_roles'][number]>) =>
    onChange(rows.map((r) => (r.id === id ? { ...r, ...change } : r)))
  const add = () => {
    const row = newRow()
    onChange([...rows, row])
    // Focus the new row's value once it is there.
    setTimeout(() => document.getElementById(`sso-role-value-${row.id}`)?.focus(), 0)
  }
  return (
    <Stack gap="xs">
      <div>
        <Text size="sm" fw={500} id="sso-roles-label">
          Role mapping
        </Text>
        <Text size="xs" c="dimmed" id="sso-roles-description">
          Each line gives a staff role to everyone with that group object id or app role value in the groups claim.
          Anyone whose groups and app roles are not mapped here is denied.
        </Text>
      </div>
      {errors.group_roles && (
        <Text size="xs" c="red.8" role="alert">
          {errors.group_roles}
        </Text>
      )}
      {rows.length === 0 ? (
        <Text size="sm" c="dimmed" py="sm" data-testid="no-mappings">
          No mappings yet: nobody can sign in with single sign-on until a group or app role is mapped.
        </Text>
      ) : (
        <Table aria-labelledby="sso-roles-label" aria-describedby="sso-roles-description" verticalSpacing={6} horizontalSpacing="xs" layout="fixed">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Group object id or app role value</Table.Th>
              <Table.Th w={170}>Staff role</Table.Th>
              <Table.Th w={44}>
                <VisuallyHidden>Remove</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((r, i) => (
              <Table.Tr key={r.id} style={{ verticalAlign: 'top' }}>
                <Table.Td>
                  <TextInput
                    id={`sso-role-value-${r.id}`}
                    aria-label={`Group or app role, line ${i + 1}`}
                    placeholder="e.g. 5f1c…-… or Bureau.Admin"
                    value={r.value}
                    onChange={(e) => set(r.id, { value: e.currentTarget.value })}
                    error={errors.rowValue[r.id]}
                    disabled={disabled}
                    autoComplete="off"
                    spellCheck={false}
                    styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 'var(--mantine-font-size-xs)' } }}
                  />
                </Table.Td>
                <Table.Td>
                  <NativeSelect
                    id={`sso-role-role-${r.id}`}
                    aria-label={`Staff role, line ${i + 1}`}
                    data={ROLE_OPTIONS}
                    value={r.role}
                    onChange={(e) => set(r.id, { role: e.currentTarget.value as StaffRole })}
                    error={errors.rowRole[r.id]}
                    disabled={disabled}
                  />
                </Table.Td>
                <Table.Td>
                  <ActionIcon
                    variant="subtle"
                    color="gray"
                    size="lg"
                    onClick={() => onChange(rows.filter((x) => x.id !== r.id))}
                    disabled={disabled}
                    aria-label={`Remove line ${i + 1}${r.value.trim() ? ` (${r.value.trim()})` : ''}`}
                  >
                    <IconTrash size={16} aria-hidden />
                  </ActionIcon>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Group>
        <Button variant="light" size="xs" leftSection={<IconPlus size={14} aria-hidden />} onClick={add} disabled={disabled}>
          Add a mapping
        </Button>
      </Group>
    </Stack>
  )
}

/** What the page sees of the form: whether it has unsaved changes, and what its rows map now. */
interface FormState {
  dirty: boolean
  mapped: Record<string, StaffRole>
}

/** What the page may do to the form: map a group a test sign-in received. */
interface SsoFormHandle {
  addMapping: (value: string, role: StaffRole) => void
}

function SsoForm({
  settings,
  onState,
  ref,
}: {
  settings: SsoSettings
  onState: (s: FormState) => void
  ref?: Ref<SsoFormHandle>
}) {
  const put = usePutSsoSettings()
  const [base, setBase] = useState<SsoValues>(() => ssoValues(settings))
  const [v, setV] = useState<SsoValues>(base)
  const [errors, setErrors] = useState<SsoErrors>(noErrors)
  const [problem, setProblem] = useState<string | null>(null)
  const dirty = ssoDirty(v, base)
  const saving = put.isPending
  const multi = isMultiTenantIssuer(v.issuer)

  const mapped = mappingOf(v.group_roles)
  const mappedStamp = JSON.stringify(mapped)
  useEffect(() => onState({ dirty, mapped }), [dirty, mappedStamp, onState])

  useImperativeHandle(
    ref,
    () => ({
      addMapping: (value, role) => {
        const next = withMapping(v.group_roles, value, role)
        setV((prev) => ({ ...prev, group_roles: next.rows }))
        setErrors((prev) => ({ ...prev, group_roles: undefined, rowValue: {}, rowRole: {} }))
        // Show the line where it was added, next to the save button.
        setTimeout(() => {
          const el = document.getElementById(`sso-role-role-${next.id}`)
          el?.scrollIntoView({ block: 'center', behavior: 'smooth' })
          el?.focus({ preventScroll: true })
        }, 0)
      },
    }),
    [v.group_roles],
  )

  // Follow the server's settings when nothing is being edited.
  const stamp = JSON.stringify(settings)
  useEffect(() => {
    if (!dirty) {
      const next = ssoValues(settings)
      setBase(next)
      setV(next)
    }
  }, [stamp])

  const change = <K extends keyof SsoValues>(k: K, value: SsoValues[K], clear: keyof SsoErrors = k as keyof SsoErrors) => {
    setV((prev) => ({ ...prev, [k]: value }))
    setErrors((prev) => ({ ...prev, [clear]: undefined }))
  }

  const focusFirst = (e: SsoErrors, values: SsoValues) => {
    const id = firstErrorId(e, values)
    if (id) setTimeout(() => document.getElementById(id)?.focus(), 0)
  }

  const submit = async (ev: FormEvent) => {
    ev.preventDefault()
    if (saving) return
    setProblem(null)
    const errs = validateSso(v)
    if (hasErrors(errs)) {
      setErrors(errs)
      focusFirst(errs, v)
      return
    }
    setErrors(noErrors())
    const input = ssoInput(v)
    try {
      const saved = await put.mutateAsync(input)
      const next = ssoValues(saved)
      setBase(next)
      setV(next)
      notifications.show({
        color: 'teal',
        title: 'Single sign-on saved',
        message:
          input.client_secret === ''
            ? 'The settings are stored and the client secret is removed.'
            : input.client_secret !== undefined
              ? 'The settings and the new client secret are stored.'
              : 'The settings are stored.',
      })
    } catch (err) {
      if (isApiError(err) && Object.keys(err.fieldErrors).length > 0) {
        const placed = placeSsoErrors(err.fieldErrors, err.fieldCodes, input, v)
        if (placed.errors.entra_tenant_ids && !multi) {
          placed.unplaced.push(placed.errors.entra_tenant_ids)
          placed.errors.entra_tenant_ids = undefined
        }
        setErrors(placed.errors)
        if (placed.unplaced.length > 0) setProblem(placed.unplaced.join(' '))
        focusFirst(placed.errors, v)
      } else if (isApiError(err) && err.code === 'tenant_ids_required' && multi) {
        const e = { ...noErrors(), entra_tenant_ids: err.detail }
        setErrors(e)
        focusFirst(e, v)
      } else {
        setProblem(errorMessage(err))
      }
    }
  }

  const reset = () => {
    setV(base)
    setErrors(noErrors())
    setProblem(null)
  }

  const secretDescription = settings.client_secret_set
    ? v.secret_action === 'remove' && v.client_secret === ''
      ? 'The stored secret will be removed when you save.'
      : 'A secret is stored — leave empty to keep it.'
    : 'The Value of the client secret. It is stored encrypted and never shown again.'

  return (
    <form onSubmit={(e) => void submit(e)} noValidate aria-label="Single sign-on settings">
      <Stack gap="lg">
        <SectionCard
          id="sso-provider-heading"
          title="Identity provider"
          text="Where your staff sign in: the provider’s issuer, and the app you registered there."
          dirty={dirty}
        >
          <Stack gap="md">
            {problem && (
              <FormProblem title="Could not save single sign-on">
                {problem}
              </FormProblem>
            )}
            <TextInput
              id="sso-issuer"
              label="Issuer URL"
              description="For Entra ID: https://login.microsoftonline.com/, your directory (tenant) id, then /v2.0."
              placeholder={ENTRA_ISSUER_EXAMPLE}
              value={v.issuer}
              onChange={(e) => change('issuer', e.currentTarget.value)}
              error={errors.issuer}
              disabled={saving}
              required
              type="url"
              autoComplete="off"
              spellCheck={false}
            />
            {multi && (
              <TagsInput
                id="sso-entra-tenant-ids"
                label="Entra tenant ids"
                description="A multi-tenant issuer (organizations or common) accepts people from any Entra tenant: list the directory (tenant) ids allowed in."
                placeholder="Paste a tenant id, then Enter"
                value={v.entra_tenant_ids}
                onChange={(ids) => change('entra_tenant_ids', ids.map((t) => t.trim().toLowerCase()).filter(Boolean))}
                error={errors.entra_tenant_ids}
                disabled={saving}
                splitChars={[',', ' ', ';']}
                clearable
                required
              />
            )}
            <TextInput
              id="sso-client-id"
              label="Application (client) id"
              value={v.client_id}
              onChange={(e) => change('client_id', e.currentTarget.value)}
              error={errors.client_id}
              disabled={saving}
              required
              autoComplete="off"
              spellCheck={false}
              placeholder="00000000-0000-0000-0000-000000000000"
            />
            <Stack gap={6}>
              <PasswordInput
                id="sso-client-secret"
                label="Client secret"
                description={secretDescription}
                placeholder={settings.client_secret_set ? '•••••••• (stored)' : undefined}
                value={v.client_secret}
                onChange={(e) => {
                  const value = e.currentTarget.value
                  setV((prev) => ({ ...prev, client_secret: value, secret_action: 'keep' }))
                  setErrors((prev) => ({ ...prev, client_secret: undefined }))
                }}
                error={errors.client_secret}
                disabled={saving}
                autoComplete="new-password"
                spellCheck={false}
              />
              {settings.client_secret_set && v.client_secret === '' && (
                <Group gap="xs">
                  {v.secret_action === 'remove' ? (
                    <Button variant="subtle" size="xs" color="gray" onClick={() => change('secret_action', 'keep', 'client_secret')} disabled={saving}>
                      Keep the stored secret
                    </Button>
                  ) : (
                    <Button
                      variant="subtle"
                      size="xs"
                      color="red"
                      leftSection={<IconTrash size={14} aria-hidden />}
                      onClick={() => change('secret_action', 'remove', 'client_secret')}
                      disabled={saving}
                    >
                      Remove the stored secret
                    </Button>
                  )}
                </Group>
              )}
            </Stack>
          </Stack>
        </SectionCard>

        <SectionCard
          id="sso-access-heading"
          title="Who may sign in"
          text="Which email domains are accepted, and which staff role each group or app role gives. Client accounts’ people never sign in here."
        >
          <Stack gap="md">
            <TagsInput
              id="sso-allowed-domains"
              label="Allowed email domains"
              description="Your staff’s email domains, e.g. consultancy.example. Sign-ins from other domains are refused."
              placeholder="Type a domain, then Enter"
              value={v.allowed_domains}
              onChange={(ds) => change('allowed_domains', [...new Set(ds.map(normalizeDomain).filter(Boolean))])}
              error={errors.allowed_domains}
              disabled={saving}
              splitChars={[',', ' ', ';']}
              clearable
            />
            <TextInput
              id="sso-groups-claim"
              label="Groups claim"
              description="The token claim that carries the groups or app roles: groups for security groups, roles for app roles."
              placeholder="groups"
              value={v.groups_claim}
              onChange={(e) => change('groups_claim', e.currentTarget.value)}
              error={errors.groups_claim}
              disabled={saving}
              maw={280}
              autoComplete="off"
              spellCheck={false}
            />
            <RoleMapping
              rows={v.group_roles}
              errors={errors}
              disabled={saving}
              onChange={(rows) => {
                setV((prev) => ({ ...prev, group_roles: rows }))
                setErrors((prev) => ({ ...prev, group_roles: undefined, rowValue: {}, rowRole: {} }))
              }}
            />
          </Stack>
          <FormActions dirty={dirty} saving={saving} label="Save single sign-on" onReset={reset} />
        </SectionCard>
      </Stack>
    </form>
  )
}

/** /settings/sso — staff single sign-on (Tenant Admins). */
export function SsoSettingsPage() {
  const me = useCurrentMe()
  const canSso = useCan('tenant:sso')
  const q = useSsoSettings(canSso)
  const qc = useQueryClient()
  const [form, setForm] = useState<FormState | null>(null)
  const dirty = form?.dirty ?? false
  const blocker = useUnsavedChangesGuard(dirty)
  const formRef = useRef<SsoFormHandle>(null)
  const [params, setParams] = useSearchParams()
  const testId = params.get('test')
  const testQ = useSsoTest(canSso ? testId : null)
  const [starting, setStarting] = useState(false)
  // Back from the provider's page with the browser's back button: the page may come from its cache.
  useEffect(() => {
    const onShow = (e: PageTransitionEvent) => {
      if (e.persisted) setStarting(false)
    }
    window.addEventListener('pageshow', onShow)
    return () => window.removeEventListener('pageshow', onShow)
  }, [])

  // A test that worked is a successful sign-in: the status card says so.
  const testOk = testQ.data?.ok === true
  useEffect(() => {
    if (testOk) void qc.invalidateQueries({ queryKey: tenantSettingsKeys.sso, exact: true })
  }, [testOk, testId, qc])

  const test: TestAction = {
    disabledReason: q.data ? testDisabledReason(q.data, dirty) : 'Loading the settings…',
    starting,
    run: () => {
      setStarting(true)
      // Leaves the app: the provider, then back here with ?test=<id>.
      window.location.assign(ssoTestUrl(me.tenant.slug))
    },
  }
  const dismissTest = () =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev)
        next.delete('test')
        return next
      },
      { replace: true },
    )
  useDocumentTitle(`Single sign-on · ${me.tenant.branding?.display_name?.trim() || me.tenant.name}`)
  if (!canSso) return <NotFoundPage />

  return (
    <Stack gap="lg">
      <PageHeader
        title="Single sign-on"
        description="Let your staff sign in to Bureau with your organisation’s accounts: Microsoft Entra ID, or another OpenID Connect provider."
      />
      {q.isError ? (
        <ErrorState error={q.error} onRetry={() => void q.refetch()} retrying={q.isFetching} title="Could not load the single sign-on settings" />
      ) : !q.data ? (
        <Stack gap="lg" aria-busy="true">
          <Skeleton height={96} radius="lg" />
          <Skeleton height={320} radius="lg" />
          <Skeleton height={360} radius="lg" />
        </Stack>
      ) : (
        <>
          {testId && (
            <SsoTestPanel
              query={testQ}
              settings={q.data}
              mapped={form?.mapped ?? q.data.group_roles}
              dirty={dirty}
              onMap={(group, role) => formRef.current?.addMapping(group, role)}
              onDismiss={dismissTest}
              test={test}
            />
          )}
          <StatusCard settings={q.data} test={test} />
          <EntraSteps redirectUri={q.data.redirect_uri} />
          <SsoForm settings={q.data} onState={setForm} ref={formRef} />
        </>
      )}
      <UnsavedChangesModal blocker={blocker} />
    </Stack>
  )
}

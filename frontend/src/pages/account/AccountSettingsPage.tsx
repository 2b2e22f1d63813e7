import {
  Alert,
  Card,
  Divider,
  Group,
  Input,
  Select,
  Skeleton,
  Stack,
  Switch,
  Text,
  TextInput,
  Textarea,
} from '@mantine/core'
import { useForm } from '@mantine/form'
import { useDocumentTitle } from '@mantine/hooks'
import { notifications } from '@mantine/notifications'
import { IconLock } from '@tabler/icons-react'
import { useQueryClient } from '@tanstack/react-query'
import { useEffect, useState, type FormEvent } from 'react'
import { isApiError } from '../../api/client'
import { updateAccount, updateAccountSettings } from '../../api/endpoints'
import { queryKeys, useAccountSettings } from '../../api/queries'
import type { Account, AccountListItem, AccountPatch, AccountSettings, Page } from '../../api/types'
import { ErrorState, errorMessage } from '../../components/ErrorState'
import { useCan, useCurrentMe } from '../../components/meContext'
import { FormActions, SectionCard } from '../../components/SettingsSection'
import { UnsavedChangesModal, useUnsavedChangesGuard } from '../../components/UnsavedChanges'
import {
  EXTERNAL_REF_MAX,
  placeFieldErrors,
  settingsPatch,
  settingsValues,
  syncIntervalOptions,
  validateApprovalTimeout,
  validateDetails,
  type AccountDetails,
  type SettingsValues,
  type TimeUnit,
} from '../../lib/accountForm'
import { NotFoundPage } from '../NotFoundPage'
import { AccountHeader, DeactivatedBanner } from './AccountLayout'
import { useAccountContext } from './accountContext'
import { FormProblem } from '../../components/FormProblem'

const detailsOf = (a: Account): AccountDetails => ({
  name: a.name,
  contact_email: a.contact_email ?? '',
  external_ref: a.external_ref ?? '',
  notes: a.notes ?? '',
})

const DETAIL_FIELDS = ['name', 'contact_email', 'external_ref', 'notes'] as const

/** DetailsForm: name (renaming needs account:rename), contact, external reference, notes. */
function DetailsForm({ account, onDirty }: { account: Account; onDirty: (d: boolean) => void }) {
  const qc = useQueryClient()
  const canRename = useCan('account:rename')
  const [saving, setSaving] = useState(false)
  const [problem, setProblem] = useState<string | null>(null)
  const form = useForm<AccountDetails>({ mode: 'controlled', initialValues: detailsOf(account) })
  const initial = detailsOf(account)
  const dirty = DETAIL_FIELDS.some((f) => form.values[f] !== form.getInitialValues()[f])

  useEffect(() => onDirty(dirty), [dirty, onDirty])

  // The account changed elsewhere (another tab, a refetch): follow it unless edits are pending.
  const stamp = JSON.stringify(initial)
  useEffect(() => {
    if (!dirty) {
      form.setInitialValues(initial)
      form.setValues(initial)
    }
  }, [stamp])

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    if (saving) return
    setProblem(null)
    const errs = validateDetails(form.values)
    if (!canRename) delete errs.name
    if (Object.keys(errs).length > 0) {
      form.setErrors(errs)
      document.getElementById(`details-${Object.keys(errs)[0].replace(/_/g, '-')}`)?.focus()
      return
    }
    const before = form.getInitialValues()
    const patch: AccountPatch = {}
    if (canRename && form.values.name.trim() !== before.name) patch.name = form.values.name.trim()
    if (form.values.contact_email.trim() !== before.contact_email) patch.contact_email = form.values.contact_email.trim()
    if (form.values.external_ref.trim() !== before.external_ref) patch.external_ref = form.values.external_ref.trim()
    if (form.values.notes !== before.notes) patch.notes = form.values.notes
    if (Object.keys(patch).length === 0) {
      form.setValues(before)
      return
    }
    setSaving(true)
    try {
      const a = await updateAccount(account.slug, patch)
      const next = detailsOf(a)
      form.setInitialValues(next)
      form.setValues(next)
      qc.setQueryData(queryKeys.account(a.slug), a)
      qc.setQueryData<Page<AccountListItem>>(queryKeys.accounts, (page) =>
        page ? { ...page, items: page.items.map((i) => (i.slug === a.slug ? { ...i, ...a } : i)) } : page,
      )
      void qc.invalidateQueries({ queryKey: queryKeys.accounts })
      notifications.show({ color: 'teal', title: 'Details saved', message: `${a.name}’s details are up to date.` })
    } catch (err) {
      if (isApiError(err) && Object.keys(err.fieldErrors).length > 0) {
        const placed = placeFieldErrors(err.fieldErrors, DETAIL_FIELDS)
        form.setErrors(placed.errors)
        if (placed.unplaced.length > 0) setProblem(placed.unplaced.join(' '))
      } else if (isApiError(err) && err.code === 'permission_denied' && patch.name !== undefined) {
        form.setFieldError('name', err.detail || 'You may not rename this account.')
      } else {
        setProblem(errorMessage(err))
      }
    } finally {
      setSaving(false)
    }
  }

  const field = (f: (typeof DETAIL_FIELDS)[number]) => ({
    id: `details-${f.replace(/_/g, '-')}`,
    value: form.values[f],
    error: form.errors[f],
    disabled: saving,
    onChange: (e: { currentTarget: { value: string } }) => {
      form.setFieldValue(f, e.currentTarget.value)
      form.clearFieldError(f)
    },
  })

  return (
    <SectionCard id="details-heading" title="Details" text="Who the client is for your firm. Contact, reference and notes are never shown to the client’s people." dirty={dirty}>
      <form onSubmit={submit} noValidate aria-labelledby="details-heading">
        <Stack gap="md">
          {problem && (
            <FormProblem title="Could not save the details">
              {problem}
            </FormProblem>
          )}
          <TextInput
            {...field('name')}
            disabled={!canRename || saving}
            label="Account name"
            description={
              canRename
                ? `Shown to the client’s people and in reports. The slug stays “${account.slug}”.`
                : undefined
            }
            rightSection={!canRename ? <IconLock size={16} aria-hidden /> : undefined}
            inputContainer={(input) => (
              <>
                {input}
                {!canRename && (
                  <Text size="xs" c="dimmed" mt={6}>
                    Only a Tenant Admin can rename an account.
                  </Text>
                )}
              </>
            )}
            maxLength={200}
            required
          />
          <Group grow align="flex-start" gap="md" className="form-pair">
            <TextInput {...field('contact_email')} label="Contact email" type="email" placeholder="it@client.example" autoComplete="off" />
            <TextInput
              {...field('external_ref')}
              label="External reference"
              placeholder="CRM-1042"
              autoComplete="off"
              maxLength={EXTERNAL_REF_MAX}
            />
          </Group>
          <Textarea {...field('notes')} label="Notes" autosize minRows={3} maxRows={12} placeholder="Anything your consultants should know about this client" />
        </Stack>
        <FormActions
          dirty={dirty}
          saving={saving}
          label="Save details"
          onReset={() => {
            form.setValues(form.getInitialValues())
            form.clearErrors()
            setProblem(null)
          }}
        />
      </form>
    </SectionCard>
  )
}

const switchStyles = {
  label: { fontSize: 'var(--mantine-font-size-sm)', fontWeight: 600 },
  description: { fontSize: 'var(--mantine-font-size-xs)' },
}

const UNITS: Array<{ value: TimeUnit; label: string }> = [
  { value: 'minutes', label: 'minutes' },
  { value: 'hours', label: 'hours' },
  { value: 'days', label: 'days' },
]

function SettingsForm({ slug, readOnly, onDirty }: { slug: string; readOnly: boolean; onDirty: (d: boolean) => void }) {
  const q = useAccountSettings(slug)
  if (q.isError) return <ErrorState error={q.error} onRetry={() => void q.refetch()} retrying={q.isFetching} title="Could not load the settings" />
  if (!q.data) {
    return (
      <Card padding="xl" aria-busy="true">
        <Stack gap="lg">
          <Skeleton height={18} width={140} radius="sm" />
          {[0, 1, 2, 3].map((i) => (
            <Skeleton key={i} height={36} radius="md" />
          ))}
        </Stack>
      </Card>
    )
  }
  return <SettingsFormLoaded slug={slug} settings={q.data} readOnly={readOnly} onDirty={onDirty} />
}

function SettingsFormLoaded({
  slug,
  settings,
  readOnly,
  onDirty,
}: {
  slug: string
  settings: AccountSettings
  readOnly: boolean
  onDirty: (d: boolean) => void
}) {
  const qc = useQueryClient()
  const [saving, setSaving] = useState(false)
  const [problem, setProblem] = useState<string | null>(null)
  const form = useForm<SettingsValues>({ mode: 'controlled', initialValues: settingsValues(settings) })
  const v = form.values
  const timeoutError = validateApprovalTimeout(v.timeout_value, v.timeout_unit)
  const patch = settingsPatch(v, settings)
  const dirty = Object.keys(patch).length > 0 || (timeoutError !== null && form.isDirty('timeout_value'))

  useEffect(() => onDirty(dirty), [dirty, onDirty])

  // Follow the server's settings when nothing is being edited.
  const stamp = JSON.stringify(settings)
  useEffect(() => {
    if (!dirty) {
      const next = settingsValues(settings)
      form.setInitialValues(next)
      form.setValues(next)
    }
  }, [stamp])

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    if (saving || readOnly) return
    setProblem(null)
    if (timeoutError) {
      form.setFieldError('timeout_value', timeoutError)
      document.getElementById('settings-timeout')?.focus()
      return
    }
    if (Object.keys(patch).length === 0) return
    setSaving(true)
    try {
      const saved = await updateAccountSettings(slug, patch)
      qc.setQueryData(queryKeys.accountSettings(slug), saved)
      const next = settingsValues(saved)
      form.setInitialValues(next)
      form.setValues(next)
      notifications.show({ color: 'teal', title: 'Settings saved', message: 'The account’s settings are up to date.' })
    } catch (err) {
      if (isApiError(err) && Object.keys(err.fieldErrors).length > 0) {
        const fe = { ...err.fieldErrors }
        if (fe.approval_timeout_seconds) {
          form.setFieldError('timeout_value', fe.approval_timeout_seconds)
          delete fe.approval_timeout_seconds
        }
        if (fe.sync_interval) {
          form.setFieldError('sync_interval', fe.sync_interval)
          delete fe.sync_interval
        }
        const rest = Object.values(fe)
        if (rest.length > 0) setProblem(rest.join(' '))
      } else {
        setProblem(errorMessage(err))
      }
    } finally {
      setSaving(false)
    }
  }

  const disabled = readOnly || saving
  const shownTimeoutError = form.errors.timeout_value ?? (form.isTouched('timeout_value') ? timeoutError : null)

  return (
    <SectionCard
      id="settings-heading"
      title="Settings"
      text="How Bureau works for this account: previews, run approvals and syncing."
      dirty={dirty && !readOnly}
    >
      <form onSubmit={submit} noValidate aria-labelledby="settings-heading">
        <Stack gap="lg">
          {readOnly && (
            <Alert variant="light" color="gray" icon={<IconLock size={18} aria-hidden />}>
              You can see these settings; changing them needs the permission to update settings.
            </Alert>
          )}
          {problem && (
            <FormProblem title="Could not save the settings">
              {problem}
            </FormProblem>
          )}
          <Switch
            label="Beta features"
            description="Let this account’s people try new features before they are generally available."
            checked={v.beta_features}
            onChange={(e) => form.setFieldValue('beta_features', e.currentTarget.checked)}
            disabled={disabled}
            size="md"
            styles={switchStyles}
          />
          <Divider />
          <Switch
            label="Require approval for clients’ manual runs"
            description="A Client’s request to start a process waits until a staff member or Account Admin approves it."
            checked={v.require_run_approval}
            onChange={(e) => form.setFieldValue('require_run_approval', e.currentTarget.checked)}
            disabled={disabled}
            size="md"
            styles={switchStyles}
          />
          <Input.Wrapper
            label="Approval timeout"
            description="An unanswered run request expires after this long. From 1 minute to 7 days."
            error={shownTimeoutError}
            id="settings-timeout"
            pl={{ base: 0, sm: 58 }}
          >
            <Group gap="xs" mt={6} wrap="nowrap" align="flex-start">
              <TextInput
                id="settings-timeout"
                type="number"
                inputMode="decimal"
                min={0}
                step="any"
                value={String(v.timeout_value)}
                onChange={(e) => {
                  form.setFieldValue('timeout_value', e.currentTarget.value)
                  form.setTouched({ timeout_value: true })
                  form.clearFieldError('timeout_value')
                }}
                w={120}
                disabled={disabled}
                error={!!shownTimeoutError}
                aria-describedby={`settings-timeout-description${shownTimeoutError ? ' settings-timeout-error' : ''}`}
              />
              <Select
                aria-label="Approval timeout unit"
                data={UNITS}
                value={v.timeout_unit}
                onChange={(u) => {
                  if (!u) return
                  form.setFieldValue('timeout_unit', u as TimeUnit)
                  form.setTouched({ timeout_value: true })
                  form.clearFieldError('timeout_value')
                }}
                allowDeselect={false}
                w={130}
                disabled={disabled}
              />
            </Group>
          </Input.Wrapper>
          <Divider />
          <Select
            id="settings-sync-interval"
            label="Sync interval"
            description="How often Bureau pulls processes, jobs, robots and schedules from the client’s RPA tool."
            data={syncIntervalOptions(settings.sync_interval)}
            value={v.sync_interval}
            onChange={(s) => {
              if (!s) return
              form.setFieldValue('sync_interval', s)
              form.clearFieldError('sync_interval')
            }}
            error={form.errors.sync_interval}
            allowDeselect={false}
            styles={{ wrapper: { maxWidth: 320 } }}
            disabled={disabled}
          />
        </Stack>
        {!readOnly && (
          <FormActions
            dirty={dirty}
            saving={saving}
            label="Save settings"
            onReset={() => {
              form.setValues(form.getInitialValues())
              form.clearErrors()
              form.resetTouched()
              setProblem(null)
            }}
          />
        )}
      </form>
    </SectionCard>
  )
}

/** /:accountSlug/settings — the account's details and settings. */
export function AccountSettingsPage() {
  const { account } = useAccountContext()
  const me = useCurrentMe()
  const canUpdate = useCan('account:update')
  const canRead = useCan('settings:read')
  const canWrite = useCan('settings:update')
  const [detailsDirty, setDetailsDirty] = useState(false)
  const [settingsDirty, setSettingsDirty] = useState(false)
  const blocker = useUnsavedChangesGuard(detailsDirty || settingsDirty)
  useDocumentTitle(`Settings · ${account.name} · ${me.tenant.branding?.display_name?.trim() || me.tenant.name}`)

  if (!canUpdate && !canRead) return <NotFoundPage />
  return (
    <Stack gap="lg">
      <AccountHeader account={account} section="Settings" />
      <DeactivatedBanner account={account} />
      {canUpdate && <DetailsForm account={account} onDirty={setDetailsDirty} />}
      {canRead && <SettingsForm slug={account.slug} readOnly={!canWrite} onDirty={setSettingsDirty} />}
      <UnsavedChangesModal blocker={blocker} />
    </Stack>
  )
}

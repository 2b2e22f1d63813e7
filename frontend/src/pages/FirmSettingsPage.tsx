import {
  Alert,
  Anchor,
  Box,
  Button,
  Card,
  ColorInput,
  ColorSwatch,
  FileButton,
  Group,
  Input,
  Paper,
  Skeleton,
  Stack,
  Switch,
  Text,
  TextInput,
} from '@mantine/core'
import { useForm } from '@mantine/form'
import { useDocumentTitle } from '@mantine/hooks'
import { notifications } from '@mantine/notifications'
import { IconLock, IconPhotoUp, IconShieldLock, IconTrash } from '@tabler/icons-react'
import { useEffect, useState, type FormEvent, type ReactNode } from 'react'
import { Link } from 'react-router'
import { isApiError } from '../api/client'
import { useFirmSettings, useUpdateFirmSettings, type FirmPatch, type FirmSettings } from '../api/tenantSettings'
import { BrandMark } from '../components/BrandMark'
import { ConfirmModal } from '../components/ConfirmModal'
import { ErrorState, errorMessage } from '../components/ErrorState'
import { useCan, useCurrentMe } from '../components/meContext'
import { PageHeader } from '../components/PageHeader'
import { FormActions, SectionCard } from '../components/SettingsSection'
import { UnsavedChangesModal, useUnsavedChangesGuard } from '../components/UnsavedChanges'
import { placeFieldErrors } from '../lib/accountForm'
import {
  SERVER_FIELD,
  firmPatch,
  firmValues,
  logoBytes,
  readLogo,
  validateFirm,
  type FirmField,
  type FirmValues,
} from '../lib/firmForm'
import { brandColor, formatBytes } from '../lib/format'
import { DEFAULT_BRAND_COLOR } from '../theme'
import { NotFoundPage } from './NotFoundPage'
import { FormProblem } from '../components/FormProblem'

const SWATCHES = ['#3048c9', '#1f4e79', '#0b7285', '#2b8a3e', '#e67700', '#c92a2a', '#862e9c', '#343a40']

const FIELD_ID: Record<FirmField, string> = {
  name: 'firm-name',
  display_name: 'firm-display-name',
  color: 'firm-color',
  logo: 'firm-logo-button',
  support_email: 'firm-support-email',
}

/** serverErrors maps the server's field names (branding.color, …) onto the form's. */
function serverErrors(fieldErrors: Record<string, string>) {
  const renamed: Record<string, string> = {}
  for (const [k, v] of Object.entries(fieldErrors)) renamed[SERVER_FIELD[k] ?? k] = v
  return placeFieldErrors(renamed, Object.values(SERVER_FIELD))
}

/**
 * useFirmForm is a settings form over some of the firm's fields: it follows
 * the server while nothing is edited, and saves only what changed.
 */
function useFirmForm(settings: FirmSettings, fields: readonly FirmField[], onDirty: (d: boolean) => void) {
  const update = useUpdateFirmSettings()
  const [problem, setProblem] = useState<string | null>(null)
  const initial = firmValues(settings)
  const form = useForm<FirmValues>({ mode: 'controlled', initialValues: initial })
  const dirty = fields.some((f) => form.values[f] !== form.getInitialValues()[f])

  useEffect(() => onDirty(dirty), [dirty, onDirty])

  // The settings changed elsewhere (the other section, another tab): follow them unless edits are pending.
  const stamp = JSON.stringify(initial)
  useEffect(() => {
    if (!dirty) {
      form.setInitialValues(initial)
      form.setValues(initial)
    }
  }, [stamp])

  const focus = (f: FirmField) => document.getElementById(FIELD_ID[f])?.focus()

  const submit = async (e: FormEvent, pick: (p: FirmPatch) => FirmPatch, saved: string) => {
    e.preventDefault()
    if (update.isPending) return
    setProblem(null)
    const all = validateFirm(form.values)
    const errs = Object.fromEntries(fields.filter((f) => all[f]).map((f) => [f, all[f]]))
    if (Object.keys(errs).length > 0) {
      form.setErrors(errs)
      focus(fields.find((f) => errs[f])!)
      return
    }
    // Only this section's fields: the other section's edits stay pending.
    const before = form.getInitialValues()
    const patch = pick(firmPatch({ ...before, ...Object.fromEntries(fields.map((f) => [f, form.values[f]])) }, before))
    if (Object.keys(patch).length === 0) {
      form.setValues(before)
      return
    }
    try {
      const next = firmValues(await update.mutateAsync(patch))
      form.setInitialValues(next)
      form.setValues(next)
      notifications.show({ color: 'teal', title: saved, message: 'Your firm’s settings are up to date.' })
    } catch (err) {
      if (isApiError(err) && Object.keys(err.fieldErrors).length > 0) {
        const placed = serverErrors(err.fieldErrors)
        const mine = Object.fromEntries(Object.entries(placed.errors).filter(([f]) => fields.includes(f as FirmField)))
        const elsewhere = Object.entries(placed.errors)
          .filter(([f]) => !fields.includes(f as FirmField))
          .map(([, m]) => m as string)
        form.setErrors(mine)
        const rest = [...placed.unplaced, ...elsewhere]
        if (rest.length > 0) setProblem(rest.join(' '))
        const first = fields.find((f) => mine[f])
        if (first) focus(first)
      } else {
        setProblem(errorMessage(err))
      }
    }
  }

  const field = (f: FirmField) => ({
    id: FIELD_ID[f],
    value: form.values[f],
    error: form.errors[f],
    disabled: update.isPending,
    onChange: (e: { currentTarget: { value: string } }) => {
      form.setFieldValue(f, e.currentTarget.value)
      form.clearFieldError(f)
    },
  })

  const reset = () => {
    form.setValues(form.getInitialValues())
    form.clearErrors()
    setProblem(null)
  }

  return { form, dirty, saving: update.isPending, problem, submit, field, reset }
}

function SaveProblem({ problem, title }: { problem: string | null; title: string }) {
  if (!problem) return null
  return (
    <FormProblem title={title}>
      {problem}
    </FormProblem>
  )
}

/** FirmForm: the firm's name, and its slug, which never changes. */
function FirmForm({ settings, onDirty }: { settings: FirmSettings; onDirty: (d: boolean) => void }) {
  const f = useFirmForm(settings, ['name'], onDirty)
  return (
    <SectionCard id="firm-heading" title="Firm" text="Your firm’s name in Bureau. Staff see it; clients see the display name below." dirty={f.dirty}>
      <form onSubmit={(e) => void f.submit(e, (p) => ({ name: p.name }), 'Firm saved')} noValidate aria-labelledby="firm-heading">
        <Stack gap="md">
          <SaveProblem problem={f.problem} title="Could not save the firm" />
          <TextInput {...f.field('name')} label="Firm name" maxLength={200} required autoComplete="organization" />
          <TextInput
            id="firm-slug"
            label="Slug"
            description="Your firm’s address in Bureau: it is in every link, so it never changes."
            value={settings.slug}
            readOnly
            rightSection={<IconLock size={16} aria-hidden />}
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
          />
        </Stack>
        <FormActions dirty={f.dirty} saving={f.saving} label="Save firm" onReset={f.reset} />
      </form>
    </SectionCard>
  )
}

/** BrandPreview shows the brand as clients meet it: the header of an invitation page. */
function BrandPreview({ values, fallbackName }: { values: FirmValues; fallbackName: string }) {
  const name = values.display_name.trim() || fallbackName
  const accent = brandColor(values.color, '')
  const shown = accent || DEFAULT_BRAND_COLOR
  return (
    <Paper withBorder p="lg" className="auth-backdrop" style={{ minHeight: 0 }} role="group" aria-label="Preview of what clients see" data-testid="brand-preview">
      <Text size="xs" c="dimmed" fw={600} tt="uppercase" mb="sm" style={{ letterSpacing: '0.04em' }}>
        Preview · invitation page
      </Text>
      <Stack gap="sm" align="center" ta="center">
        <Group gap={10} justify="center" wrap="nowrap" maw="100%">
          <BrandMark name={name} color={values.color} logo={values.logo} size={36} />
          <Text fw={700} fz={20} lh={1.15} c="dark.8" style={{ overflowWrap: 'anywhere' }} data-testid="brand-preview-name">
            {name}
          </Text>
        </Group>
        <Card
          shadow="sm"
          padding="md"
          w="100%"
          maw={340}
          style={accent ? { borderTop: `4px solid ${accent}` } : undefined}
          aria-hidden
        >
          <Stack gap={8}>
            <Text fw={650} size="sm">
              Join {name} as staff
            </Text>
            <Box
              style={{
                background: shown,
                color: '#fff',
                borderRadius: 'var(--mantine-radius-md)',
                padding: '6px 0',
                fontSize: 'var(--mantine-font-size-sm)',
                fontWeight: 600,
              }}
            >
              Accept invitation
            </Box>
          </Stack>
        </Card>
        <Group gap={8} justify="center">
          <ColorSwatch color={shown} size={16} aria-hidden />
          <Text size="xs" c="dimmed" data-testid="brand-preview-color">
            {accent ? accent.toLowerCase() : `Bureau’s blue (${DEFAULT_BRAND_COLOR})`}
          </Text>
        </Group>
        {values.support_email.trim() && (
          <Text size="xs" c="dimmed">
            Questions? {values.support_email.trim()}
          </Text>
        )}
      </Stack>
    </Paper>
  )
}

function LogoInput({
  value,
  error,
  disabled,
  name,
  color,
  onChange,
  onError,
}: {
  value: string
  error?: ReactNode
  disabled: boolean
  name: string
  color: string
  onChange: (logo: string) => void
  onError: (message: string) => void
}) {
  const size = value ? logoBytes(value) : null
  const remote = value !== '' && !value.startsWith('data:')
  const pick = (file: File | null) => {
    if (!file) return
    void readLogo(file).then((r) => ('error' in r ? onError(r.error) : onChange(r.logo)))
  }
  return (
    <Input.Wrapper
      id="firm-logo"
      labelElement="div"
      label="Logo"
      description="A PNG or SVG image of at most 200 KB, shown square beside the name. Without one, the initials show on the brand colour."
      error={error}
    >
      <Group gap="sm" mt={6} wrap="wrap">
        <BrandMark name={name} color={color} logo={value} size={40} />
        <FileButton onChange={pick} accept="image/png,image/svg+xml" disabled={disabled}>
          {(props) => (
            <Button
              {...props}
              id="firm-logo-button"
              disabled={disabled}
              variant="default"
              size="sm"
              leftSection={<IconPhotoUp size={16} aria-hidden />}
              aria-describedby={`firm-logo-description${error ? ' firm-logo-error' : ''}`}
              aria-invalid={error ? true : undefined}
            >
              {value ? 'Replace logo…' : 'Upload logo…'}
            </Button>
          )}
        </FileButton>
        {value && (
          <Button variant="subtle" color="red" size="sm" leftSection={<IconTrash size={16} aria-hidden />} onClick={() => onChange('')} disabled={disabled}>
            Remove logo
          </Button>
        )}
        {size !== null && (
          <Text size="xs" c="dimmed">
            {formatBytes(size)}
          </Text>
        )}
      </Group>
      {remote && (
        <Text size="xs" c="dimmed" mt={6} style={{ overflowWrap: 'anywhere' }}>
          The logo is loaded from {value}.
        </Text>
      )}
    </Input.Wrapper>
  )
}

/** BrandingForm: the white-label look clients see, with a live preview. */
function BrandingForm({ settings, onDirty }: { settings: FirmSettings; onDirty: (d: boolean) => void }) {
  const f = useFirmForm(settings, ['display_name', 'color', 'logo', 'support_email'], onDirty)
  const v = f.form.values
  return (
    <SectionCard
      id="branding-heading"
      title="Branding"
      text="How your firm appears to clients: in their portal, on invitation pages and in mail. Bureau stays in the background."
      dirty={f.dirty}
    >
      <form onSubmit={(e) => void f.submit(e, (p) => ({ branding: p.branding }), 'Branding saved')} noValidate aria-labelledby="branding-heading">
        <Stack gap="md">
          <SaveProblem problem={f.problem} title="Could not save the branding" />
          <BrandPreview values={v} fallbackName={settings.name} />
          <TextInput
            {...f.field('display_name')}
            label="Display name"
            description="The name clients see. Leave empty to use the firm name."
            placeholder={settings.name}
            maxLength={200}
          />
          <ColorInput
            id="firm-color"
            label="Brand colour"
            description="For accents and buttons clients see, as #rrggbb. Leave empty for Bureau’s blue."
            placeholder={DEFAULT_BRAND_COLOR}
            value={v.color}
            onChange={(c) => {
              f.form.setFieldValue('color', c)
              f.form.clearFieldError('color')
            }}
            error={f.form.errors.color}
            disabled={f.saving}
            format="hex"
            fixOnBlur={false}
            withEyeDropper={false}
            swatches={SWATCHES}
            swatchesPerRow={8}
            maw={260}
          />
          <LogoInput
            value={v.logo}
            error={f.form.errors.logo}
            disabled={f.saving}
            name={v.display_name.trim() || settings.name}
            color={v.color}
            onChange={(logo) => {
              f.form.setFieldValue('logo', logo)
              f.form.clearFieldError('logo')
            }}
            onError={(m) => f.form.setFieldError('logo', m)}
          />
          <TextInput
            {...f.field('support_email')}
            label="Support email"
            description="Where clients can write for help; shown on their pages and in mail."
            type="email"
            placeholder="support@consultancy.example"
            autoComplete="off"
          />
        </Stack>
        <FormActions dirty={f.dirty} saving={f.saving} label="Save branding" onReset={f.reset} />
      </form>
    </SectionCard>
  )
}

/** StaffSignIn: whether staff may still sign in with a password once SSO works. */
function StaffSignIn({ settings }: { settings: FirmSettings }) {
  const me = useCurrentMe()
  const canSso = useCan('tenant:sso')
  const update = useUpdateFirmSettings()
  const [confirming, setConfirming] = useState(false)
  const [notVerified, setNotVerified] = useState(false)
  const [problem, setProblem] = useState<string | null>(null)
  const on = settings.staff_passwords_enabled

  const set = async (enabled: boolean) => {
    setProblem(null)
    setNotVerified(false)
    try {
      await update.mutateAsync({ staff_passwords_enabled: enabled })
      notifications.show({
        color: 'teal',
        title: enabled ? 'Staff passwords turned on' : 'Staff passwords turned off',
        message: enabled ? 'Staff may sign in with their password again.' : 'Staff now sign in with single sign-on only.',
      })
    } catch (err) {
      if (isApiError(err) && err.code === 'sso_not_verified') {
        setNotVerified(true)
        return
      }
      throw err
    }
  }

  return (
    <SectionCard
      id="staff-sign-in-heading"
      title="Staff sign-in"
      text="How your staff sign in to Bureau. The people of client accounts are not affected."
    >
      <Stack gap="md">
        {notVerified && (
          <Alert
            variant="light"
            color="orange"
            icon={<IconShieldLock size={18} aria-hidden />}
            role="alert"
            title="Staff passwords are still on"
          >
            Set up single sign-on and sign in with it once before turning staff passwords off, so nobody is locked out.
            {canSso && (
              <>
                {' '}
                <Anchor component={Link} to="/settings/sso" className="inline-link">
                  Set up single sign-on
                </Anchor>
              </>
            )}
          </Alert>
        )}
        {problem && (
          <FormProblem title="Could not change staff sign-in">
            {problem}
          </FormProblem>
        )}
        <Switch
          label="Staff may sign in with a password"
          description={
            on
              ? 'Staff sign in with their email and password, or with single sign-on once it is set up.'
              : 'Staff sign in with single sign-on only. Turn this on to let them use passwords again.'
          }
          checked={on}
          disabled={update.isPending}
          onChange={(e) => {
            if (e.currentTarget.checked) {
              set(true).catch((err: unknown) => setProblem(errorMessage(err)))
            } else {
              setNotVerified(false)
              setProblem(null)
              setConfirming(true)
            }
          }}
          size="md"
          styles={{
            label: { fontSize: 'var(--mantine-font-size-sm)', fontWeight: 600 },
            description: { fontSize: 'var(--mantine-font-size-xs)' },
          }}
        />
      </Stack>
      <ConfirmModal
        opened={confirming}
        onClose={() => setConfirming(false)}
        title="Turn staff passwords off?"
        confirmLabel="Turn passwords off"
        confirmIcon={<IconShieldLock size={16} aria-hidden />}
        onConfirm={() => set(false)}
      >
        <Text size="sm">
          Staff will sign in with single sign-on only. Every staff session that was started with a password ends now.
        </Text>
        {me.auth_method === 'password' && (
          <Text size="sm" fw={600}>
            You signed in with a password: you will be signed out too, and sign in again with single sign-on.
          </Text>
        )}
      </ConfirmModal>
    </SectionCard>
  )
}

function LoadingCards() {
  return (
    <Stack gap="lg" aria-busy="true">
      {[0, 1].map((i) => (
        <Card key={i} padding="xl">
          <Stack gap="lg">
            <Skeleton height={18} width={140} radius="sm" />
            <Skeleton height={36} radius="md" />
            <Skeleton height={36} radius="md" />
          </Stack>
        </Card>
      ))}
    </Stack>
  )
}

/** /settings/firm — the firm's name, branding and staff sign-in (Tenant Admins). */
export function FirmSettingsPage() {
  const me = useCurrentMe()
  const canUpdate = useCan('tenant:update')
  const q = useFirmSettings(canUpdate)
  const [firmDirty, setFirmDirty] = useState(false)
  const [brandingDirty, setBrandingDirty] = useState(false)
  const blocker = useUnsavedChangesGuard(firmDirty || brandingDirty)
  useDocumentTitle(`Firm settings · ${me.tenant.branding?.display_name?.trim() || me.tenant.name}`)
  if (!canUpdate) return <NotFoundPage />

  return (
    <Stack gap="lg">
      <PageHeader
        title="Firm settings"
        description="Your firm’s name, how it appears to clients, and how your staff sign in."
      />
      {q.isError ? (
        <ErrorState error={q.error} onRetry={() => void q.refetch()} retrying={q.isFetching} title="Could not load the firm settings" />
      ) : !q.data ? (
        <LoadingCards />
      ) : (
        <>
          <FirmForm settings={q.data} onDirty={setFirmDirty} />
          <BrandingForm settings={q.data} onDirty={setBrandingDirty} />
          <StaffSignIn settings={q.data} />
        </>
      )}
      <UnsavedChangesModal blocker={blocker} />
    </Stack>
  )
}

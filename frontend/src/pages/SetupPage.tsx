import {
  Alert,
  Anchor,
  Box,
  Button,
  Card,
  Code,
  Divider,
  Group,
  PasswordInput,
  Progress,
  SimpleGrid,
  Stack,
  Stepper,
  Switch,
  Text,
  TextInput,
  Title,
} from '@mantine/core'
import { useForm } from '@mantine/form'
import { useDocumentTitle, useMediaQuery } from '@mantine/hooks'
import { notifications } from '@mantine/notifications'
import {
  IconAlertCircle,
  IconArrowLeft,
  IconArrowRight,
  IconBuilding,
  IconBuildingSkyscraper,
  IconClipboardCheck,
  IconRocket,
  IconUserShield,
} from '@tabler/icons-react'
import { useQueryClient } from '@tanstack/react-query'
import { useEffect, useRef, useState, type ChangeEvent, type FormEvent, type ReactNode } from 'react'
import { Navigate } from 'react-router'
import { isApiError } from '../api/client'
import { getMe, postSetup } from '../api/endpoints'
import { queryKeys, useSetupStatus } from '../api/queries'
import { AuthLayout } from '../components/AuthLayout'
import { errorMessage } from '../components/ErrorState'
import { passwordBytes, passwordChars, passwordStrength, PASSWORD_MAX_BYTES, PASSWORD_MIN_CHARS } from '../lib/password'
import {
  EMPTY_SETUP,
  REVIEW_STEP,
  STEP_FIELDS,
  firstInvalidStep,
  placeServerErrors,
  toRequest,
  validateStep,
  type SetupField,
  type SetupValues,
} from '../lib/setupForm'
import { cleanSlugInput, slugFromName } from '../lib/slug'
import { rateLimitText, type LoginLocationState } from './LoginPage'
import { SlugInput } from '../components/SlugInput'

const inputId = (f: SetupField) => `setup-${f.replace(/_/g, '-')}`

function PasswordHint({ password, refused }: { password: string; refused: boolean }) {
  const chars = passwordChars(password)
  const strength = passwordStrength(password)
  const tooLong = passwordBytes(password) > PASSWORD_MAX_BYTES
  const remaining = PASSWORD_MIN_CHARS - chars
  // Refused by the server (too common): the error below says why; don't call it good here.
  const ok = strength.ok && !refused
  let text: string
  if (chars === 0) text = `At least ${PASSWORD_MIN_CHARS} characters. A few unrelated words work well.`
  else if (tooLong) text = `Too long: at most ${PASSWORD_MAX_BYTES} bytes.`
  else if (remaining > 0) text = `${remaining} more ${remaining === 1 ? 'character' : 'characters'} needed.`
  else if (refused) text = 'Long enough, but easy to guess.'
  else if (ok) text = `${strength.label}: ${chars} characters.`
  else text = `${strength.label}.`
  return (
    <Box mt={8} mb={refused ? 4 : 0} id="setup-password-hint">
      <Progress value={strength.score} color={refused ? 'red' : strength.color} size={6} radius="xl" aria-hidden />
      <Group justify="space-between" mt={6} gap="xs" wrap="nowrap">
        <Text size="xs" c={chars === 0 ? 'dimmed' : ok ? 'teal.8' : 'red.8'}>
          {text}
        </Text>
        {chars > 0 && (
          <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
            {chars} / {PASSWORD_MIN_CHARS}+
          </Text>
        )}
      </Group>
    </Box>
  )
}

function ReviewSection({
  title,
  onEdit,
  children,
}: {
  title: string
  onEdit: () => void
  children: ReactNode
}) {
  return (
    <Box>
      <Group justify="space-between" mb={6}>
        <Text fw={600} size="sm">
          {title}
        </Text>
        <Anchor component="button" type="button" size="sm" onClick={onEdit} aria-label={`Edit ${title.toLowerCase()}`}>
          Edit
        </Anchor>
      </Group>
      <SimpleGrid component="dl" cols={{ base: 1, xs: 2 }} spacing="md" verticalSpacing={0} className="review-list" m={0}>
        {children}
      </SimpleGrid>
    </Box>
  )
}

function Item({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  )
}

export function SetupPage() {
  const setup = useSetupStatus()
  const qc = useQueryClient()
  const narrow = useMediaQuery('(max-width: 40em)')
  useDocumentTitle('Set up · Bureau')
  const [active, setActive] = useState(0)
  const [slugEdited, setSlugEdited] = useState({ tenant: false, account: false })
  const [submitting, setSubmitting] = useState(false)
  const [problem, setProblem] = useState<string | null>(null)
  const [doneElsewhere, setDoneElsewhere] = useState(false)
  const [sampleData, setSampleData] = useState(false)
  const stepHeading = useRef<HTMLHeadingElement>(null)
  const firstRender = useRef(true)

  const form = useForm<SetupValues>({ mode: 'controlled', initialValues: EMPTY_SETUP })
  const v = form.values
  const origin = typeof window !== 'undefined' ? window.location.origin : ''
  const host = typeof window !== 'undefined' ? window.location.host : ''

  // Move focus with the step, so keyboard and screen reader users follow it.
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false
      return
    }
    if (active === REVIEW_STEP) {
      stepHeading.current?.focus()
      return
    }
    const errs = form.errors
    const target = STEP_FIELDS[active].find((f) => errs[f]) ?? STEP_FIELDS[active][0]
    document.getElementById(inputId(target))?.focus()
  }, [active])

  if (doneElsewhere) {
    const state: LoginLocationState = { notice: 'setup_done' }
    return <Navigate to="/login" replace state={state} />
  }
  if (setup.data && !setup.data.needed) return <Navigate to="/" replace />

  const goTo = (step: number) => {
    // Going back is always allowed; going forward only through valid steps.
    if (step <= active) {
      setActive(step)
      return
    }
    for (let s = active; s < step; s++) {
      const errs = validateStep(s, form.values)
      if (Object.keys(errs).length > 0) {
        form.setErrors(errs)
        setActive(s)
        if (s === active) document.getElementById(inputId(Object.keys(errs)[0] as SetupField))?.focus()
        return
      }
    }
    setActive(step)
  }

  const finish = async () => {
    const bad = firstInvalidStep(form.values)
    if (bad >= 0) {
      form.setErrors(validateStep(bad, form.values))
      setActive(bad)
      return
    }
    setSubmitting(true)
    setProblem(null)
    try {
      const res = await postSetup(toRequest(form.values, { sampleData }))
      // Signed in now: load the person before leaving, so the shell has them.
      await qc.fetchQuery({ queryKey: queryKeys.me, queryFn: ({ signal }) => getMe(signal), staleTime: 0 })
      notifications.show({
        color: 'teal',
        autoClose: 6000,
        title: `Welcome to Bureau, ${res.user.name.split(/\s+/)[0]}`,
        message: sampleData
          ? `${res.tenant.name} is ready, with ${res.account.name} as its first client account and three demo clients to explore.`
          : `${res.tenant.name} is ready, with ${res.account.name} as its first client account.`,
      })
      qc.setQueryData(queryKeys.setup, { needed: false })
    } catch (e) {
      setSubmitting(false)
      if (isApiError(e)) {
        if (e.code === 'setup_done' || e.status === 409) {
          setDoneElsewhere(true)
          qc.setQueryData(queryKeys.setup, { needed: false })
          return
        }
        if (e.status === 422 && Object.keys(e.fieldErrors).length > 0) {
          const placed = placeServerErrors(e.fieldErrors)
          form.setErrors(placed.errors)
          if (placed.unplaced.length > 0) setProblem(placed.unplaced.join(' '))
          setActive(placed.step)
          if (placed.step === active) {
            const first = STEP_FIELDS[placed.step].find((f) => placed.errors[f])
            if (first) document.getElementById(inputId(first))?.focus()
          }
          return
        }
        if (e.status === 429) {
          setProblem(rateLimitText(e.retryAfter))
          return
        }
      }
      setProblem(errorMessage(e))
    }
  }

  const onSubmit = (e: FormEvent) => {
    e.preventDefault()
    if (submitting) return
    if (active === REVIEW_STEP) void finish()
    else goTo(active + 1)
  }

  const setName = (nameField: 'tenant_name' | 'account_name', value: string) => {
    form.setFieldValue(nameField, value)
    const which = nameField === 'tenant_name' ? 'tenant' : 'account'
    if (!slugEdited[which]) {
      const slugField = which === 'tenant' ? 'tenant_slug' : 'account_slug'
      form.setFieldValue(slugField, slugFromName(value))
      form.clearFieldError(slugField)
    }
  }

  const setSlug = (which: 'tenant' | 'account', value: string) => {
    const cleaned = cleanSlugInput(value)
    form.setFieldValue(which === 'tenant' ? 'tenant_slug' : 'account_slug', cleaned)
    // Typed by hand: stop following the name (until the field is emptied).
    setSlugEdited((s) => ({ ...s, [which]: cleaned !== '' }))
  }

  const tidySlug = (field: 'tenant_slug' | 'account_slug') => {
    const t = form.values[field].replace(/^-+|-+$/g, '')
    if (t !== form.values[field]) form.setFieldValue(field, t)
  }

  const field = (f: SetupField) => ({
    id: inputId(f),
    value: v[f],
    error: form.errors[f],
    // PasswordInput does not set this itself.
    'aria-invalid': form.errors[f] ? true : undefined,
    onChange: (e: ChangeEvent<HTMLInputElement>) => form.setFieldValue(f, e.currentTarget.value),
  })

  const stepHeader = (title: string, text: ReactNode) => (
    <Stack gap={4} mb={4}>
      <Title order={2} fz="lg">
        {title}
      </Title>
      <Text size="sm" c="dimmed">
        {text}
      </Text>
    </Stack>
  )

  const navButtons = (
    <Group justify="space-between" mt="xl">
      {active > 0 ? (
        <Button
          variant="default"
          type="button"
          onClick={() => setActive((a) => a - 1)}
          leftSection={<IconArrowLeft size={16} aria-hidden />}
          disabled={submitting}
        >
          Back
        </Button>
      ) : (
        <span />
      )}
      {active < REVIEW_STEP ? (
        <Button type="submit" rightSection={<IconArrowRight size={16} aria-hidden />}>
          Continue
        </Button>
      ) : (
        <Button type="submit" loading={submitting} leftSection={<IconRocket size={16} aria-hidden />}>
          Create workspace
        </Button>
      )}
    </Group>
  )

  return (
    <AuthLayout
      size={680}
      title="Set up Bureau"
      subtitle="Welcome! Three short steps: your firm, your own account and your first client."
    >
      <Card shadow="sm" padding={narrow ? 'lg' : 'xl'}>
        <form onSubmit={onSubmit} noValidate aria-label="Set up Bureau">
          <Stepper
            active={active}
            onStepClick={goTo}
            allowNextStepsSelect={false}
            size="sm"
            iconSize={narrow ? 30 : 36}
          >
            <Stepper.Step
              label="Your firm"
              icon={<IconBuilding size={18} aria-hidden />}
              allowStepSelect={!submitting}
            >
              <Stack gap="md" mt="xl">
                {stepHeader('Your firm', 'The consultancy that runs this Bureau. Your clients see this name on their portal.')}
                <TextInput
                  {...field('tenant_name')}
                  onChange={(e) => setName('tenant_name', e.currentTarget.value)}
                  label="Firm name"
                  placeholder="Northwind Automation"
                  autoComplete="organization"
                  required
                  autoFocus
                  maxLength={200}
                />
                <SlugInput
                  {...field('tenant_slug')}
                  onChange={(e) => setSlug('tenant', e.currentTarget.value)}
                  onBlur={() => tidySlug('tenant_slug')}
                  label="Firm slug"
                  description="Lower-case letters, digits and hyphens. It cannot be changed later."
                  placeholder="northwind-automation"
                  required
                />
                <Text size="xs" c="dimmed" mt={-8}>
                  Staff sign-in link:{' '}
                  <Code>
                    {host}/login?tenant={v.tenant_slug || 'your-firm'}
                  </Code>
                </Text>
              </Stack>
            </Stepper.Step>

            <Stepper.Step
              label="Your account"
              icon={<IconUserShield size={18} aria-hidden />}
              allowStepSelect={!submitting}
            >
              <Stack gap="md" mt="xl">
                {stepHeader('Your account',
                  'You become the Tenant Admin. You sign in with this email and password until single sign-on is set up.',
                )}
                <TextInput {...field('owner_name')} label="Your name" placeholder="Ada Lovelace" autoComplete="name" required />
                <TextInput
                  {...field('owner_email')}
                  label="Email"
                  type="email"
                  placeholder="ada@northwind.example"
                  autoComplete="email"
                  required
                />
                <PasswordInput
                  {...field('owner_password')}
                  label="Password"
                  autoComplete="new-password"
                  required
                  inputContainer={(input) => (
                    <>
                      {input}
                      <PasswordHint password={v.owner_password} refused={!!form.errors.owner_password} />
                    </>
                  )}
                />
                <PasswordInput
                  {...field('password_confirm')}
                  label="Confirm password"
                  autoComplete="new-password"
                  required
                />
              </Stack>
            </Stepper.Step>

            <Stepper.Step
              label="First client"
              icon={<IconBuildingSkyscraper size={18} aria-hidden />}
              allowStepSelect={!submitting}
            >
              <Stack gap="md" mt="xl">
                {stepHeader('First client',
                  'Every client gets its own isolated account: its people, its RPA connection and its data. Add the first one now; more can follow later.',
                )}
                <TextInput
                  {...field('account_name')}
                  onChange={(e) => setName('account_name', e.currentTarget.value)}
                  label="Client name"
                  placeholder="Acme Corporation"
                  autoComplete="off"
                  required
                  maxLength={200}
                />
                <SlugInput
                  {...field('account_slug')}
                  onChange={(e) => setSlug('account', e.currentTarget.value)}
                  onBlur={() => tidySlug('account_slug')}
                  label="Client slug"
                  description="Used in the account's address. It cannot be changed later."
                  placeholder="acme-corporation"
                  required
                />
                <Text size="xs" c="dimmed" mt={-8}>
                  Address:{' '}
                  <Code>
                    {origin}/{v.account_slug || 'client'}
                  </Code>
                </Text>
                <Divider my={4} />
                <Switch
                  id="setup-sample-data"
                  label="Add sample data"
                  description="Three demo clients with a simulated RPA estate, so you can explore dashboards right away. You can deactivate or delete them later."
                  checked={sampleData}
                  onChange={(e) => setSampleData(e.currentTarget.checked)}
                  disabled={submitting}
                />
              </Stack>
            </Stepper.Step>

            <Stepper.Step
              label="Review"
              icon={<IconClipboardCheck size={18} aria-hidden />}
              allowStepSelect={!submitting}
            >
              <Stack gap="lg" mt="xl">
                <Title order={2} fz="lg" ref={stepHeading} tabIndex={-1} style={{ outline: 'none' }}>
                  Review and create
                </Title>
                {problem && (
                  <Alert variant="light" color="red" icon={<IconAlertCircle size={18} />} role="alert" title="Setup failed">
                    {problem}
                  </Alert>
                )}
                <ReviewSection title="Your firm" onEdit={() => setActive(0)}>
                  <Item label="Name">{v.tenant_name.trim()}</Item>
                  <Item label="Slug">
                    <Code>{v.tenant_slug}</Code>
                  </Item>
                </ReviewSection>
                <Divider />
                <ReviewSection title="Your account" onEdit={() => setActive(1)}>
                  <Item label="Name">{v.owner_name.trim()}</Item>
                  <Item label="Email">{v.owner_email.trim()}</Item>
                  <Item label="Role">Tenant Admin</Item>
                  <Item label="Password">{passwordChars(v.owner_password)} characters</Item>
                </ReviewSection>
                <Divider />
                <ReviewSection title="First client" onEdit={() => setActive(2)}>
                  <Item label="Name">{v.account_name.trim()}</Item>
                  <Item label="Slug">
                    <Code>{v.account_slug}</Code>
                  </Item>
                  <Item label="Sample data">{sampleData ? 'Three demo clients' : 'None'}</Item>
                </ReviewSection>
                <Text size="xs" c="dimmed">
                  Your firm starts on the trial plan (up to 10 active client accounts).
                </Text>
              </Stack>
            </Stepper.Step>
          </Stepper>
          {navButtons}
        </form>
      </Card>
    </AuthLayout>
  )
}

import {
  Avatar,
  Badge,
  Button,
  Card,
  Grid,
  Group,
  PasswordInput,
  SimpleGrid,
  Skeleton,
  Stack,
  Table,
  Text,
  ThemeIcon,
  Title,
  Tooltip,
  VisuallyHidden,
} from '@mantine/core'
import { useDocumentTitle } from '@mantine/hooks'
import { notifications } from '@mantine/notifications'
import { IconDeviceDesktop, IconDeviceMobile, IconLock, IconLogout, IconShieldLock } from '@tabler/icons-react'
import { useRef, useState, type FormEvent, type ReactNode } from 'react'
import { isApiError } from '../api/client'
import { useChangePassword, useDeleteSession, useSessions, useSignOutOtherSessions, type Session } from '../api/self'
import { ErrorState, errorMessage } from '../components/ErrorState'
import { useCurrentMe } from '../components/meContext'
import { PageHeader } from '../components/PageHeader'
import { NewPasswordInput } from '../components/PasswordHint'
import { useSignOut } from '../components/useSignOut'
import { formatDateTime, initials, plural, relativeTime } from '../lib/format'
import { roleLabel } from '../lib/roles'
import { validatePassword } from '../lib/password'
import { describeUserAgent } from '../lib/userAgent'
import { rateLimitText } from './LoginPage'
import { FormProblem } from '../components/FormProblem'

function Fact({ label, children, hint }: { label: string; children: ReactNode; hint?: string }) {
  return (
    <div className="detail-item">
      <dt>{label}</dt>
      <dd>
        <Text span size="sm" fw={500}>
          {children}
        </Text>
        {hint && (
          <Text size="xs" c="dimmed" mt={2}>
            {hint}
          </Text>
        )}
      </dd>
    </div>
  )
}

function DetailsCard() {
  const me = useCurrentMe()
  const name = me.user.name || me.user.email
  const firm = me.tenant.branding?.display_name?.trim() || me.tenant.name
  return (
    <Card aria-labelledby="profile-details-heading" padding="xl" h="100%">
      <Group gap="md" wrap="nowrap" mb="lg">
        <Avatar radius="xl" size={52} color="bureau" variant="filled" aria-hidden>
          {initials(name)}
        </Avatar>
        <Stack gap={2} style={{ minWidth: 0 }}>
          <Title order={2} fz="lg" id="profile-details-heading" style={{ overflowWrap: 'anywhere' }}>
            {name}
          </Title>
          <Group gap={6}>
            <Badge variant="light" color="bureau" size="sm">
              {roleLabel(me.membership.role)}
            </Badge>
            {me.membership.account && (
              <Badge variant="outline" color="gray" size="sm" tt="none">
                {me.membership.account.name}
              </Badge>
            )}
          </Group>
        </Stack>
      </Group>
      <SimpleGrid component="dl" cols={1} spacing="lg" verticalSpacing="md" className="detail-list" m={0}>
        <Fact label="Name">{me.user.name || '—'}</Fact>
        <Fact label="Email" hint="Your email cannot be changed.">
          {me.user.email}
        </Fact>
        <Fact label="Role">
          {roleLabel(me.membership.role)}
          {me.membership.account ? ` of ${me.membership.account.name}` : ` at ${firm}`}
        </Fact>
        <Fact label="Signs in with">{me.auth_method === 'oidc' ? 'Single sign-on' : 'Email and password'}</Fact>
      </SimpleGrid>
    </Card>
  )
}

type PwField = 'current_password' | 'new_password' | 'confirm'

function PasswordCard() {
  const me = useCurrentMe()
  const change = useChangePassword()
  const [values, setValues] = useState<Record<PwField, string>>({ current_password: '', new_password: '', confirm: '' })
  const [errors, setErrors] = useState<Partial<Record<PwField, string>>>({})
  const [refusedCommon, setRefusedCommon] = useState(false)
  const [problem, setProblem] = useState<string | null>(null)
  const refs = {
    current_password: useRef<HTMLInputElement>(null),
    new_password: useRef<HTMLInputElement>(null),
    confirm: useRef<HTMLInputElement>(null),
  }
  const firm = me.tenant.branding?.display_name?.trim() || me.tenant.name

  if (!me.has_password) {
    return (
      <Card aria-labelledby="profile-password-heading" padding="xl" h="100%">
        <Title order={2} fz="lg" id="profile-password-heading" mb="sm">
          Password
        </Title>
        <Group gap="sm" wrap="nowrap" align="flex-start">
          <ThemeIcon variant="light" color="gray" radius="xl" size={36} aria-hidden>
            <IconShieldLock size={18} />
          </ThemeIcon>
          <Text size="sm" c="dimmed">
            You sign in with {firm}’s single sign-on, so you have no Bureau password. Change your password with your
            organisation’s sign-in provider.
          </Text>
        </Group>
      </Card>
    )
  }

  const set = (f: PwField, v: string) => {
    setValues((x) => ({ ...x, [f]: v }))
    if (errors[f]) setErrors((x) => ({ ...x, [f]: undefined }))
    if (f === 'new_password') setRefusedCommon(false)
  }
  const focus = (f: PwField) => refs[f].current?.focus()

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    if (change.isPending) return
    setProblem(null)
    const errs: Partial<Record<PwField, string>> = {}
    if (values.current_password === '') errs.current_password = 'Enter your current password.'
    const pe = validatePassword(values.new_password)
    if (pe) errs.new_password = pe === 'Choose a password.' ? 'Choose a new password.' : pe
    else if (values.confirm !== values.new_password) errs.confirm = 'The two passwords do not match.'
    setErrors(errs)
    setRefusedCommon(false)
    const first = (['current_password', 'new_password', 'confirm'] as PwField[]).find((f) => errs[f])
    if (first) {
      focus(first)
      return
    }
    try {
      await change.mutateAsync({ current_password: values.current_password, new_password: values.new_password })
    } catch (err) {
      if (isApiError(err)) {
        const fe: Partial<Record<PwField, string>> = {}
        if (err.fieldErrors.current_password) fe.current_password = err.fieldErrors.current_password
        if (err.fieldErrors.new_password) fe.new_password = err.fieldErrors.new_password
        const firstServer = (['current_password', 'new_password'] as PwField[]).find((f) => fe[f])
        if (firstServer) {
          if (fe.current_password) setValues((x) => ({ ...x, current_password: '' }))
          setErrors(fe)
          setRefusedCommon(err.fieldCodes.new_password === 'password_too_common')
          focus(firstServer)
          return
        }
        if (err.status === 429 || err.code === 'rate_limited') {
          setProblem(rateLimitText(err.retryAfter))
          return
        }
        if (err.code === 'no_password') {
          setProblem('Your account has no Bureau password: you sign in with single sign-on.')
          return
        }
      }
      setProblem(errorMessage(err))
      return
    }
    setValues({ current_password: '', new_password: '', confirm: '' })
    notifications.show({
      color: 'teal',
      title: 'Password changed',
      message: 'Use it from now on. Your other sessions were signed out.',
    })
  }

  return (
    <Card aria-labelledby="profile-password-heading" padding="xl" h="100%">
      <Stack gap={2} mb="md">
        <Title order={2} fz="lg" id="profile-password-heading">
          Change password
        </Title>
        <Text size="sm" c="dimmed">
          Changing it signs you out everywhere else.
        </Text>
      </Stack>
      <form onSubmit={submit} noValidate aria-label="Change password">
        <Stack gap="sm">
          {problem && (
            <FormProblem>
              {problem}
            </FormProblem>
          )}
          {/* For password managers: whose password this is. */}
          <input type="text" name="username" autoComplete="username" value={me.user.email} readOnly hidden />
          <PasswordInput
            ref={refs.current_password}
            label="Current password"
            autoComplete="current-password"
            value={values.current_password}
            onChange={(e) => set('current_password', e.currentTarget.value)}
            error={errors.current_password}
            aria-invalid={errors.current_password ? true : undefined}
            required
          />
          <NewPasswordInput
            ref={refs.new_password}
            label="New password"
            value={values.new_password}
            onChange={(e) => set('new_password', e.currentTarget.value)}
            error={errors.new_password}
            refused={refusedCommon}
            required
          />
          <PasswordInput
            ref={refs.confirm}
            label="Confirm new password"
            autoComplete="new-password"
            value={values.confirm}
            onChange={(e) => set('confirm', e.currentTarget.value)}
            error={errors.confirm}
            aria-invalid={errors.confirm ? true : undefined}
            required
          />
          <Group justify="flex-end" mt="xs">
            <Button type="submit" loading={change.isPending} leftSection={<IconLock size={16} aria-hidden />}>
              Change password
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  )
}

function When({ iso }: { iso: string }) {
  return (
    <Tooltip label={formatDateTime(iso)} openDelay={300}>
      <Text size="sm" component="time" dateTime={iso}>
        {relativeTime(iso)}
      </Text>
    </Tooltip>
  )
}

function SessionRow({ s, showTenant }: { s: Session; showTenant: boolean }) {
  const del = useDeleteSession()
  const { signOut, pending } = useSignOut()
  const device = describeUserAgent(s.user_agent)
  const Icon = device.mobile ? IconDeviceMobile : IconDeviceDesktop
  const end = async () => {
    if (s.current) {
      await signOut()
      return
    }
    try {
      await del.mutateAsync(s.id)
      notifications.show({ color: 'teal', title: 'Session signed out', message: `${device.label} is signed out.` })
    } catch (err) {
      // Already gone is what was wanted.
      if (isApiError(err) && err.status === 404) return
      notifications.show({ color: 'red', title: 'Could not sign out that session', message: errorMessage(err) })
    }
  }
  return (
    <Table.Tr data-current={s.current || undefined}>
      <Table.Td>
        <Group gap="sm" wrap="nowrap">
          <ThemeIcon variant="light" color={s.current ? 'bureau' : 'gray'} radius="md" size={34} aria-hidden>
            <Icon size={18} stroke={1.7} />
          </ThemeIcon>
          <Stack gap={0} style={{ minWidth: 0 }}>
            <Group gap={6} wrap="nowrap">
              <Text size="sm" fw={600} title={s.user_agent || undefined}>
                {device.label}
              </Text>
              {s.current && (
                <Badge size="xs" color="teal" variant="light" style={{ flex: 'none' }}>
                  This device
                </Badge>
              )}
            </Group>
            <Text size="xs" c="dimmed">
              {s.auth_method === 'oidc' ? 'Single sign-on' : 'Password'}
              {showTenant && s.tenant ? ` · ${s.tenant.name}` : ''}
            </Text>
          </Stack>
        </Group>
      </Table.Td>
      <Table.Td>
        <Text size="sm" ff="monospace">
          {s.ip || '—'}
        </Text>
      </Table.Td>
      <Table.Td>
        <When iso={s.created_at} />
      </Table.Td>
      <Table.Td>{s.current ? <Text size="sm">Now</Text> : <When iso={s.last_seen_at} />}</Table.Td>
      <Table.Td ta="right">
        <Button
          size="xs"
          variant={s.current ? 'light' : 'default'}
          color={s.current ? 'red' : undefined}
          onClick={() => void end()}
          loading={del.isPending || (s.current && pending)}
          aria-label={s.current ? 'Sign out of this device' : `Sign out ${device.label}, signed in ${relativeTime(s.created_at)}`}
        >
          Sign out
        </Button>
      </Table.Td>
    </Table.Tr>
  )
}

function SessionsCard() {
  const sessions = useSessions()
  const others = useSignOutOtherSessions()
  const items = sessions.data?.items ?? []
  const otherCount = items.filter((s) => !s.current).length
  const tenants = new Set(items.map((s) => s.tenant?.slug ?? ''))

  const endOthers = async () => {
    try {
      const n = await others.mutateAsync(items)
      notifications.show({
        color: 'teal',
        title: 'Other sessions signed out',
        message: `${plural(n, 'session')} ended. Only this device is still signed in.`,
      })
    } catch (err) {
      notifications.show({ color: 'red', title: 'Could not sign out every other session', message: errorMessage(err) })
    }
  }

  return (
    <Card aria-labelledby="profile-sessions-heading" padding="xl">
      <Group justify="space-between" align="flex-start" mb="md" gap="sm">
        <Stack gap={2}>
          <Title order={2} fz="lg" id="profile-sessions-heading">
            Where you are signed in
          </Title>
          <Text size="sm" c="dimmed">
            Sign out any session you don’t recognise, then change your password.
          </Text>
        </Stack>
        <Button
          variant="light"
          color="red"
          leftSection={<IconLogout size={16} aria-hidden />}
          onClick={() => void endOthers()}
          loading={others.isPending}
          disabled={!sessions.data || otherCount === 0}
        >
          Sign out all other sessions
        </Button>
      </Group>
      {sessions.isError ? (
        <ErrorState error={sessions.error} onRetry={() => void sessions.refetch()} retrying={sessions.isFetching} title="Could not load your sessions" />
      ) : !sessions.data ? (
        <Stack gap="sm" aria-busy="true" aria-label="Loading your sessions">
          <Skeleton height={44} radius="md" />
          <Skeleton height={44} radius="md" />
        </Stack>
      ) : items.length === 0 ? (
        <Text size="sm" c="dimmed">
          No sessions to show.
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={640} type="native">
          <Table verticalSpacing="sm" aria-label="Your sessions" highlightOnHover={false}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Device</Table.Th>
                <Table.Th>IP address</Table.Th>
                <Table.Th>Signed in</Table.Th>
                <Table.Th>Last active</Table.Th>
                <Table.Th>
                  <VisuallyHidden>Actions</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((s) => (
                <SessionRow key={s.id} s={s} showTenant={tenants.size > 1} />
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {sessions.data && otherCount === 0 && items.length > 0 && (
        <Text size="xs" c="dimmed" mt="sm">
          You are signed in on this device only.
        </Text>
      )}
    </Card>
  )
}

/** /profile — who you are, your password, and where you are signed in. */
export function ProfilePage() {
  const me = useCurrentMe()
  useDocumentTitle(`Your profile · ${me.tenant.branding?.display_name?.trim() || me.tenant.name}`)
  return (
    <Stack gap="lg">
      <PageHeader title="Your profile" description="Your details, your password, and the devices you are signed in on." />
      <Grid gap="lg" align="stretch">
        <Grid.Col span={{ base: 12, lg: 5 }}>
          <DetailsCard />
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 7 }}>
          <PasswordCard />
        </Grid.Col>
      </Grid>
      <SessionsCard />
    </Stack>
  )
}

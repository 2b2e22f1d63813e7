import { Alert, Anchor, Badge, Button, Card, Divider, Group, PasswordInput, Stack, Text, TextInput, ThemeIcon } from '@mantine/core'
import { useDocumentTitle } from '@mantine/hooks'
import { notifications } from '@mantine/notifications'
import { IconClockX, IconInfoCircle, IconKey, IconLinkOff, IconMailCheck, IconUserCheck } from '@tabler/icons-react'
import { useQueryClient } from '@tanstack/react-query'
import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react'
import { Link, useNavigate, useParams } from 'react-router'
import { isApiError } from '../api/client'
import { useMe } from '../api/queries'
import { signedInAs, useAcceptInvitation, useInvitation, type Invitation } from '../api/self'
import { AuthLayout, type AuthBrand } from '../components/AuthLayout'
import { ErrorState, errorMessage } from '../components/ErrorState'
import { FullPageLoader } from '../components/FullPageLoader'
import { NewPasswordInput } from '../components/PasswordHint'
import { brandColor, formatDateTime, relativeTime } from '../lib/format'
import { ssoLoginUrl } from '../lib/lastTenant'
import { validatePassword } from '../lib/password'
import { roleDescription, roleLabel } from '../lib/roles'
import { sessionFlags } from '../lib/session'
import { rateLimitText } from './LoginPage'
import { FormProblem } from '../components/FormProblem'

/** The answers that mean the link itself is no good (GET or accept). */
const GONE_CODES = new Set(['not_found', 'invitation_expired', 'invitation_used', 'invitation_revoked'])

function goneCode(e: unknown): string | null {
  if (!isApiError(e)) return null
  if (e.status === 404) return 'not_found'
  if (e.status === 410) return GONE_CODES.has(e.code) ? e.code : 'invitation_expired'
  return null
}

const GONE_VIEWS: Record<string, { title: string; icon: ReactNode; text: string }> = {
  not_found: {
    title: 'This invitation link does not work',
    icon: <IconLinkOff size={26} stroke={1.6} />,
    text:
      'Bureau does not know this link. Check that you opened the whole link from the email. If it still does not work, ask whoever invited you to send a new invitation.',
  },
  invitation_expired: {
    title: 'This invitation has expired',
    icon: <IconClockX size={26} stroke={1.6} />,
    text: 'Invitations are valid for 7 days. Ask whoever invited you to resend it: you will get an email with a new link.',
  },
  invitation_used: {
    title: 'This invitation has already been accepted',
    icon: <IconUserCheck size={26} stroke={1.6} />,
    text:
      'Each invitation link works once. If you accepted it, sign in with your email and password. If you did not, ask whoever invited you to resend it.',
  },
  invitation_revoked: {
    title: 'This invitation is no longer valid',
    icon: <IconLinkOff size={26} stroke={1.6} />,
    text:
      'It was withdrawn, or a newer invitation replaced it. If you received a newer invitation email, use the link in that one; otherwise ask whoever invited you to resend it.',
  },
}

/** InvitationGone explains a link that cannot be used, and what to do instead. */
function InvitationGone({ code, detail }: { code: string; detail?: string }) {
  const view = GONE_VIEWS[code] ?? GONE_VIEWS.not_found
  useDocumentTitle(`${view.title} · Bureau`)
  return (
    <AuthLayout title={view.title}>
      <Card shadow="sm" padding="xl" data-testid="invitation-gone" data-code={code}>
        <Stack gap="md" align="center" ta="center">
          <ThemeIcon size={52} radius="xl" variant="light" color={code === 'invitation_used' ? 'bureau' : 'orange'} aria-hidden>
            {view.icon}
          </ThemeIcon>
          <Text size="sm">{view.text}</Text>
          {detail && code === 'invitation_revoked' && (
            <Text size="sm" c="dimmed">
              {detail}
            </Text>
          )}
          <Group justify="center" gap="sm" mt="xs">
            <Button component={Link} to="/login" variant={code === 'invitation_used' ? 'filled' : 'light'}>
              Go to sign in
            </Button>
            {code === 'invitation_used' && (
              <Button component={Link} to="/forgot-password" variant="default">
                Forgot password?
              </Button>
            )}
          </Group>
        </Stack>
      </Card>
    </AuthLayout>
  )
}

/** /invite/:token — the invitee's page: who invited them, to what, and the form to accept. */
export function InvitePage() {
  const { token = '' } = useParams()
  const invitation = useInvitation(token)
  // Set when accepting finds the link dead meanwhile.
  const [gone, setGone] = useState<{ code: string; detail?: string } | null>(null)

  if (gone) return <InvitationGone code={gone.code} detail={gone.detail} />
  if (invitation.isPending) return <FullPageLoader label="Opening your invitation…" />
  if (invitation.isError) {
    const code = goneCode(invitation.error)
    if (code) return <InvitationGone code={code} detail={isApiError(invitation.error) ? invitation.error.detail : undefined} />
    return (
      <ErrorState
        fullPage
        title="Could not open your invitation"
        error={invitation.error}
        onRetry={() => void invitation.refetch()}
        retrying={invitation.isFetching}
      />
    )
  }
  return <AcceptForm token={token} invitation={invitation.data} onGone={setGone} />
}

type Field = 'name' | 'password'

function AcceptForm({
  token,
  invitation: inv,
  onGone,
}: {
  token: string
  invitation: Invitation
  onGone: (g: { code: string; detail?: string }) => void
}) {
  const qc = useQueryClient()
  const navigate = useNavigate()
  const me = useMe()
  const accept = useAcceptInvitation(token)
  const [name, setName] = useState('')
  const [password, setPassword] = useState('')
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({})
  const [refusedCommon, setRefusedCommon] = useState(false)
  const [problem, setProblem] = useState<string | null>(null)
  const [submitting, setSubmitting] = useState(false)
  const nameRef = useRef<HTMLInputElement>(null)
  const passwordRef = useRef<HTMLInputElement>(null)

  const firm = inv.tenant.branding?.display_name?.trim() || inv.tenant.name
  const brand: AuthBrand = { name: firm, color: inv.tenant.branding?.color, logo: inv.tenant.branding?.logo }
  const accent = brandColor(inv.tenant.branding?.color, '') || undefined
  const existing = inv.existing_user
  const title = inv.account ? `Join ${inv.account.name}` : `Join ${firm} as staff`
  const subtitle = inv.account
    ? `${firm} invited you to ${inv.account.name} on Bureau, where you can follow its automation.`
    : `${firm} invited you to join its team on Bureau, where it runs its clients’ automation.`
  // A staff invitation in a firm with single sign-on: it may be accepted by
  // signing in with SSO, and only so when the firm turned staff passwords off.
  const ssoSlug = !inv.account && inv.sso && inv.tenant.slug ? inv.tenant.slug : null
  const ssoOnly = !!ssoSlug && inv.staff_passwords_enabled === false
  const [leaving, setLeaving] = useState(false)
  const ssoExplanation = `With single sign-on you sign in with your organisation account, the one for ${inv.email}. The first time you do, Bureau matches this invitation to that email address; after that, you sign in with single sign-on.`
  const otherPerson = me.data && me.data.user.email.toLowerCase() !== inv.email.toLowerCase() ? me.data.user.email : null

  useDocumentTitle(`${title} · ${firm}`)

  // Back from the identity provider into this page kept in memory.
  useEffect(() => {
    const onShow = (e: PageTransitionEvent) => {
      if (e.persisted) setLeaving(false)
    }
    window.addEventListener('pageshow', onShow)
    return () => window.removeEventListener('pageshow', onShow)
  }, [])

  const acceptWithSso = () => {
    if (!ssoSlug) return
    setLeaving(true)
    window.location.assign(ssoLoginUrl(ssoSlug))
  }

  const focus = (f: Field) => (f === 'name' ? nameRef : passwordRef).current?.focus()

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    if (ssoOnly) {
      acceptWithSso()
      return
    }
    if (submitting) return
    setProblem(null)
    const errs: Partial<Record<Field, string>> = {}
    if (existing) {
      if (password === '') errs.password = 'Enter your Bureau password.'
    } else {
      const n = name.trim()
      if (n === '') errs.name = 'Enter your name.'
      else if (Array.from(n).length > 100) errs.name = 'Use at most 100 characters.'
      const pe = validatePassword(password)
      if (pe) errs.password = pe
    }
    setErrors(errs)
    setRefusedCommon(false)
    if (errs.name || errs.password) {
      focus(errs.name ? 'name' : 'password')
      return
    }
    setSubmitting(true)
    try {
      await accept.mutateAsync({ name: existing ? '' : name.trim(), password })
      sessionFlags.reset()
      await signedInAs(qc)
      notifications.show({
        color: 'teal',
        title: `Welcome to ${inv.account ? inv.account.name : firm}`,
        message: 'You have accepted the invitation and are signed in.',
      })
      navigate('/', { replace: true })
    } catch (err) {
      setSubmitting(false)
      const code = goneCode(err)
      if (code) {
        onGone({ code, detail: isApiError(err) ? err.detail : undefined })
        return
      }
      if (isApiError(err)) {
        if (err.code === 'invalid_credentials' || (err.status === 401 && existing)) {
          setPassword('')
          setErrors({ password: 'That is not your Bureau password. Try again, or reset it.' })
          focus('password')
          return
        }
        const fe: Partial<Record<Field, string>> = {}
        if (err.fieldErrors.name) fe.name = err.fieldErrors.name
        if (err.fieldErrors.password) fe.password = err.fieldErrors.password
        if (fe.name || fe.password) {
          setErrors(fe)
          setRefusedCommon(err.fieldCodes.password === 'password_too_common')
          focus(fe.name ? 'name' : 'password')
          return
        }
        if (err.status === 429 || err.code === 'rate_limited') {
          setProblem(rateLimitText(err.retryAfter))
          return
        }
        if (err.code === 'sso_required') {
          setProblem(
            ssoSlug
              ? `${firm} signs its staff in with single sign-on, and staff passwords are turned off. Accept with single sign-on instead.`
              : `${firm} signs its staff in with single sign-on, and staff passwords are turned off. Ask whoever invited you how to sign in.`,
          )
          return
        }
        if (err.code === 'staff_client_conflict') {
          setProblem(
            `${inv.email} already belongs to ${firm} in another role, and a person has one role per firm. Ask whoever invited you to check the invitation.`,
          )
          return
        }
      }
      setProblem(errorMessage(err))
    }
  }

  return (
    <AuthLayout title={title} subtitle={subtitle} brand={brand} size={480}>
      <Card shadow="sm" padding="xl" style={accent ? { borderTop: `4px solid ${accent}` } : undefined}>
        <form onSubmit={submit} noValidate aria-label="Accept the invitation">
          <Stack gap="md">
            {problem && (
              <FormProblem title="Could not accept the invitation">
                {problem}
              </FormProblem>
            )}
            {otherPerson && (
              <Alert variant="light" color="yellow" icon={<IconInfoCircle size={18} aria-hidden />}>
                You are signed in as {otherPerson}. Accepting signs you in as {inv.email} instead.
              </Alert>
            )}
            <TextInput
              label="Email"
              value={inv.email}
              readOnly
              autoComplete="username"
              description="The invitation is for this address."
              size="md"
              styles={{ input: { background: 'var(--mantine-color-gray-0)' } }}
            />
            <div>
              <Text size="sm" fw={500} id="invite-role-label">
                Role
              </Text>
              <Group gap="xs" mt={4} aria-labelledby="invite-role-label" role="group">
                <Badge variant="light" size="lg" tt="none" data-testid="invite-role">
                  {roleLabel(inv.role)}
                </Badge>
                {!inv.account && (
                  <Badge variant="outline" color="gray" size="lg" tt="none">
                    Staff
                  </Badge>
                )}
              </Group>
              <Text size="xs" c="dimmed" mt={6}>
                {roleDescription(inv.role)}
              </Text>
            </div>
            {ssoOnly && (
              <Alert variant="light" color="bureau" icon={<IconKey size={18} aria-hidden />} data-testid="invite-sso">
                {firm} signs its staff in with single sign-on. {ssoExplanation}
              </Alert>
            )}
            {ssoOnly ? null : existing ? (
              <>
                <Alert variant="light" color="bureau" icon={<IconMailCheck size={18} aria-hidden />}>
                  {inv.email} already has a Bureau account. Enter its password to accept.
                </Alert>
                <PasswordInput
                  ref={passwordRef}
                  label="Your Bureau password"
                  autoComplete="current-password"
                  value={password}
                  onChange={(e) => {
                    setPassword(e.currentTarget.value)
                    if (errors.password) setErrors((x) => ({ ...x, password: undefined }))
                  }}
                  error={errors.password}
                  aria-invalid={errors.password ? true : undefined}
                  required
                  autoFocus
                  size="md"
                />
                <Group justify="flex-end" mt={-8}>
                  <Anchor component={Link} to="/forgot-password" state={{ email: inv.email }} size="sm">
                    Forgot password?
                  </Anchor>
                </Group>
              </>
            ) : (
              <>
                <TextInput
                  ref={nameRef}
                  label="Your name"
                  description="Shown to your colleagues in Bureau."
                  autoComplete="name"
                  value={name}
                  onChange={(e) => {
                    setName(e.currentTarget.value)
                    if (errors.name) setErrors((x) => ({ ...x, name: undefined }))
                  }}
                  error={errors.name}
                  maxLength={200}
                  required
                  autoFocus
                  size="md"
                />
                <NewPasswordInput
                  ref={passwordRef}
                  label="Choose a password"
                  value={password}
                  onChange={(e) => {
                    setPassword(e.currentTarget.value)
                    setRefusedCommon(false)
                    if (errors.password) setErrors((x) => ({ ...x, password: undefined }))
                  }}
                  error={errors.password}
                  refused={refusedCommon}
                  required
                  size="md"
                />
              </>
            )}
            {ssoOnly ? (
              <Button
                type="button"
                size="md"
                fullWidth
                loading={leaving}
                mt="xs"
                color={accent}
                autoContrast
                leftSection={<IconKey size={18} aria-hidden />}
                onClick={acceptWithSso}
              >
                Accept with single sign-on
              </Button>
            ) : (
              <>
                <Button type="submit" size="md" fullWidth loading={submitting} mt="xs" color={accent} autoContrast>
                  Accept invitation
                </Button>
                {ssoSlug && (
                  <>
                    <Divider label="or" labelPosition="center" />
                    <Button
                      type="button"
                      size="md"
                      fullWidth
                      variant="default"
                      loading={leaving}
                      disabled={submitting}
                      leftSection={<IconKey size={18} aria-hidden />}
                      onClick={acceptWithSso}
                    >
                      Accept with single sign-on
                    </Button>
                    <Text size="xs" c="dimmed" data-testid="invite-sso">
                      {ssoExplanation}
                    </Text>
                  </>
                )}
              </>
            )}
            <Text size="xs" c="dimmed" ta="center">
              This invitation expires {relativeTime(inv.expires_at)} ({formatDateTime(inv.expires_at)}).
            </Text>
          </Stack>
        </form>
      </Card>
    </AuthLayout>
  )
}

import { Alert, Anchor, Button, Card, Divider, Group, PasswordInput, Stack, Text, TextInput } from '@mantine/core'
import { IconAlertCircle, IconCircleCheck, IconInfoCircle, IconKey } from '@tabler/icons-react'
import { useDocumentTitle } from '@mantine/hooks'
import { useQueryClient } from '@tanstack/react-query'
import { useEffect, useRef, useState, type FormEvent } from 'react'
import { Link, Navigate, useLocation, useSearchParams } from 'react-router'
import { isApiError } from '../api/client'
import { getMe, login } from '../api/endpoints'
import { queryKeys, useMe } from '../api/queries'
import { AuthLayout } from '../components/AuthLayout'
import { errorMessage } from '../components/ErrorState'
import { FullPageLoader } from '../components/FullPageLoader'
import { lastTenant, ssoLoginUrl } from '../lib/lastTenant'
import { safeNext, sessionFlags, type EndReason } from '../lib/session'

export interface LoginLocationState {
  reason?: EndReason
  notice?: 'setup_done'
}

type Problem = { text: string; retryAt?: number }

const NOTICES: Record<string, { color: string; text: string }> = {
  signed_out: { color: 'teal', text: 'You have signed out.' },
  expired: { color: 'yellow', text: 'Your session has ended. Sign in again to continue.' },
  setup_done: { color: 'bureau', text: 'Bureau is already set up. Sign in instead.' },
}

export function rateLimitText(seconds: number | null): string {
  if (seconds === null) return 'Too many attempts. Try again in a minute.'
  return `Too many attempts. Try again in ${seconds} ${seconds === 1 ? 'second' : 'seconds'}.`
}

/** What the sign-in page says when single sign-on sent the person back (?sso_error=). */
export const SSO_ERRORS: Record<string, { title: string; text: string; color?: string }> = {
  sso_not_configured: {
    title: 'Single sign-on is not set up for this firm',
    text: 'Check the firm below and try again, or sign in with your email and password.',
  },
  sso_state_invalid: {
    title: 'The sign-in expired',
    text: 'It took too long, or it was started in another browser or tab. Try again.',
  },
  sso_no_role: {
    title: 'No access to Bureau yet',
    text: 'You signed in, but none of your groups gives access to Bureau. Ask a Tenant Admin of your firm to map one of your groups to a role.',
  },
  sso_domain_not_allowed: {
    title: 'This email domain is not allowed',
    text: 'Your organisation account’s email domain is not one this firm accepts. Sign in with the account your firm uses for Bureau, or ask a Tenant Admin to allow your domain.',
  },
  sso_account_member: {
    title: 'Single sign-on is for the firm’s staff',
    text: 'Client people sign in with their email and password above.',
  },
  sso_group_overage: {
    title: 'Too many groups',
    text: 'You are in more groups than your identity provider can send to Bureau. Ask your administrator to use app roles for Bureau, or to assign fewer groups to it.',
  },
  sso_tenant_not_allowed: {
    title: 'This organisation is not allowed',
    text: 'Your account belongs to a directory this firm does not accept. Sign in with the organisation account your firm uses for Bureau, or ask a Tenant Admin to check the single sign-on settings.',
  },
  sso_email_missing: {
    title: 'No email address from your identity provider',
    text: 'Bureau needs your email address to know who you are. Ask your administrator to include the email claim in the sign-in.',
  },
  sso_exchange_failed: {
    title: 'The sign-in could not be completed',
    text: 'Bureau could not finish the sign-in with your identity provider. Try again; if it keeps happening, ask a Tenant Admin to check the single sign-on settings.',
  },
  sso_token_invalid: {
    title: 'The sign-in could not be verified',
    text: 'Your identity provider’s answer could not be verified. Try again; if it keeps happening, ask a Tenant Admin to check the single sign-on settings.',
  },
  sso_provider_unreachable: {
    title: 'Your identity provider did not answer',
    text: 'Bureau could not reach your identity provider. Try again in a moment; if it keeps happening, ask a Tenant Admin to check the single sign-on settings.',
  },
  sso_cancelled: {
    title: 'Sign-in cancelled',
    text: 'Your identity provider did not sign you in: it was cancelled or refused. Try again, or sign in with your email and password.',
    color: 'yellow',
  },
  sso_failed: {
    title: 'Single sign-on did not work',
    text: 'Something went wrong while signing you in. Try again, or sign in with your email and password.',
  },
}

/** problemOf turns a failed sign-in into what the page says. */
function problemOf(e: unknown): Problem {
  if (isApiError(e)) {
    if (e.code === 'invalid_credentials' || (e.status === 401 && e.code !== 'unauthenticated')) {
      return { text: 'Email or password is incorrect.' }
    }
    if (e.status === 429 || e.code === 'rate_limited') {
      const secs = e.retryAfter
      return { text: rateLimitText(secs), retryAt: Date.now() + (secs ?? 60) * 1000 }
    }
    if (e.code === 'password_login_disabled') {
      return { text: 'Your firm’s staff sign in with single sign-on: passwords are turned off. Continue with single sign-on below.' }
    }
  }
  return { text: errorMessage(e) }
}

export function LoginPage() {
  const me = useMe()
  const qc = useQueryClient()
  const location = useLocation()
  const [params] = useSearchParams()
  const next = safeNext(params.get('next'))
  const tenant = params.get('tenant')?.trim() || undefined
  const ssoError = params.get('sso_error')?.trim().slice(0, 64) || undefined
  const ssoProblem = ssoError ? (SSO_ERRORS[ssoError] ?? SSO_ERRORS.sso_failed) : null
  const state = (location.state ?? null) as LoginLocationState | null
  const notice = NOTICES[state?.notice ?? state?.reason ?? '']

  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const [fieldErrors, setFieldErrors] = useState<{ email?: string; password?: string }>({})
  const [problem, setProblem] = useState<Problem | null>(null)
  const [submitting, setSubmitting] = useState(false)
  const [now, setNow] = useState(() => Date.now())
  const passwordRef = useRef<HTMLInputElement>(null)
  const emailRef = useRef<HTMLInputElement>(null)
  // Single sign-on: open when it sent the person back with a problem.
  const [ssoOpen, setSsoOpen] = useState(!!ssoError)
  const [firm, setFirm] = useState(() => tenant ?? lastTenant())
  const [firmError, setFirmError] = useState<string | undefined>()
  const [leaving, setLeaving] = useState(false)
  const [focusFirm, setFocusFirm] = useState(0)
  const firmRef = useRef<HTMLInputElement>(null)

  useDocumentTitle('Sign in · Bureau')

  useEffect(() => {
    sessionFlags.reset()
  }, [])

  // Count a rate limit down, then let the person try again.
  const retryAt = problem?.retryAt
  useEffect(() => {
    if (!retryAt) return
    setNow(Date.now())
    const id = window.setInterval(() => {
      const t = Date.now()
      setNow(t)
      if (t >= retryAt) {
        window.clearInterval(id)
        setProblem(null)
      }
    }, 1000)
    return () => window.clearInterval(id)
  }, [retryAt])

  useEffect(() => {
    if (focusFirm > 0) firmRef.current?.focus()
  }, [focusFirm])

  // Back from the identity provider into this page kept in memory.
  useEffect(() => {
    const onShow = (e: PageTransitionEvent) => {
      if (e.persisted) setLeaving(false)
    }
    window.addEventListener('pageshow', onShow)
    return () => window.removeEventListener('pageshow', onShow)
  }, [])

  if (me.isPending) return <FullPageLoader />
  if (me.data) return <Navigate to={next} replace />

  const secondsLeft = retryAt ? Math.max(0, Math.ceil((retryAt - now) / 1000)) : 0
  const blocked = secondsLeft > 0
  const problemText = retryAt ? rateLimitText(secondsLeft || null) : problem?.text

  const openSso = () => {
    setSsoOpen(true)
    if (!firm.trim() && tenant) setFirm(tenant)
    setFocusFirm((n) => n + 1)
  }

  const continueSso = (e: FormEvent) => {
    e.preventDefault()
    const slug = firm.trim().toLowerCase()
    if (slug === '') {
      setFirmError('Enter your firm’s short name in Bureau.')
      firmRef.current?.focus()
      return
    }
    setFirmError(undefined)
    setLeaving(true)
    window.location.assign(ssoLoginUrl(slug))
  }

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    if (submitting || blocked) return
    const errs: { email?: string; password?: string } = {}
    if (email.trim() === '') errs.email = 'Enter your email address.'
    if (password === '') errs.password = 'Enter your password.'
    setFieldErrors(errs)
    if (errs.email || errs.password) {
      ;(errs.email ? emailRef : passwordRef).current?.focus()
      return
    }
    setSubmitting(true)
    setProblem(null)
    try {
      await login({ email: email.trim(), password, ...(tenant ? { tenant } : {}) })
      // Loading the person signs the page in: it then redirects to `next`.
      await qc.fetchQuery({ queryKey: queryKeys.me, queryFn: ({ signal }) => getMe(signal), staleTime: 0 })
    } catch (err) {
      const p = problemOf(err)
      setProblem(p)
      if (isApiError(err) && err.code === 'invalid_credentials') {
        setPassword('')
        passwordRef.current?.focus()
      }
      if (isApiError(err) && err.code === 'password_login_disabled') {
        setPassword('')
        openSso()
      }
    } finally {
      setSubmitting(false)
    }
  }

  return (
    <AuthLayout title="Sign in" subtitle="Welcome back. Sign in to your firm's Bureau.">
      <Card shadow="sm" padding="xl">
        <form onSubmit={submit} noValidate aria-label="Sign in">
          <Stack gap="md">
            {notice && !problem && !ssoProblem && (
              <Alert
                variant="light"
                color={notice.color}
                icon={state?.reason === 'signed_out' ? <IconCircleCheck size={18} /> : <IconInfoCircle size={18} />}
                role="status"
              >
                {notice.text}
              </Alert>
            )}
            {ssoProblem && !problemText && (
              <Alert
                variant="light"
                color={ssoProblem.color ?? 'red'}
                icon={<IconAlertCircle size={18} />}
                role="alert"
                title={ssoProblem.title}
                data-testid="sso-error"
              >
                {ssoProblem.text}
                <Text size="xs" c="dimmed" mt={4}>
                  Reference: {ssoError}
                </Text>
              </Alert>
            )}
            {problemText && (
              <Alert variant="light" color="red" icon={<IconAlertCircle size={18} />} role="alert" title="Could not sign in">
                {problemText}
              </Alert>
            )}
            <TextInput
              ref={emailRef}
              label="Email"
              type="email"
              autoComplete="username"
              placeholder="you@example.com"
              value={email}
              onChange={(e) => {
                setEmail(e.currentTarget.value)
                if (fieldErrors.email) setFieldErrors((f) => ({ ...f, email: undefined }))
              }}
              error={fieldErrors.email}
              required
              autoFocus
              size="md"
            />
            <PasswordInput
              ref={passwordRef}
              label="Password"
              autoComplete="current-password"
              value={password}
              onChange={(e) => {
                setPassword(e.currentTarget.value)
                if (fieldErrors.password) setFieldErrors((f) => ({ ...f, password: undefined }))
              }}
              error={fieldErrors.password}
              aria-invalid={fieldErrors.password ? true : undefined}
              required
              size="md"
            />
            <Group justify="flex-end" mt={-8}>
              <Anchor component={Link} to="/forgot-password" state={{ email: email.trim() }} size="sm">
                Forgot password?
              </Anchor>
            </Group>
            <Button type="submit" size="md" fullWidth loading={submitting} disabled={blocked} mt="xs">
              Sign in
            </Button>
            {tenant && (
              <Text size="xs" c="dimmed" ta="center">
                Signing in to <b>{tenant}</b>
              </Text>
            )}
          </Stack>
        </form>
        <Divider label="or" labelPosition="center" my="lg" />
        {ssoOpen ? (
          <form onSubmit={continueSso} noValidate aria-label="Single sign-on">
            <Stack gap="sm">
              <TextInput
                ref={firmRef}
                label="Firm"
                description="Your firm’s short name in Bureau, as in its sign-in link."
                placeholder="northwind-automation"
                value={firm}
                onChange={(e) => {
                  setFirm(e.currentTarget.value)
                  if (firmError) setFirmError(undefined)
                }}
                error={firmError}
                autoCapitalize="none"
                autoCorrect="off"
                spellCheck={false}
                size="md"
              />
              <Button type="submit" variant="default" size="md" fullWidth loading={leaving} leftSection={<IconKey size={18} />}>
                Continue
              </Button>
              <Text size="xs" c="dimmed" ta="center">
                For your firm’s staff: you sign in with your organisation account. Client people use their email and password.
              </Text>
            </Stack>
          </form>
        ) : (
          <Button type="button" variant="default" size="md" fullWidth leftSection={<IconKey size={18} />} onClick={openSso}>
            Use single sign-on (SSO)
          </Button>
        )}
      </Card>
    </AuthLayout>
  )
}

import { Alert, Anchor, Button, Card, Group, PasswordInput, Stack, Text, TextInput } from '@mantine/core'
import { IconAlertCircle, IconCircleCheck, IconInfoCircle } from '@tabler/icons-react'
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

  if (me.isPending) return <FullPageLoader />
  if (me.data) return <Navigate to={next} replace />

  const secondsLeft = retryAt ? Math.max(0, Math.ceil((retryAt - now) / 1000)) : 0
  const blocked = secondsLeft > 0
  const problemText = retryAt ? rateLimitText(secondsLeft || null) : problem?.text

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
    } finally {
      setSubmitting(false)
    }
  }

  return (
    <AuthLayout title="Sign in" subtitle="Welcome back. Sign in to your firm's Bureau.">
      <Card shadow="sm" padding="xl">
        <form onSubmit={submit} noValidate aria-label="Sign in">
          <Stack gap="md">
            {notice && !problem && (
              <Alert
                variant="light"
                color={notice.color}
                icon={state?.reason === 'signed_out' ? <IconCircleCheck size={18} /> : <IconInfoCircle size={18} />}
                role="status"
              >
                {notice.text}
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
      </Card>
    </AuthLayout>
  )
}

import { Alert, Anchor, Button, Card, Group, Stack, Text, TextInput } from '@mantine/core'
import { useDocumentTitle } from '@mantine/hooks'
import { IconArrowLeft, IconMailForward } from '@tabler/icons-react'
import { useRef, useState, type FormEvent } from 'react'
import { Link, useLocation } from 'react-router'
import { isApiError } from '../api/client'
import { useRequestPasswordReset } from '../api/self'
import { AuthLayout } from '../components/AuthLayout'
import { errorMessage } from '../components/ErrorState'
import { rateLimitText } from './LoginPage'
import { FormProblem } from '../components/FormProblem'

const LOOKS_LIKE_EMAIL = /^[^\s@]+@[^\s@]+$/

/** /forgot-password — ask for a reset link. The answer never says whether the address is known. */
export function ForgotPasswordPage() {
  const location = useLocation()
  const given = (location.state as { email?: string } | null)?.email ?? ''
  const [email, setEmail] = useState(given)
  const [error, setError] = useState<string | null>(null)
  const [problem, setProblem] = useState<string | null>(null)
  const [sentTo, setSentTo] = useState<string | null>(null)
  const request = useRequestPasswordReset()
  const emailRef = useRef<HTMLInputElement>(null)
  useDocumentTitle('Reset your password · Bureau')

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    if (request.isPending) return
    setProblem(null)
    const address = email.trim()
    if (address === '') {
      setError('Enter the email address you sign in with.')
      emailRef.current?.focus()
      return
    }
    if (!LOOKS_LIKE_EMAIL.test(address)) {
      setError('Enter an email address, like name@example.com.')
      emailRef.current?.focus()
      return
    }
    try {
      await request.mutateAsync(address)
      setSentTo(address)
    } catch (err) {
      if (isApiError(err) && err.fieldErrors.email) {
        setError(err.fieldErrors.email)
        emailRef.current?.focus()
      } else if (isApiError(err) && (err.status === 429 || err.code === 'rate_limited')) {
        setProblem(rateLimitText(err.retryAfter))
      } else {
        setProblem(errorMessage(err))
      }
    }
  }

  if (sentTo) {
    return (
      <AuthLayout title="Check your email">
        <Card shadow="sm" padding="xl">
          <Stack gap="md">
            <Alert variant="light" color="teal" icon={<IconMailForward size={18} aria-hidden />} role="status" title="Reset link requested">
              If an account exists for that address, we sent a link. It is valid for 1 hour.
            </Alert>
            <Text size="sm" c="dimmed">
              We wrote to <b>{sentTo}</b>. Nothing after a few minutes? Check your spam folder, or ask your Bureau
              administrator: when Bureau cannot send mail, it keeps it in their outbox.
            </Text>
            <Group justify="space-between" mt="xs">
              <Anchor component="button" type="button" size="sm" onClick={() => setSentTo(null)}>
                Use another address
              </Anchor>
              <Button component={Link} to="/login" variant="light" leftSection={<IconArrowLeft size={16} aria-hidden />}>
                Back to sign in
              </Button>
            </Group>
          </Stack>
        </Card>
      </AuthLayout>
    )
  }

  return (
    <AuthLayout title="Reset your password" subtitle="Enter the email you sign in with. We will send you a link to choose a new password.">
      <Card shadow="sm" padding="xl">
        <form onSubmit={submit} noValidate aria-label="Request a password reset link">
          <Stack gap="md">
            {problem && (
              <FormProblem title="Could not send the link">
                {problem}
              </FormProblem>
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
                setError(null)
              }}
              error={error}
              required
              autoFocus
              size="md"
            />
            <Button type="submit" size="md" fullWidth loading={request.isPending} mt="xs">
              Send reset link
            </Button>
            <Text size="xs" c="dimmed" ta="center">
              People who sign in with their firm’s single sign-on reset their password there.
            </Text>
            <Group justify="center">
              <Anchor component={Link} to="/login" size="sm">
                Back to sign in
              </Anchor>
            </Group>
          </Stack>
        </form>
      </Card>
    </AuthLayout>
  )
}

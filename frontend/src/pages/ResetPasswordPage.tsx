import { Anchor, Button, Card, Group, PasswordInput, Stack, Text, ThemeIcon } from '@mantine/core'
import { useDocumentTitle } from '@mantine/hooks'
import { notifications } from '@mantine/notifications'
import { IconClockX } from '@tabler/icons-react'
import { useQueryClient } from '@tanstack/react-query'
import { useRef, useState, type FormEvent } from 'react'
import { Link, useNavigate, useParams } from 'react-router'
import { isApiError, setCsrfToken } from '../api/client'
import { queryKeys } from '../api/queries'
import { useCompletePasswordReset } from '../api/self'
import { AuthLayout } from '../components/AuthLayout'
import { errorMessage } from '../components/ErrorState'
import { NewPasswordInput } from '../components/PasswordHint'
import { validatePassword } from '../lib/password'
import { rateLimitText } from './LoginPage'
import { FormProblem } from '../components/FormProblem'

type Field = 'password' | 'confirm'

function LinkInvalid() {
  useDocumentTitle('Reset link no longer valid · Bureau')
  return (
    <AuthLayout title="This reset link can no longer be used">
      <Card shadow="sm" padding="xl" data-testid="reset-link-invalid">
        <Stack gap="md" align="center" ta="center">
          <ThemeIcon size={52} radius="xl" variant="light" color="orange" aria-hidden>
            <IconClockX size={26} stroke={1.6} />
          </ThemeIcon>
          <Text size="sm">
            Reset links work once, for 1 hour. This one has expired, was used already, or was replaced by a newer one.
            Ask for a new link and use the latest email.
          </Text>
          <Group justify="center" gap="sm" mt="xs">
            <Button component={Link} to="/forgot-password">
              Send a new link
            </Button>
            <Button component={Link} to="/login" variant="default">
              Back to sign in
            </Button>
          </Group>
        </Stack>
      </Card>
    </AuthLayout>
  )
}

/** /reset-password/:token — choose a new password from an emailed link. */
export function ResetPasswordPage() {
  const { token = '' } = useParams()
  const qc = useQueryClient()
  const navigate = useNavigate()
  const reset = useCompletePasswordReset(token)
  const [password, setPassword] = useState('')
  const [confirm, setConfirm] = useState('')
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({})
  const [refusedCommon, setRefusedCommon] = useState(false)
  const [problem, setProblem] = useState<string | null>(null)
  const [invalid, setInvalid] = useState(false)
  const passwordRef = useRef<HTMLInputElement>(null)
  const confirmRef = useRef<HTMLInputElement>(null)
  useDocumentTitle('Choose a new password · Bureau')

  if (invalid) return <LinkInvalid />

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    if (reset.isPending) return
    setProblem(null)
    const errs: Partial<Record<Field, string>> = {}
    const pe = validatePassword(password)
    if (pe) errs.password = pe
    else if (confirm !== password) errs.confirm = 'The two passwords do not match.'
    setErrors(errs)
    setRefusedCommon(false)
    if (errs.password || errs.confirm) {
      ;(errs.password ? passwordRef : confirmRef).current?.focus()
      return
    }
    try {
      await reset.mutateAsync(password)
    } catch (err) {
      if (isApiError(err)) {
        if (err.status === 410 || err.code === 'reset_link_invalid' || err.status === 404) {
          setInvalid(true)
          return
        }
        if (err.fieldErrors.password) {
          setErrors({ password: err.fieldErrors.password })
          setRefusedCommon(err.fieldCodes.password === 'password_too_common')
          passwordRef.current?.focus()
          return
        }
        if (err.status === 429 || err.code === 'rate_limited') {
          setProblem(rateLimitText(err.retryAfter))
          return
        }
      }
      setProblem(errorMessage(err))
      return
    }
    // Every session of the person ended, this browser's too.
    setCsrfToken(null)
    qc.setQueryData(queryKeys.me, null)
    qc.removeQueries({ predicate: (q) => q.queryKey[0] !== 'me' && q.queryKey[0] !== 'setup' })
    notifications.show({
      color: 'teal',
      title: 'Password changed',
      message: 'Sign in with your new password. You were signed out everywhere else.',
    })
    navigate('/login', { replace: true })
  }

  return (
    <AuthLayout title="Choose a new password" subtitle="After this you sign in again, on every device.">
      <Card shadow="sm" padding="xl">
        <form onSubmit={submit} noValidate aria-label="Choose a new password">
          <Stack gap="md">
            {problem && (
              <FormProblem title="Could not change the password">
                {problem}
              </FormProblem>
            )}
            <NewPasswordInput
              ref={passwordRef}
              label="New password"
              value={password}
              onChange={(e) => {
                setPassword(e.currentTarget.value)
                setRefusedCommon(false)
                if (errors.password) setErrors((x) => ({ ...x, password: undefined }))
              }}
              error={errors.password}
              refused={refusedCommon}
              required
              autoFocus
              size="md"
            />
            <PasswordInput
              ref={confirmRef}
              label="Confirm new password"
              autoComplete="new-password"
              value={confirm}
              onChange={(e) => {
                setConfirm(e.currentTarget.value)
                if (errors.confirm) setErrors((x) => ({ ...x, confirm: undefined }))
              }}
              error={errors.confirm}
              aria-invalid={errors.confirm ? true : undefined}
              required
              size="md"
            />
            <Button type="submit" size="md" fullWidth loading={reset.isPending} mt="xs">
              Set new password
            </Button>
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

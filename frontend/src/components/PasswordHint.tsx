import { Box, Group, PasswordInput, Progress, Text, type PasswordInputProps } from '@mantine/core'
import type { Ref } from 'react'
import { passwordBytes, passwordChars, passwordStrength, PASSWORD_MAX_BYTES, PASSWORD_MIN_CHARS } from '../lib/password'

/**
 * PasswordHint says how a new password measures against the policy (at least
 * 15 characters, no composition rules).
 */
export function PasswordHint({ password, refused = false }: { password: string; refused?: boolean }) {
  const chars = passwordChars(password)
  const strength = passwordStrength(password)
  const tooLong = passwordBytes(password) > PASSWORD_MAX_BYTES
  const remaining = PASSWORD_MIN_CHARS - chars
  // Refused by the server (too common): the field's error says why; don't call it good here.
  const ok = strength.ok && !refused
  let text: string
  if (chars === 0) text = `At least ${PASSWORD_MIN_CHARS} characters; no special characters needed. A few unrelated words work well.`
  else if (tooLong) text = `Too long: at most ${PASSWORD_MAX_BYTES} bytes.`
  else if (remaining > 0) text = `${remaining} more ${remaining === 1 ? 'character' : 'characters'} needed.`
  else if (refused) text = 'Long enough, but easy to guess.'
  else if (ok) text = `${strength.label}: ${chars} characters.`
  else text = `${strength.label}.`
  return (
    <Box>
      <Progress value={strength.score} color={refused ? 'red' : strength.color} size={6} radius="xl" aria-hidden />
      <Group justify="space-between" mt={6} gap="xs" wrap="nowrap" align="flex-start">
        <Text size="xs" c={chars === 0 ? 'dimmed' : ok ? 'teal.8' : 'red.8'}>
          {text}
        </Text>
        {chars > 0 && (
          <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }} aria-hidden>
            {chars} / {PASSWORD_MIN_CHARS}+
          </Text>
        )}
      </Group>
    </Box>
  )
}

/**
 * NewPasswordInput is a field for choosing a password, with the policy hint
 * under it. The hint is the field's description, so screen readers hear it
 * with the field.
 */
export function NewPasswordInput({
  value,
  refused = false,
  error,
  ref,
  ...props
}: Omit<PasswordInputProps, 'value' | 'description'> & { value: string; refused?: boolean; ref?: Ref<HTMLInputElement> }) {
  return (
    <PasswordInput
      ref={ref}
      autoComplete="new-password"
      value={value}
      error={error}
      aria-invalid={error ? true : undefined}
      description={<PasswordHint password={value} refused={refused} />}
      descriptionProps={{ component: 'div', mt: 8 }}
      inputWrapperOrder={['label', 'input', 'description', 'error']}
      {...props}
    />
  )
}

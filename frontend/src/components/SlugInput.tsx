import { TextInput, type TextInputProps } from '@mantine/core'

const monospace = { input: { fontFamily: 'var(--mantine-font-family-monospace)' } }

/**
 * SlugInput is the one way a slug is typed: monospace, no autocomplete or
 * spell check, and the rule spelled out underneath unless the caller says more.
 */
export function SlugInput(props: TextInputProps) {
  return (
    <TextInput
      autoComplete="off"
      spellCheck={false}
      description="Lower-case letters, digits and hyphens. It cannot be changed later."
      {...props}
      styles={monospace}
    />
  )
}

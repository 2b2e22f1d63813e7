import { Radio, Stack } from '@mantine/core'
import { ACCOUNT_ROLES, isAccountRole, type AccountRole } from '../api/people'
import { roleDescription, roleLabel } from '../lib/roles'

/**
 * AccountRoleInput chooses one of an account's roles, each with what it may
 * do in one line (a radio group: every choice and its meaning is visible).
 */
export function AccountRoleInput({
  value,
  onChange,
  label = 'Role',
  description,
  error,
  disabled,
  name,
}: {
  value: AccountRole
  onChange: (r: AccountRole) => void
  label?: string
  description?: string
  error?: string | null
  disabled?: boolean
  name: string
}) {
  return (
    <Radio.Group
      name={name}
      label={label}
      description={description}
      value={value}
      onChange={(v) => {
        if (isAccountRole(v)) onChange(v)
      }}
      error={error || undefined}
    >
      <Stack gap={10} mt={8}>
        {ACCOUNT_ROLES.map((r) => (
          <Radio
            key={r}
            value={r}
            label={roleLabel(r)}
            description={roleDescription(r)}
            disabled={disabled}
            styles={{ label: { fontWeight: 600 } }}
          />
        ))}
      </Stack>
    </Radio.Group>
  )
}

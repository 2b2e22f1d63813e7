// The inputs of the connection form, drawn from a provider's spec: the
// provider picker, one input per setting by its kind, and write-only secrets.
import {
  Alert,
  Badge,
  Button,
  Group,
  Input,
  NativeSelect,
  Paper,
  PasswordInput,
  Radio,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  TextInput,
  Textarea,
} from '@mantine/core'
import { IconAlertTriangle, IconLock } from '@tabler/icons-react'
import type { ReactNode } from 'react'
import type { ConnectorField, ConnectorSpec, SecretState } from '../api/connection'
import { DEMO_PROVIDER, fieldId, providerLabel, type SecretMode } from '../lib/connectionForm'
import { formatDateTime, relativeTime } from '../lib/format'

export const PROVIDER_GROUP = 'connection-provider'

const switchStyles = {
  label: { fontSize: 'var(--mantine-font-size-sm)', fontWeight: 600 },
  description: { fontSize: 'var(--mantine-font-size-xs)' },
}

const mono = { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 'var(--mantine-font-size-xs)' }

/** focusField puts the focus on a field's input (the picker's chosen card for the provider), once drawn. */
export function focusField(key: string, prefix = 'connection') {
  setTimeout(() => {
    if (key === 'provider') {
      const radios = Array.from(document.querySelectorAll<HTMLElement>(`[role="radio"][name="${PROVIDER_GROUP}"]`))
      ;(radios.find((r) => r.getAttribute('aria-checked') === 'true') ?? radios[0])?.focus()
      return
    }
    document.getElementById(fieldId(key, prefix))?.focus()
  }, 0)
}

export function ProviderPicker({
  specs,
  value,
  saved,
  error,
  disabled,
  onChange,
}: {
  specs: ConnectorSpec[]
  value: string | null
  saved: string | null
  error?: string
  disabled: boolean
  onChange: (name: string) => void
}) {
  return (
    <Radio.Group
      name={PROVIDER_GROUP}
      label="Provider"
      description="The RPA tool this client’s automations run on."
      value={value ?? ''}
      onChange={onChange}
      error={error}
      withAsterisk
    >
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm" mt={8}>
        {specs.map((s) => (
          <Radio.Card
            key={s.name}
            value={s.name}
            radius="md"
            p="sm"
            className="provider-card"
            disabled={disabled}
            aria-label={providerLabel(s)}
            data-testid={`provider-${s.name}`}
          >
            <Group wrap="nowrap" align="flex-start" gap="sm">
              <Radio.Indicator mt={2} disabled={disabled} />
              <Stack gap={2} style={{ minWidth: 0, flex: 1 }}>
                <Group gap={6} wrap="wrap">
                  <Text size="sm" fw={600}>
                    {providerLabel(s)}
                  </Text>
                  {saved === s.name && value !== s.name && (
                    <Badge size="xs" variant="light" color="gray">
                      Saved
                    </Badge>
                  )}
                </Group>
                <Text size="xs" c="dimmed">
                  {s.name === DEMO_PROVIDER ? 'Simulated estate for trials' : s.vendor}
                </Text>
              </Stack>
            </Group>
          </Radio.Card>
        ))}
      </SimpleGrid>
    </Radio.Group>
  )
}

export function SettingField({
  field: f,
  value,
  required,
  error,
  disabled,
  onChange,
}: {
  field: ConnectorField
  value: string
  required: boolean
  error?: string
  disabled: boolean
  onChange: (value: string) => void
}) {
  const common = {
    id: fieldId(f.key),
    label: f.label,
    description: f.help || undefined,
    error,
    disabled,
    required,
  }
  switch (f.kind) {
    case 'bool':
      return (
        <Switch
          id={common.id}
          label={f.label}
          description={f.help || undefined}
          error={error}
          disabled={disabled}
          checked={value === 'true'}
          onChange={(e) => onChange(e.currentTarget.checked ? 'true' : 'false')}
          size="md"
          styles={switchStyles}
        />
      )
    case 'select': {
      const options = f.options ?? []
      const data = [
        ...(value === '' || !options.includes(value)
          ? [{ value, label: value === '' ? (required ? 'Choose…' : '—') : value, disabled: required }]
          : []),
        ...options.map((o) => ({ value: o, label: o })),
      ]
      return <NativeSelect {...common} data={data} value={value} onChange={(e) => onChange(e.currentTarget.value)} maw={420} />
    }
    case 'pem':
      return (
        <Textarea
          {...common}
          value={value}
          onChange={(e) => onChange(e.currentTarget.value)}
          placeholder={f.placeholder || '-----BEGIN CERTIFICATE-----'}
          autosize
          minRows={4}
          maxRows={12}
          spellCheck={false}
          autoComplete="off"
          styles={{ input: mono }}
        />
      )
    default:
      return (
        <TextInput
          {...common}
          type={f.kind === 'url' ? 'url' : 'text'}
          inputMode={f.kind === 'url' ? 'url' : undefined}
          value={value}
          onChange={(e) => onChange(e.currentTarget.value)}
          placeholder={f.placeholder}
          autoComplete="off"
          spellCheck={false}
        />
      )
  }
}

const REENTRY = 'This secret was stored for another account or under an old key and can’t be read. Re-enter it.'

/** storedLine: "Configured · updated 3 days ago". */
export function storedLine(s: SecretState): string {
  return s.updated_at ? `Configured · updated ${relativeTime(s.updated_at)}` : 'Configured'
}

/**
 * SecretField is write-only: a stored secret shows only that it is there,
 * with a Replace button that opens an empty input; nothing is ever prefilled.
 */
export function SecretField({
  field: f,
  stored,
  mode,
  value,
  required,
  error,
  disabled,
  idPrefix = 'connection',
  description: describe,
  onChange,
  onReplace,
  onKeep,
}: {
  field: ConnectorField
  stored: SecretState | null
  mode: SecretMode
  value: string
  required: boolean
  error?: string
  disabled: boolean
  idPrefix?: string
  /** in place of the field's help */
  description?: ReactNode
  onChange: (value: string) => void
  onReplace?: () => void
  onKeep?: () => void
}) {
  const id = fieldId(f.key, idPrefix)
  if (mode === 'stored' && stored) {
    return (
      <Stack gap={4} role="group" aria-labelledby={`${id}-label`} data-testid={`secret-${f.key}`}>
        <Input.Label component="div" id={`${id}-label`}>
          {f.label}
        </Input.Label>
        {f.help && <Input.Description>{f.help}</Input.Description>}
        <Paper withBorder radius="md" px="sm" py={6} mt={2}>
          <Group justify="space-between" wrap="nowrap" gap="sm">
            <Group gap={8} wrap="nowrap" style={{ minWidth: 0 }}>
              <IconLock size={16} aria-hidden color="var(--mantine-color-teal-7)" />
              <Text size="sm" title={stored.updated_at ? formatDateTime(stored.updated_at) : undefined} data-testid={`secret-${f.key}-state`}>
                {storedLine(stored)}
              </Text>
            </Group>
            <Button variant="default" size="xs" onClick={onReplace} disabled={disabled} aria-label={`Replace ${f.label}`}>
              Replace
            </Button>
          </Group>
        </Paper>
        {error && (
          <Text size="xs" c="red.8">
            {error}
          </Text>
        )}
      </Stack>
    )
  }
  const description =
    mode === 'replace'
      ? 'Enter the new value: it replaces the stored one when you save. Leave it empty to keep the stored one.'
      : (describe ?? (f.help || undefined))
  return (
    <Stack gap={6} data-testid={`secret-${f.key}`}>
      {mode === 'reentry' && (
        <Alert variant="light" color="orange" icon={<IconAlertTriangle size={18} aria-hidden />} py="xs">
          <Text size="sm">{REENTRY}</Text>
        </Alert>
      )}
      <PasswordInput
        id={id}
        label={f.label}
        description={description}
        placeholder={f.placeholder}
        value={value}
        onChange={(e) => onChange(e.currentTarget.value)}
        error={error}
        disabled={disabled}
        required={required}
        autoComplete="new-password"
        spellCheck={false}
      />
      {mode === 'replace' && onKeep && (
        <Group gap="xs">
          <Button variant="subtle" size="xs" color="gray" onClick={onKeep} disabled={disabled}>
            Keep the stored {f.label.toLowerCase()}
          </Button>
          {stored?.updated_at && (
            <Text size="xs" c="dimmed">
              {storedLine(stored)}
            </Text>
          )}
        </Group>
      )}
    </Stack>
  )
}

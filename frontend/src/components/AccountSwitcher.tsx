import { Badge, Group, Select, Text, UnstyledButton, type ComboboxItem, type OptionsFilter } from '@mantine/core'
import { IconBuildingSkyscraper, IconSelector } from '@tabler/icons-react'
import { useMemo } from 'react'
import { Link, useLocation, useNavigate } from 'react-router'
import { useAccounts } from '../api/queries'
import { RESERVED_SLUGS } from '../lib/slug'
import { useCan, useCurrentMe } from './meContext'

/** currentAccountSlug is the account a path is inside ("/acme/settings" → "acme"), or null. */
export function currentAccountSlug(pathname: string): string | null {
  const first = pathname.split('/')[1] ?? ''
  if (first === '' || RESERVED_SLUGS.has(first)) return null
  try {
    return decodeURIComponent(first)
  } catch {
    return null
  }
}

interface Option extends ComboboxItem {
  slug: string
  deactivated: boolean
}

const fold = (s: string) => s.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase()

/** Matches the name or the slug, ignoring case and accents. */
const filter: OptionsFilter = ({ options, search }) => {
  const q = fold(search.trim())
  if (q === '') return options
  return options.filter((o) => {
    if (!('value' in o)) return true
    const opt = o as unknown as Option
    return fold(opt.label).includes(q) || opt.value.includes(q)
  })
}

/**
 * AccountSwitcher sits in the header. Staff get a searchable select of every
 * account that goes to /{slug}; an account-level person sees only their
 * account's name (there is nothing to switch to).
 */
export function AccountSwitcher({ fullWidth = false }: { fullWidth?: boolean }) {
  const me = useCurrentMe()
  const canList = useCan('accounts:list')
  const location = useLocation()
  const navigate = useNavigate()
  const own = me.membership.account
  const accounts = useAccounts(canList && !own)
  const current = currentAccountSlug(location.pathname)

  const data: Option[] = useMemo(
    () =>
      (accounts.data?.items ?? []).map((a) => ({
        value: a.slug,
        label: a.name,
        slug: a.slug,
        deactivated: a.status !== 'active',
      })),
    [accounts.data],
  )

  if (own) {
    return (
      <UnstyledButton component={Link} to={`/${own.slug}`} className="account-pill" aria-label={`Your account: ${own.name}`}>
        <Group gap={8} wrap="nowrap">
          <IconBuildingSkyscraper size={16} stroke={1.7} aria-hidden />
          <Text size="sm" fw={600} truncate="end">
            {own.name}
          </Text>
        </Group>
      </UnstyledButton>
    )
  }
  if (!canList) return null

  const known = current !== null && data.some((o) => o.value === current)
  return (
    <Select
      aria-label="Switch client account"
      placeholder={accounts.isPending ? 'Loading accounts…' : 'Go to a client account…'}
      data={data}
      value={known ? current : null}
      onChange={(slug) => {
        if (slug && slug !== current) navigate(`/${slug}`)
      }}
      searchable
      allowDeselect={false}
      nothingFoundMessage="No account matches"
      filter={filter}
      maxDropdownHeight={320}
      disabled={accounts.isError}
      leftSection={<IconBuildingSkyscraper size={16} stroke={1.7} aria-hidden />}
      rightSection={<IconSelector size={16} stroke={1.7} aria-hidden />}
      rightSectionPointerEvents="none"
      w={fullWidth ? '100%' : 280}
      comboboxProps={{ shadow: 'md', width: fullWidth ? 'target' : 320, position: 'bottom-start' }}
      className="account-switcher"
      renderOption={({ option }) => {
        const o = option as Option
        return (
          // The dropdown's scroll area grows with its content: the row's width is set here.
          <Group gap="xs" wrap="nowrap" justify="space-between" w={fullWidth ? 'calc(100vw - 64px)' : 296}>
            <div style={{ minWidth: 0, flex: 1 }}>
              <Text size="sm" truncate="end">
                {o.label}
              </Text>
              <Text size="xs" c="dimmed" ff="monospace" truncate="end">
                {o.slug}
              </Text>
            </div>
            {o.deactivated && (
              <Badge size="xs" color="gray" variant="light">
                Deactivated
              </Badge>
            )}
          </Group>
        )
      }}
    />
  )
}

import { Group, Loader, Text } from '@mantine/core'
import { useDebouncedValue } from '@mantine/hooks'
import { IconAlertTriangle, IconBan, IconCircleCheck, IconCircleX } from '@tabler/icons-react'
import { useSlugAvailability } from '../api/queries'
import { slugProblem } from '../lib/slug'

export type SlugCheck = 'idle' | 'short' | 'checking' | 'available' | 'taken' | 'reserved' | 'invalid' | 'unknown'

export const SLUG_CHECK_DELAY_MS = 300

/**
 * useSlugCheck tells whether slug can be used for a new account: local rules
 * at once, then the server (debounced, so typing does not flood it).
 */
export function useSlugCheck(slug: string): SlugCheck {
  const [debounced] = useDebouncedValue(slug, SLUG_CHECK_DELAY_MS)
  const local = slugProblem(slug)
  const ask = local === null && debounced === slug ? slug : null
  const q = useSlugAvailability(ask)
  switch (local) {
    case 'required':
      return 'idle'
    case 'too_short':
      return 'short'
    case 'reserved':
      return 'reserved'
    case 'invalid':
    case 'too_long':
      return 'invalid'
  }
  if (ask === null || q.isPending) return 'checking'
  if (q.isError) return 'unknown'
  if (q.data.available) return 'available'
  switch (q.data.reason) {
    case 'slug_taken':
      return 'taken'
    case 'slug_reserved':
      return 'reserved'
    default:
      return 'invalid'
  }
}

/** A form error for a slug the check refused, or null. */
export function slugCheckError(check: SlugCheck, slug: string): string | null {
  switch (check) {
    case 'taken':
      return `“${slug}” is already used by another client account. Choose another slug.`
    case 'reserved':
      return `“${slug}” is reserved by Bureau. Choose another slug.`
    case 'invalid':
      return 'Use lower-case letters, digits and single hyphens, not starting or ending with a hyphen.'
    default:
      return null
  }
}

const VIEW: Record<Exclude<SlugCheck, 'idle'>, { text: string; color: string; icon?: typeof IconCircleCheck }> = {
  short: { text: 'At least 2 characters', color: 'dimmed' },
  checking: { text: 'Checking availability…', color: 'dimmed' },
  available: { text: 'Available', color: 'teal.8', icon: IconCircleCheck },
  taken: { text: 'Taken: another client account uses this slug', color: 'red.8', icon: IconCircleX },
  reserved: { text: 'Reserved: Bureau uses this word for its own pages', color: 'red.8', icon: IconBan },
  invalid: { text: 'Invalid: lower-case letters, digits and single hyphens only', color: 'red.8', icon: IconAlertTriangle },
  unknown: { text: 'Could not check now; it is checked again when you create the account', color: 'dimmed' },
}

/** SlugCheckIcon is the small mark inside the slug input. */
export function SlugCheckIcon({ check }: { check: SlugCheck }) {
  if (check === 'checking') return <Loader size={14} aria-hidden />
  if (check === 'idle' || check === 'short' || check === 'unknown') return null
  const v = VIEW[check]
  const Icon = v.icon!
  return <Icon size={18} stroke={1.8} aria-hidden color={`var(--mantine-color-${check === 'available' ? 'teal' : 'red'}-7)`} />
}

/** SlugCheckText says the check's result in words; a polite live region. */
export function SlugCheckText({ check, id }: { check: SlugCheck; id: string }) {
  const v = check === 'idle' ? null : VIEW[check]
  return (
    <Group gap={6} mt={6} wrap="nowrap" id={id} aria-live="polite" mih={20} data-slug-check={check}>
      {v && (
        <Text size="xs" c={v.color} fw={check === 'available' || v.color.startsWith('red') ? 500 : undefined}>
          {v.text}
        </Text>
      )}
    </Group>
  )
}

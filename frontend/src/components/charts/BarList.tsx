import { Anchor, Box, Group, Text, Tooltip } from '@mantine/core'
import { Link } from 'react-router'
import { chartColor } from './chartColor'

export interface BarListItem {
  key: string
  label: string
  value: number
  /** the figures in words, beside the bar ("12 of 40 runs") */
  detail: string
  /** the tooltip of the label (hover and focus) */
  tooltip?: string
  /** where the label leads */
  to?: string
}

/**
 * BarList is a ranked list with a horizontal bar per row, as long as its
 * value against the largest. Its text says everything (the bars are only a
 * picture of it), so screen readers read a plain list.
 */
export function BarList({ items, color, label }: { items: BarListItem[]; color: string; label: string }) {
  const max = Math.max(1, ...items.map((i) => i.value))
  return (
    <Box component="ul" aria-label={label} m={0} p={0} style={{ listStyle: 'none' }}>
      {items.map((item) => {
        const name = item.to ? (
          <Anchor component={Link} to={item.to} size="sm" fw={500} c="dark.8" lineClamp={1} style={{ overflowWrap: 'anywhere' }}>
            {item.label}
          </Anchor>
        ) : (
          <Text size="sm" fw={500} lineClamp={1}>
            {item.label}
          </Text>
        )
        return (
          <Box component="li" key={item.key} mb="sm">
            <Group justify="space-between" gap="sm" wrap="nowrap" mb={4}>
              <Box style={{ minWidth: 0 }}>
                {item.tooltip ? (
                  <Tooltip label={item.tooltip} withArrow openDelay={150} events={{ hover: true, focus: true, touch: false }}>
                    {name}
                  </Tooltip>
                ) : (
                  name
                )}
              </Box>
              <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                {item.detail}
              </Text>
            </Group>
            <svg width="100%" height={8} aria-hidden focusable="false" style={{ display: 'block' }}>
              <rect x={0} y={0} width="100%" height={8} rx={4} fill="var(--mantine-color-gray-1)" />
              <rect x={0} y={0} width={`${Math.max(1.5, (item.value / max) * 100)}%`} height={8} rx={4} fill={chartColor(color)} />
            </svg>
          </Box>
        )
      })}
    </Box>
  )
}

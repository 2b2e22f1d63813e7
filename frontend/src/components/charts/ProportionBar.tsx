import { Box, Group, Text, Tooltip } from '@mantine/core'
import { useId } from 'react'
import { chartColor } from './chartColor'
import { Swatch } from './StackedBarChart'

export interface Segment {
  key: string
  label: string
  value: number
  /** a Mantine colour name */
  color: string
}

/**
 * ProportionBar shows how a whole splits into parts: one horizontal bar of
 * coloured segments (an image named by the counts), with a legend that
 * states every count in words. Each segment has its count as tooltip.
 */
export function ProportionBar({ segments, label }: { segments: Segment[]; label: string }) {
  const total = segments.reduce((n, s) => n + s.value, 0)
  const summary = `${label}: ${segments.map((s) => `${s.value.toLocaleString()} ${s.label.toLowerCase()}`).join(', ')}`
  // Clip the segments to the rounded track (an id without the characters url() dislikes).
  const clip = `pb-${useId().replace(/[^a-zA-Z0-9_-]/g, '')}`
  let x = 0
  return (
    <Box>
      <svg width="100%" height={12} role="img" aria-label={summary} style={{ display: 'block' }}>
        <defs>
          <clipPath id={clip}>
            <rect x={0} y={0} width="100%" height={12} rx={6} />
          </clipPath>
        </defs>
        <rect x={0} y={0} width="100%" height={12} rx={6} fill="var(--mantine-color-gray-1)" />
        <g clipPath={`url(#${clip})`}>
        {total > 0 &&
          segments.map((s) => {
            if (s.value <= 0) return null
            const start = x
            const w = (s.value / total) * 100
            x += w
            return (
              <Tooltip key={s.key} label={`${s.value.toLocaleString()} ${s.label.toLowerCase()}`} withArrow>
                <rect x={`${start}%`} y={0} width={`${w}%`} height={12} fill={chartColor(s.color)} />
              </Tooltip>
            )
          })}
        </g>
      </svg>
      <Group gap="lg" mt="sm" aria-hidden>
        {segments.map((s) => (
          <Group key={s.key} gap={6} wrap="nowrap">
            <Swatch color={s.color} />
            <Text size="sm">
              <Text span fw={700}>
                {s.value.toLocaleString()}
              </Text>{' '}
              <Text span c="dimmed" size="sm">
                {s.label.toLowerCase()}
              </Text>
            </Text>
          </Group>
        ))}
      </Group>
    </Box>
  )
}

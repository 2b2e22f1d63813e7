import { Badge, Tooltip } from '@mantine/core'
import type { JobState } from '../api/estate'
import { badgeNoTruncate } from './StatusBadge'

/**
 * The one palette of job states, wherever a job's state shows (tables,
 * details, dashboards): green finished well, red faulted, gray was stopped,
 * blue runs, yellow waits to start, orange is suspended.
 */
export const JOB_STATE_COLORS: Record<JobState, string> = {
  successful: 'green',
  faulted: 'red',
  stopped: 'gray',
  running: 'blue',
  pending: 'yellow',
  suspended: 'orange',
}

export const JOB_STATE_LABELS: Record<JobState, string> = {
  successful: 'Successful',
  faulted: 'Faulted',
  stopped: 'Stopped',
  running: 'Running',
  pending: 'Pending',
  suspended: 'Suspended',
}

export function jobStateLabel(state: string): string {
  return JOB_STATE_LABELS[state as JobState] ?? state
}

/**
 * JobStateBadge shows a job's normalised state in words (colour is only a
 * hint); given the vendor's own state, it is the tooltip.
 */
export function JobStateBadge({ state, raw, size = 'sm' }: { state: string; raw?: string; size?: 'xs' | 'sm' | 'md' | 'lg' }) {
  const badge = (
    <Badge
      color={JOB_STATE_COLORS[state as JobState] ?? 'gray'}
      variant="light"
      size={size}
      styles={badgeNoTruncate}
      data-state={state}
      tabIndex={raw ? 0 : undefined}
    >
      {jobStateLabel(state)}
    </Badge>
  )
  if (!raw || raw.toLowerCase() === state) return badge
  return (
    <Tooltip label={`The RPA tool says “${raw}”`} withArrow>
      {badge}
    </Tooltip>
  )
}

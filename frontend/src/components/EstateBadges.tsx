import { Badge } from '@mantine/core'
import type { RobotStatus, RunRequestStatus, SyncStatus } from '../api/estate'
import { badgeNoTruncate } from './StatusBadge'

// Status badges of robots, sync runs and run requests: the word says it, the
// colour follows the job states' palette (green good, red bad, blue busy,
// yellow waiting, gray neutral).

function StatusWord({ color, label, status }: { color: string; label: string; status: string }) {
  return (
    <Badge color={color} variant="light" size="sm" styles={badgeNoTruncate} data-status={status}>
      {label}
    </Badge>
  )
}

const ROBOT: Record<RobotStatus, [string, string]> = {
  available: ['green', 'Available'],
  busy: ['blue', 'Busy'],
  offline: ['red', 'Offline'],
  unknown: ['gray', 'Unknown'],
}

export function RobotStatusBadge({ status }: { status: string }) {
  const [color, label] = ROBOT[status as RobotStatus] ?? ['gray', status || 'Unknown']
  return <StatusWord color={color} label={label} status={status} />
}

const SYNC: Record<SyncStatus, [string, string]> = {
  running: ['blue', 'Running'],
  succeeded: ['green', 'Succeeded'],
  failed: ['red', 'Failed'],
  timed_out: ['red', 'Timed out'],
  cancelled: ['gray', 'Cancelled'],
  interrupted: ['orange', 'Interrupted'],
  skipped_overlap: ['gray', 'Skipped (overlap)'],
}

export function syncStatusLabel(status: string): string {
  return SYNC[status as SyncStatus]?.[1] ?? status
}

export function SyncStatusBadge({ status }: { status: string }) {
  const [color, label] = SYNC[status as SyncStatus] ?? ['gray', status]
  return <StatusWord color={color} label={label} status={status} />
}

const REQUEST: Record<RunRequestStatus, [string, string]> = {
  pending: ['yellow', 'Pending'],
  approved: ['green', 'Approved'],
  rejected: ['gray', 'Rejected'],
  expired: ['orange', 'Expired'],
  failed: ['red', 'Failed'],
}

export function RunRequestStatusBadge({ status }: { status: string }) {
  const [color, label] = REQUEST[status as RunRequestStatus] ?? ['gray', status]
  return <StatusWord color={color} label={label} status={status} />
}

/** EnabledBadge says whether a schedule is on. */
export function EnabledBadge({ enabled }: { enabled: boolean }) {
  return enabled ? <StatusWord color="green" label="Enabled" status="enabled" /> : <StatusWord color="gray" label="Disabled" status="disabled" />
}

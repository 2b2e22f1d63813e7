import { Button, Loader, type ButtonProps } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { IconRefresh } from '@tabler/icons-react'
import { useQueryClient } from '@tanstack/react-query'
import { useEffect, useRef, useState } from 'react'
import { isApiError } from '../api/client'
import { estateChanged, rowsOf, useStartSync, useSyncRuns, type SyncRun } from '../api/estate'
import { plural } from '../lib/format'
import { errorMessage } from './ErrorState'
import { useCan } from './meContext'
import { syncStatusLabel } from './EstateBadges'

/**
 * What is being watched: the sync we started (its id), or the one already
 * running (null); since: only sync runs read after this count.
 */
type Watch = { id: string | null; since: number } | null

function summary(run: SyncRun): string {
  const c = run.counts
  const read = c
    ? `Read ${plural(c.processes, 'process', 'processes')}, ${plural(c.jobs, 'job')}, ${plural(c.robots, 'robot')} and ${plural(c.schedules, 'schedule')}`
    : 'Nothing was read'
  return `${read}; ${run.changed === 0 ? 'nothing changed' : `${plural(run.changed, 'record')} changed`}.`
}

/** finished is the watched sync once it has ended; undefined while it runs. */
function finished(items: SyncRun[] | undefined, readAt: number, watch: Watch): SyncRun | null | undefined {
  if (!items || !watch || readAt < watch.since) return undefined
  if (watch.id) {
    const run = items.find((r) => r.id === watch.id)
    return run && run.status !== 'running' ? run : undefined
  }
  if (items.some((r) => r.status === 'running')) return undefined
  return items[0] ?? null
}

/**
 * SyncNowButton starts a sync of the account (sync:run) and follows it: the
 * sync runs are polled until it ends, then a notification says what it read
 * and what changed, and every estate list is refreshed. Nothing for people
 * who may not sync.
 */
export function SyncNowButton({ account, ...props }: { account: string } & ButtonProps) {
  const can = useCan('sync:run')
  const qc = useQueryClient()
  const start = useStartSync(account)
  const [watch, setWatch] = useState<Watch>(null)
  const runs = useSyncRuns(account, { enabled: can && watch !== null, watch: watch !== null })
  const toast = `sync-${account}`
  const watching = useRef(false)
  watching.current = watch !== null

  const done = finished(watch ? rowsOf(runs.data) : undefined, runs.dataUpdatedAt, watch)
  useEffect(() => {
    if (done === undefined) return
    setWatch(null)
    void estateChanged(qc, account)
    const ok = done?.status === 'succeeded'
    notifications.update({
      id: toast,
      loading: false,
      color: ok ? 'teal' : done ? 'red' : 'gray',
      title: ok ? 'Sync finished' : done ? `Sync ${syncStatusLabel(done.status).toLowerCase()}` : 'Sync finished',
      message: !done ? 'The sync has ended.' : ok ? summary(done) : done.error || 'The sync did not finish. See Sync history.',
      autoClose: 8000,
      withCloseButton: true,
    })
  }, [done, qc, account, toast])

  // Left while a sync runs: the notification must not spin for ever.
  useEffect(
    () => () => {
      if (watching.current) {
        notifications.update({
          id: toast,
          loading: false,
          title: 'Sync running',
          message: 'Its result will show in Sync history.',
          autoClose: 6000,
          withCloseButton: true,
        })
      }
    },
    [toast],
  )

  if (!can) return null

  const follow = (w: Watch, title: string) => {
    setWatch(w)
    notifications.show({
      id: toast,
      loading: true,
      title,
      message: 'Bureau is reading processes, jobs, robots and schedules from the RPA tool…',
      autoClose: false,
      withCloseButton: false,
    })
    void qc.invalidateQueries({ queryKey: ['account', account, 'estate', 'sync-runs'] })
  }

  const run = async () => {
    try {
      const started = await start.mutateAsync()
      follow({ id: started?.id ?? null, since: Date.now() }, 'Sync started')
    } catch (e) {
      if (isApiError(e) && e.code === 'sync_running') {
        follow({ id: null, since: Date.now() }, 'A sync is already running')
        return
      }
      notifications.show({
        color: 'red',
        title: isApiError(e) && e.code === 'connection_missing' ? 'Connect the account first' : 'Could not start the sync',
        message: errorMessage(e),
      })
    }
  }

  const busy = watch !== null
  return (
    <Button
      variant="default"
      leftSection={busy ? <Loader size={14} aria-hidden /> : <IconRefresh size={16} aria-hidden />}
      onClick={() => void run()}
      loading={start.isPending}
      disabled={busy}
      {...props}
    >
      {busy ? 'Syncing…' : 'Sync now'}
    </Button>
  )
}

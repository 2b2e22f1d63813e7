import { Anchor, Button, Group, Stack, Text, Textarea } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { IconPlayerPlay } from '@tabler/icons-react'
import { useEffect, useState, type FormEvent, type ReactNode } from 'react'
import { useNavigate, type NavigateFunction } from 'react-router'
import { isApiError } from '../api/client'
import { useStartRun, type Process } from '../api/estate'
import { formatDateTime, relativeTime } from '../lib/format'
import { parseArguments } from '../lib/estate'
import { errorMessage } from './ErrorState'
import { FormModal, useLast } from './FormModal'
import { FormProblem } from './FormProblem'

/**
 * InAppLink is a link for a notification: notifications live outside the
 * router, so it navigates through the page's own navigate function.
 */
export function InAppLink({ to, navigate, children }: { to: string; navigate: NavigateFunction; children: ReactNode }) {
  return (
    <Anchor
      href={to}
      size="sm"
      onClick={(e) => {
        if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return
        e.preventDefault()
        navigate(to)
      }}
    >
      {children}
    </Anchor>
  )
}

/** Why a run did not start, in the dialog: a vendor's refusal (502) keeps the vendor's own words. */
function refusal(e: unknown): { title: string; message: string } {
  if (isApiError(e) && e.status === 502) {
    return { title: 'The RPA tool refused the run', message: `${errorMessage(e)}${e.code ? ` (${e.code})` : ''}` }
  }
  if (isApiError(e) && e.code === 'connection_missing') return { title: 'Connect the account first', message: errorMessage(e) }
  return { title: 'The run did not start', message: errorMessage(e) }
}

/** RunProcessModal starts a process now (runs:start), with optional JSON arguments. */
export function RunProcessModal({ account, process, onClose }: { account: string; process: Process | null; onClose: () => void }) {
  const p = useLast(process)
  return (
    <FormModal opened={process !== null} onClose={onClose} title={p ? `Run ${p.name}` : 'Run process'} size="lg">
      {(onBusy) => process && <RunForm account={account} process={process} onClose={onClose} onBusy={onBusy} />}
    </FormModal>
  )
}

function RunForm({ account, process, onClose, onBusy }: { account: string; process: Process; onClose: () => void; onBusy: (b: boolean) => void }) {
  const start = useStartRun(account)
  const navigate = useNavigate()
  const [text, setText] = useState('')
  const [fieldError, setFieldError] = useState<string | null>(null)
  const [problem, setProblem] = useState<{ title: string; message: string } | null>(null)
  useEffect(() => onBusy(start.isPending), [start.isPending, onBusy])

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    if (start.isPending) return
    const args = parseArguments(text)
    if (!args.ok) {
      setFieldError(args.error)
      document.getElementById('run-arguments')?.focus()
      return
    }
    setProblem(null)
    try {
      const out = await start.mutateAsync({ processId: process.id, args: args.value })
      if (out.kind === 'started') {
        notifications.show({
          color: 'teal',
          title: 'Run started',
          message: (
            <>
              {process.name} is starting on the RPA tool.{' '}
              <InAppLink to={`/${account}/jobs/${out.job.id}`} navigate={navigate}>
                View the job
              </InAppLink>
            </>
          ),
          autoClose: 10_000,
        })
      } else {
        const r = out.request
        notifications.show({
          color: 'blue',
          title: 'Sent for approval',
          message: `This account needs approval for manual runs: an Account Admin or your consultants decide on running ${process.name}. The request expires ${relativeTime(r.expires_at)} (${formatDateTime(r.expires_at)}).`,
          autoClose: 12_000,
        })
      }
      onClose()
    } catch (err) {
      if (isApiError(err) && err.fieldErrors.arguments) setFieldError(err.fieldErrors.arguments)
      else setProblem(refusal(err))
    }
  }

  return (
    <form onSubmit={submit} noValidate aria-label={`Run ${process.name}`}>
      <Stack gap="md">
        <Text size="sm">
          Starts {process.name}
          {process.folder ? ` (folder ${process.folder})` : ''} now, through the account’s RPA tool. You can follow it on the Jobs page.
        </Text>
        {problem && (
          <FormProblem title={problem.title}>
            {problem.message}
          </FormProblem>
        )}
        <Textarea
          id="run-arguments"
          label="Arguments (optional)"
          description='Input arguments for the process, as one JSON object, e.g. {"invoice": 42}. Leave empty to run without.'
          placeholder="{}"
          value={text}
          onChange={(e) => {
            setText(e.currentTarget.value)
            setFieldError(null)
          }}
          error={fieldError}
          autosize
          minRows={4}
          maxRows={12}
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
          spellCheck={false}
          disabled={start.isPending}
          data-autofocus
        />
        <Group justify="flex-end" mt="sm">
          <Button variant="default" onClick={onClose} disabled={start.isPending}>
            Cancel
          </Button>
          <Button type="submit" loading={start.isPending} leftSection={<IconPlayerPlay size={16} aria-hidden />}>
            Start run
          </Button>
        </Group>
      </Stack>
    </form>
  )
}

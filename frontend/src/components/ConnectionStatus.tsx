// The status of an account's RPA connection, at the top of its page: what it
// connects to, how its last test went (the vendor's own words, and what to do
// next), and the test itself while the vendor answers.
import { Alert, Badge, Button, Card, Code, Group, Loader, Paper, Stack, Text, ThemeIcon } from '@mantine/core'
import {
  IconAlertCircle,
  IconAlertTriangle,
  IconCircleCheck,
  IconCircleX,
  IconClockHour4,
  IconPlugConnected,
  IconPlugConnectedX,
  IconRefresh,
} from '@tabler/icons-react'
import type { Connection, ConnectorSpec, LastTest } from '../api/connection'
import { DEMO_PROVIDER, providerLabel, testAdvice, testTitle, vendorName } from '../lib/connectionForm'
import { formatDateTime, relativeTime } from '../lib/format'

/** The test's state, shared by the status card's button and the form's "Save and test connection". */
export interface TestAction {
  running: boolean
  /** why the test cannot run now; null: it can */
  disabledReason: string | null
  /** an error reaching Bureau (not the vendor's answer, which is the last test) */
  problem: string | null
  run: () => void
}

function needsReentry(c: Connection): boolean {
  return Object.values(c.secrets ?? {}).some((s) => s.needs_reentry)
}

function status(c: Connection, label: string): { title: string; color: string; icon: typeof IconCircleCheck } {
  if (needsReentry(c)) return { title: 'A stored secret must be entered again', color: 'orange', icon: IconAlertTriangle }
  const t = c.last_test
  if (!t) return { title: 'Saved — not tested yet', color: 'orange', icon: IconClockHour4 }
  if (t.ok) return { title: `Connected to ${label}`, color: 'teal', icon: IconCircleCheck }
  return { title: 'The last connection test failed', color: 'red', icon: IconCircleX }
}

/** TestedWhen: "Tested 5 minutes ago", with the exact time on hover. */
function TestedWhen({ at }: { at: string }) {
  return (
    <Text size="xs" c="dimmed">
      Tested <span title={formatDateTime(at)}>{relativeTime(at)}</span>
    </Text>
  )
}

function TestResult({ result, stale }: { result: LastTest; stale: boolean }) {
  const staleNote = stale && (
    <Text size="xs" c="orange.9" fw={500}>
      The settings were saved again after this test: test again to check them.
    </Text>
  )
  if (result.ok) {
    return (
      <Alert
        variant="light"
        color="teal"
        role="status"
        icon={<IconPlugConnected size={20} aria-hidden />}
        title="Connection test succeeded"
        data-testid="connection-test-result"
      >
        <Stack gap={6}>
          {result.details && (
            <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
              {result.details}
            </Text>
          )}
          <TestedWhen at={result.at} />
          {staleNote}
        </Stack>
      </Alert>
    )
  }
  const code = result.error?.code
  return (
    <Alert
      variant="light"
      color="red"
      role="status"
      icon={<IconPlugConnectedX size={20} aria-hidden />}
      title={testTitle(code)}
      data-testid="connection-test-result"
    >
      <Stack gap="sm">
        <Text size="sm" fw={600} data-testid="connection-test-advice">
          {testAdvice(code)}
        </Text>
        {result.error?.message && (
          <Stack gap={4}>
            <Group gap="xs">
              <Text size="xs" c="dimmed" fw={600} id="connection-vendor-message">
                What the vendor said
              </Text>
              {code && (
                <Badge size="xs" variant="outline" color="gray" tt="none" ff="monospace">
                  {code}
                </Badge>
              )}
            </Group>
            <Code
              block
              data-testid="connection-vendor-message"
              aria-labelledby="connection-vendor-message"
              tabIndex={0}
              style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere', maxHeight: 240, overflow: 'auto', fontSize: 'var(--mantine-font-size-xs)' }}
            >
              {result.error.message}
            </Code>
          </Stack>
        )}
        {result.details && (
          <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
            {result.details}
          </Text>
        )}
        <TestedWhen at={result.at} />
        {staleNote}
      </Stack>
    </Alert>
  )
}

/** ConnectionStatus: what the account connects to, and its last test (with the test button, for those who may test). */
export function ConnectionStatus({
  connection,
  spec,
  test,
}: {
  connection: Connection
  spec: ConnectorSpec | undefined
  test: TestAction | null
}) {
  const label = spec ? providerLabel(spec) : (connection.provider ?? '')
  const st = status(connection, label)
  const t = connection.last_test
  const stale = !!(t && connection.updated_at && Date.parse(connection.updated_at) > Date.parse(t.at) + 1000)
  return (
    <Card padding="lg" aria-labelledby="connection-status-heading">
      <Stack gap="md">
        <Group gap="md" wrap="wrap" align="flex-start" justify="space-between">
          <Group gap="md" wrap="nowrap" align="flex-start" style={{ flex: '1 1 320px', minWidth: 0 }}>
            <ThemeIcon size={40} radius="xl" variant="light" color={st.color} aria-hidden>
              <st.icon size={22} stroke={1.7} />
            </ThemeIcon>
            <Stack gap={4} style={{ minWidth: 0 }}>
              <Text size="xs" c="dimmed" fw={600} tt="uppercase" id="connection-status-heading" style={{ letterSpacing: '0.04em' }}>
                Status
              </Text>
              <Text fw={650} data-testid="connection-status">
                {st.title}
              </Text>
              <Text size="sm" c="dimmed">
                {connection.provider === DEMO_PROVIDER
                  ? 'This account shows the demo estate: simulated processes, jobs, robots and schedules, refreshed every few minutes.'
                  : `Bureau syncs processes, jobs, robots and schedules from ${label} every few minutes.`}
                {connection.updated_at ? ` Connection saved ${relativeTime(connection.updated_at)}.` : ''}
              </Text>
            </Stack>
          </Group>
          {test && (
            <Stack gap={6} maw={300} style={{ flexShrink: 0 }}>
              <Group>
                <Button
                  variant="light"
                  leftSection={<IconRefresh size={16} aria-hidden />}
                  onClick={test.run}
                  loading={test.running}
                  disabled={test.disabledReason !== null}
                  aria-describedby={test.disabledReason ? 'connection-test-reason' : undefined}
                >
                  Test the saved connection
                </Button>
              </Group>
              {test.disabledReason && !test.running && (
                <Text size="xs" c="orange.9" id="connection-test-reason">
                  {test.disabledReason}
                </Text>
              )}
            </Stack>
          )}
        </Group>
        <div aria-live="polite">
          {test?.running ? (
            <Paper withBorder radius="md" p="md" role="status" aria-busy="true" data-testid="connection-testing">
              <Group gap="sm" wrap="nowrap">
                <Loader size="sm" />
                <Stack gap={0}>
                  <Text size="sm" fw={600}>
                    Contacting {vendorName(spec)}…
                  </Text>
                  <Text size="xs" c="dimmed">
                    Signing in and reading a page of processes. This can take up to half a minute.
                  </Text>
                </Stack>
              </Group>
            </Paper>
          ) : test?.problem ? (
            <Alert variant="light" color="red" icon={<IconAlertCircle size={20} aria-hidden />} title="Could not run the test">
              {test.problem}
            </Alert>
          ) : t ? (
            <TestResult result={t} stale={stale} />
          ) : null}
        </div>
      </Stack>
    </Card>
  )
}

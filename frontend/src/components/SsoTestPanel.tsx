// The result of a Tenant Admin's test sign-in, at the top of the single
// sign-on page (/settings/sso?test=<id>): what the identity provider sent,
// the staff role it maps to, and what to change when it would be refused.
import { Alert, Anchor, Badge, Button, Code, Group, Loader, ScrollArea, SimpleGrid, Stack, Text, Title } from '@mantine/core'
import {
  IconAlertCircle,
  IconAlertTriangle,
  IconChevronDown,
  IconChevronRight,
  IconCircleCheck,
  IconRefresh,
  IconX,
} from '@tabler/icons-react'
import type { UseQueryResult } from '@tanstack/react-query'
import { useId, useState, type ReactNode } from 'react'
import { Link } from 'react-router'
import { isApiError } from '../api/client'
import type { StaffRole } from '../api/self'
import type { SsoSettings, SsoTestResult } from '../api/tenantSettings'
import { formatDateTime, relativeTime } from '../lib/format'
import { ROLE_LABELS } from '../lib/roles'
import { ssoTestAdvice, testRefusal } from '../lib/ssoForm'
import { errorMessage } from './ErrorState'
import { useCan } from './meContext'

const STAFF_ROLES: StaffRole[] = ['consultant', 'tenant_admin']

/** TestAction is the "Test sign-in" button's state, shared with the status card. */
export interface TestAction {
  /** why the test cannot run now; null: it can */
  disabledReason: string | null
  starting: boolean
  run: () => void
}

function Fact({ label, children, mono }: { label: string; children: ReactNode; mono?: boolean }) {
  return (
    <div className="detail-item">
      <dt>{label}</dt>
      <dd>
        <Text span size="sm" fw={500} ff={mono ? 'monospace' : undefined} style={{ overflowWrap: 'anywhere' }}>
          {children}
        </Text>
      </dd>
    </div>
  )
}

function Actions({ test, onDismiss, label = 'Test again' }: { test: TestAction; onDismiss: () => void; label?: string }) {
  const reasonId = useId()
  return (
    <Stack gap={4}>
      <Group gap="sm">
        <Button
          size="xs"
          variant="default"
          leftSection={<IconRefresh size={14} aria-hidden />}
          onClick={test.run}
          disabled={test.disabledReason !== null}
          loading={test.starting}
          aria-describedby={test.disabledReason ? reasonId : undefined}
        >
          {label}
        </Button>
        <Button size="xs" variant="subtle" color="gray" leftSection={<IconX size={14} aria-hidden />} onClick={onDismiss}>
          Dismiss
        </Button>
      </Group>
      {test.disabledReason && (
        <Text size="xs" c="dimmed" id={reasonId}>
          {test.disabledReason}
        </Text>
      )}
    </Stack>
  )
}

function Claims({ claims }: { claims: Record<string, unknown> }) {
  const [open, setOpen] = useState(false)
  const id = useId()
  const n = Object.keys(claims).length
  return (
    <Stack gap={6}>
      <Group>
        <Button
          variant="subtle"
          size="compact-sm"
          px={4}
          leftSection={open ? <IconChevronDown size={14} aria-hidden /> : <IconChevronRight size={14} aria-hidden />}
          aria-expanded={open}
          aria-controls={id}
          onClick={() => setOpen((o) => !o)}
        >
          All claims ({n})
        </Button>
      </Group>
      {open && (
        <Code
          block
          id={id}
          data-testid="sso-test-claims"
          tabIndex={0}
          aria-label="All claims of the ID token"
          style={{ maxHeight: 360, overflow: 'auto', fontSize: 'var(--mantine-font-size-xs)', whiteSpace: 'pre' }}
        >
          {JSON.stringify(claims, null, 2)}
        </Code>
      )}
    </Stack>
  )
}

function Groups({
  result,
  claim,
  mapped,
  offerMapping,
  onMap,
}: {
  result: SsoTestResult
  claim: string
  mapped: Record<string, StaffRole>
  offerMapping: boolean
  onMap: (group: string, role: StaffRole) => void
}) {
  const groups = result.groups ?? []
  const unmapped = groups.filter((g) => !(g in mapped))
  return (
    <Stack gap="xs">
      <Title order={3} fz="sm" fw={600}>
        Groups received{' '}
        <Text span size="xs" c="dimmed" fw={400}>
          (claim <Code fz="xs">{claim}</Code>)
        </Text>
      </Title>
      {groups.length === 0 ? (
        <Text size="sm" c="dimmed" data-testid="sso-test-no-groups">
          None: the claim was missing or empty.
        </Text>
      ) : (
        <Group gap={6} component="ul" role="list" aria-label="Groups received" p={0} m={0} style={{ listStyle: 'none' }}>
          {groups.map((g) => (
            <li key={g}>
              <Badge
                tt="none"
                variant={g in mapped ? 'light' : 'outline'}
                color={g in mapped ? 'teal' : 'gray'}
                size="lg"
                radius="sm"
                fw={500}
                ff="monospace"
                styles={{ label: { overflow: 'visible' } }}
              >
                {g}
                {g in mapped ? ` → ${ROLE_LABELS[mapped[g]]}` : ''}
              </Badge>
            </li>
          ))}
        </Group>
      )}
      {offerMapping && unmapped.length > 0 && (
        <Stack gap={6} mt={4}>
          <Text size="sm" fw={600} id="sso-test-map-heading">
            Map one of these groups
          </Text>
          <ScrollArea.Autosize mah={260} type="auto" offsetScrollbars>
            <Stack gap={6} component="ul" role="list" aria-labelledby="sso-test-map-heading" p={0} m={0} style={{ listStyle: 'none' }}>
              {unmapped.map((g) => (
                <Group component="li" key={g} gap="xs" wrap="wrap">
                  <Code style={{ overflowWrap: 'anywhere' }}>{g}</Code>
                  <Text size="xs" c="dimmed" aria-hidden>
                    map to
                  </Text>
                  {STAFF_ROLES.map((role) => (
                    <Button key={role} size="compact-xs" variant="light" onClick={() => onMap(g, role)} aria-label={`Map ${g} to ${ROLE_LABELS[role]}`}>
                      {ROLE_LABELS[role]}
                    </Button>
                  ))}
                </Group>
              ))}
            </Stack>
          </ScrollArea.Autosize>
        </Stack>
      )}
    </Stack>
  )
}

function headline(r: SsoTestResult, refusal: string | null): { color: string; title: string; icon: ReactNode } {
  const who = r.email || r.name || 'This person'
  if (r.ok && !refusal) {
    return {
      color: 'teal',
      title: `Test sign-in worked: ${who} would sign in as ${r.role ? ROLE_LABELS[r.role] : 'staff'}`,
      icon: <IconCircleCheck size={20} aria-hidden />,
    }
  }
  if (r.ok) {
    return { color: 'orange', title: `Test sign-in reached Bureau, but ${who} would be refused`, icon: <IconAlertTriangle size={20} aria-hidden /> }
  }
  if (r.code === 'sso_no_role') {
    return { color: 'orange', title: `Test sign-in failed: ${who} would be refused`, icon: <IconAlertTriangle size={20} aria-hidden /> }
  }
  return { color: 'red', title: 'Test sign-in failed', icon: <IconAlertCircle size={20} aria-hidden /> }
}

function Result({
  result: r,
  settings,
  mapped,
  dirty,
  onMap,
  onDismiss,
  test,
}: {
  result: SsoTestResult
  settings: SsoSettings
  mapped: Record<string, StaffRole>
  dirty: boolean
  onMap: (group: string, role: StaffRole) => void
  onDismiss: () => void
  test: TestAction
}) {
  const canFirm = useCan('tenant:update')
  const refusal = testRefusal(r, settings)
  const h = headline(r, refusal)
  const claim = settings.groups_claim || 'groups'
  const tid = typeof r.claims?.tid === 'string' ? r.claims.tid : null
  return (
    <Alert variant="light" color={h.color} icon={h.icon} title={h.title} data-testid="sso-test-result" role="status" styles={{ title: { fontSize: 'var(--mantine-font-size-md)' } }}>
      <Stack gap="md">
        {r.ok ? (
          <Text size="sm">
            {refusal ?? (
              <>
                The identity provider signed this person in and the groups map to a staff role. This counts as a successful
                single sign-on sign-in; nobody was signed in by the test.
                {canFirm && (
                  <>
                    {' '}
                    You can now turn staff passwords off in{' '}
                    <Anchor component={Link} to="/settings/firm" className="inline-link">
                      Firm settings
                    </Anchor>
                    .
                  </>
                )}
              </>
            )}
          </Text>
        ) : (
          <Stack gap={4}>
            {r.message && <Text size="sm">{r.message}</Text>}
            <Text size="sm" fw={600} data-testid="sso-test-advice">
              {ssoTestAdvice(r.code, claim, r.groups?.length ?? 0)}
            </Text>
            {r.code === 'sso_tenant_not_allowed' && tid && (
              <Text size="sm">
                Their directory (tenant) id: <Code>{tid}</Code>
              </Text>
            )}
          </Stack>
        )}

        {(r.email || r.name || r.role || r.issuer || r.subject) && (
          <SimpleGrid component="dl" cols={{ base: 1, sm: 2 }} spacing="md" verticalSpacing="xs" className="detail-list" m={0}>
            {r.email && <Fact label="Email">{r.email}</Fact>}
            {r.name && <Fact label="Name">{r.name}</Fact>}
            {r.role && <Fact label="Staff role">{ROLE_LABELS[r.role]}</Fact>}
            {r.issuer && (
              <Fact label="Issuer" mono>
                {r.issuer}
              </Fact>
            )}
            {r.subject && (
              <Fact label="Subject" mono>
                {r.subject}
              </Fact>
            )}
            {r.at && <Fact label="Tested">{<span title={formatDateTime(r.at)}>{relativeTime(r.at)}</span>}</Fact>}
          </SimpleGrid>
        )}

        {(r.ok || r.code === 'sso_no_role' || (r.groups?.length ?? 0) > 0) && (
          <Groups result={r} claim={claim} mapped={mapped} offerMapping={r.code === 'sso_no_role'} onMap={onMap} />
        )}

        {r.claims && Object.keys(r.claims).length > 0 && <Claims claims={r.claims} />}

        {dirty && !r.ok && (
          <Text size="sm" c="orange.9" fw={500}>
            Your changes below are not saved yet: save them, then test again.
          </Text>
        )}
        <Actions test={test} onDismiss={onDismiss} />
      </Stack>
    </Alert>
  )
}

/** SsoTestPanel shows the test sign-in result being read, or why it cannot be. */
export function SsoTestPanel({
  query,
  settings,
  mapped,
  dirty,
  onMap,
  onDismiss,
  test,
}: {
  query: UseQueryResult<SsoTestResult>
  settings: SsoSettings
  mapped: Record<string, StaffRole>
  dirty: boolean
  onMap: (group: string, role: StaffRole) => void
  onDismiss: () => void
  test: TestAction
}) {
  if (query.isError) {
    const gone = isApiError(query.error) && query.error.status === 404
    return (
      <Alert
        variant="light"
        color={gone ? 'yellow' : 'red'}
        icon={<IconAlertCircle size={20} aria-hidden />}
        title={gone ? 'This test result is not available' : 'Could not load the test sign-in’s result'}
        data-testid="sso-test-result"
        role="alert"
      >
        <Stack gap="md">
          <Text size="sm">
            {gone
              ? 'It may have expired, or the link is wrong. Run the test sign-in again.'
              : errorMessage(query.error)}
          </Text>
          {gone ? (
            <Actions test={test} onDismiss={onDismiss} label="Test sign-in" />
          ) : (
            <Group gap="sm">
              <Button size="xs" variant="default" onClick={() => void query.refetch()} loading={query.isFetching}>
                Try again
              </Button>
              <Button size="xs" variant="subtle" color="gray" onClick={onDismiss}>
                Dismiss
              </Button>
            </Group>
          )}
        </Stack>
      </Alert>
    )
  }
  if (!query.data) {
    return (
      <Alert variant="light" color="gray" icon={<Loader size={18} />} title="Reading the test sign-in’s result…" aria-busy="true" data-testid="sso-test-result" />
    )
  }
  return <Result result={query.data} settings={settings} mapped={mapped} dirty={dirty} onMap={onMap} onDismiss={onDismiss} test={test} />
}

import {
  Alert,
  Badge,
  Button,
  Card,
  FileButton,
  Grid,
  Group,
  RingProgress,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  Textarea,
  ThemeIcon,
  Title,
  VisuallyHidden,
} from '@mantine/core'
import { useDocumentTitle } from '@mantine/hooks'
import { notifications } from '@mantine/notifications'
import {
  IconAlertCircle,
  IconBuildingSkyscraper,
  IconCircleCheck,
  IconDatabase,
  IconFileUpload,
  IconKey,
  IconListDetails,
  IconPlayerPause,
  IconUpload,
  IconUsers,
} from '@tabler/icons-react'
import { useQueryClient } from '@tanstack/react-query'
import { useEffect, useState, type FormEvent, type ReactNode } from 'react'
import { Link } from 'react-router'
import { isApiError } from '../api/client'
import { putLicense } from '../api/endpoints'
import { queryKeys, useLicense, useUsage } from '../api/queries'
import type { LicenseInfo, LicenseState, Usage } from '../api/types'
import { ErrorState, errorMessage } from '../components/ErrorState'
import { useCan, useCurrentMe } from '../components/meContext'
import { UsageBar } from '../components/PlanUsage'
import { formatBytes, formatDate, planLabel, plural, relativeTime } from '../lib/format'
import { LEVEL_COLOR, usageLevel } from '../lib/plan'
import { NotFoundPage } from './NotFoundPage'
import { FormProblem } from '../components/FormProblem'

const STATE_VIEW: Record<LicenseState, { label: string; color: string }> = {
  none: { label: 'No license', color: 'gray' },
  valid: { label: 'Valid', color: 'teal' },
  expired: { label: 'Expired', color: 'red' },
  invalid: { label: 'Invalid', color: 'red' },
}

function Count({ icon, label, value }: { icon: ReactNode; label: string; value: ReactNode }) {
  return (
    <Group gap="sm" wrap="nowrap">
      <ThemeIcon size={34} radius="md" variant="light" color="gray" aria-hidden>
        {icon}
      </ThemeIcon>
      <div>
        <Text fw={700} fz="lg" lh={1.2}>
          {value}
        </Text>
        <Text size="xs" c="dimmed">
          {label}
        </Text>
      </div>
    </Group>
  )
}

function PlanCard({ u }: { u: Usage }) {
  const canLicense = useCan('tenant:license')
  const level = usageLevel(u.accounts_used, u.accounts_limit)
  const pct = u.accounts_limit > 0 ? Math.min(100, (u.accounts_used / u.accounts_limit) * 100) : 100
  const left = Math.max(0, u.accounts_limit - u.accounts_used)
  return (
    <Card aria-labelledby="plan-heading" padding="xl" h="100%">
      <Group gap="sm" mb="lg">
        <Title order={2} fz="lg" id="plan-heading">
          {planLabel(u.plan)} plan
        </Title>
        <Badge color={LEVEL_COLOR[level]} variant="light">
          {level === 'full' ? 'Limit reached' : level === 'near' ? 'Almost full' : 'Room to grow'}
        </Badge>
      </Group>
      <Group align="center" gap="lg" wrap="nowrap">
        <RingProgress
          size={120}
          thickness={12}
          roundCaps
          sections={[{ value: pct, color: LEVEL_COLOR[level] }]}
          rootColor="var(--mantine-color-gray-2)"
          label={
            <Stack gap={0} align="center">
              <Text fw={750} fz={24} lh={1}>
                {u.accounts_used}
                <Text span c="dimmed" fz={14} fw={600}>
                  /{u.accounts_limit}
                </Text>
              </Text>
              <Text size="xs" c="dimmed" mt={4}>
                active
              </Text>
            </Stack>
          }
          aria-hidden
        />
        <Stack gap={8} style={{ minWidth: 0, flex: 1 }}>
          <div>
            <Text fw={700} fz={22} lh={1.2} c={level === 'full' ? 'red.8' : undefined}>
              {u.accounts_used} of {u.accounts_limit}
            </Text>
            <Text size="sm" c="dimmed">
              active client accounts
            </Text>
          </div>
          <UsageBar used={u.accounts_used} limit={u.accounts_limit} />
          <VisuallyHidden data-testid="accounts-usage">
            {u.accounts_used} of {u.accounts_limit} active client accounts
          </VisuallyHidden>
        </Stack>
      </Group>
      <Text size="sm" mt="md" c={level === 'full' ? 'red.8' : 'dimmed'}>
        {level === 'full' ? (
          <>
            No account can be created or reactivated until one is deactivated
            {canLicense ? ' or a license with more accounts is uploaded' : ''}.{' '}
            <Link to="/accounts?status=active" className="inline-link">
              Review active accounts
            </Link>
          </>
        ) : (
          `${plural(left, 'more account')} can be created. Deactivated accounts don’t count.`
        )}
      </Text>
      <SimpleGrid cols={2} spacing="lg" verticalSpacing="md" mt="xl" pt="lg" className="card-divider-top">
        <Count icon={<IconBuildingSkyscraper size={18} />} label="Active accounts" value={u.accounts_used} />
        <Count icon={<IconPlayerPause size={18} />} label="Deactivated" value={u.accounts_deactivated} />
        <Count icon={<IconUsers size={18} />} label="People" value={u.people.toLocaleString()} />
        <Count icon={<IconKey size={18} />} label="API keys" value={u.api_keys.toLocaleString()} />
        <Count icon={<IconListDetails size={18} />} label="Jobs stored" value={u.jobs.toLocaleString()} />
        {u.db_bytes !== undefined && (
          <Count icon={<IconDatabase size={18} />} label="Database size" value={formatBytes(u.db_bytes)} />
        )}
      </SimpleGrid>
    </Card>
  )
}

function LicenseFacts({ li }: { li: LicenseInfo }) {
  const rows: Array<[string, ReactNode]> = []
  if (li.tenant) rows.push(['Issued to', li.tenant])
  rows.push(['Plan', planLabel(li.plan)])
  if (li.max_accounts) rows.push(['Accounts', li.max_accounts.toLocaleString()])
  if (li.issued) rows.push(['Issued', formatDate(li.issued)])
  if (li.expires) {
    rows.push([
      li.state === 'expired' ? 'Expired' : 'Expires',
      <>
        {formatDate(li.expires)}{' '}
        <Text span c="dimmed" size="sm">
          ({relativeTime(li.expires + 'T23:59:59Z')})
        </Text>
      </>,
    ])
  }
  return (
    <SimpleGrid component="dl" cols={{ base: 2, sm: 3 }} spacing="lg" verticalSpacing="sm" className="detail-list" m={0}>
      {rows.map(([k, v]) => (
        <div className="detail-item" key={k}>
          <dt>{k}</dt>
          <dd>
            <Text span size="sm" fw={500}>
              {v}
            </Text>
          </dd>
        </div>
      ))}
    </SimpleGrid>
  )
}

function UploadForm() {
  const qc = useQueryClient()
  const [text, setText] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [problem, setProblem] = useState<string | null>(null)
  const [saving, setSaving] = useState(false)
  const [installed, setInstalled] = useState<LicenseInfo | null>(null)
  // A refused license: focus the field once it is editable again.
  const [focusTick, setFocusTick] = useState(0)
  useEffect(() => {
    if (focusTick > 0) document.getElementById('license-text')?.focus()
  }, [focusTick])

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    if (saving) return
    setProblem(null)
    setInstalled(null)
    if (text.trim() === '') {
      setError('Paste the license file, from “Bureau license” to the signature line.')
      setFocusTick((n) => n + 1)
      return
    }
    setSaving(true)
    try {
      const li = await putLicense(text)
      setInstalled(li)
      setText('')
      qc.setQueryData(queryKeys.license, li)
      void qc.invalidateQueries({ queryKey: queryKeys.usage })
      void qc.invalidateQueries({ queryKey: queryKeys.me })
      notifications.show({
        color: 'teal',
        title: 'License installed',
        message: `You are on the ${planLabel(li.plan)} plan with ${plural(li.accounts_limit, 'active account')}.`,
      })
    } catch (err) {
      if (isApiError(err) && err.fieldErrors.license) {
        setError(err.fieldErrors.license)
        setFocusTick((n) => n + 1)
      } else {
        setProblem(errorMessage(err))
      }
    } finally {
      setSaving(false)
    }
  }

  const load = (file: File | null) => {
    if (!file) return
    if (file.size > 64 * 1024) {
      setError('This file is too large to be a Bureau license.')
      return
    }
    void file.text().then((t) => {
      setText(t)
      setError(null)
    })
  }

  return (
    <form onSubmit={submit} noValidate aria-label="Upload a license">
      <Stack gap="sm">
        {installed && (
          <Alert variant="light" color="teal" icon={<IconCircleCheck size={18} aria-hidden />} title="License installed" role="status">
            Your firm is on the {planLabel(installed.plan)} plan: up to {plural(installed.accounts_limit, 'active client account')}
            {installed.expires ? `, until ${formatDate(installed.expires)}` : ''}.
          </Alert>
        )}
        {problem && (
          <FormProblem>
            {problem}
          </FormProblem>
        )}
        <Textarea
          id="license-text"
          label="License file"
          description="Paste the whole file, from “Bureau license” to the signature line, or load it from disk."
          placeholder={'Bureau license\ntenant: …\nplan: …\nmax_accounts: …\nexpires: …\nsignature: …'}
          value={text}
          onChange={(e) => {
            setText(e.currentTarget.value)
            setError(null)
          }}
          error={error}
          autosize
          minRows={6}
          maxRows={14}
          spellCheck={false}
          autoComplete="off"
          disabled={saving}
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 'var(--mantine-font-size-sm)' } }}
        />
        <Group justify="space-between" mt="xs">
          <FileButton onChange={load} accept=".txt,.lic,.license,text/plain">
            {(props) => (
              <Button {...props} variant="default" leftSection={<IconFileUpload size={16} aria-hidden />} disabled={saving}>
                Load from file…
              </Button>
            )}
          </FileButton>
          <Button type="submit" loading={saving} leftSection={<IconUpload size={16} aria-hidden />}>
            Upload license
          </Button>
        </Group>
      </Stack>
    </form>
  )
}

function LicenseCard({ u }: { u: Usage }) {
  const canLicense = useCan('tenant:license')
  const license = useLicense(canLicense)
  const li = license.data
  const state = li?.state ?? u.license_state
  const message = li ? li.message : u.message
  const view = STATE_VIEW[state] ?? STATE_VIEW.none
  return (
    <Card aria-labelledby="license-heading" padding="xl" h="100%">
      <Group justify="space-between" align="flex-start" mb="md">
        <Stack gap={2}>
          <Group gap="sm">
            <Title order={2} fz="lg" id="license-heading">
              License
            </Title>
            <Badge color={view.color} variant="light" data-testid="license-state">
              {view.label}
            </Badge>
          </Group>
          <Text size="sm" c="dimmed">
            A signed license file sets your plan and its number of accounts. It is verified offline, on this server.
          </Text>
        </Stack>
      </Group>
      <Stack gap="lg">
        {message && (
          <Alert
            variant="light"
            color={state === 'expired' || state === 'invalid' ? 'red' : 'gray'}
            icon={<IconAlertCircle size={18} aria-hidden />}
          >
            {message}
          </Alert>
        )}
        {state === 'none' && !message && (
          <Text size="sm">
            No license is installed: your firm uses the {planLabel(u.plan)} plan’s {plural(u.accounts_limit, 'account')}.
            {canLicense ? ' Upload a license to get more.' : ''}
          </Text>
        )}
        {canLicense && license.isPending && <Skeleton height={40} radius="md" />}
        {li && state !== 'none' && <LicenseFacts li={li} />}
        {canLicense ? (
          <UploadForm />
        ) : (
          <Text size="sm" c="dimmed">
            Only a Tenant Admin can upload a license.
          </Text>
        )}
      </Stack>
    </Card>
  )
}

/** /settings/license — the plan, its usage, and the license. */
export function LicensePage() {
  const me = useCurrentMe()
  const canUsage = useCan('tenant:usage')
  const usage = useUsage(canUsage)
  useDocumentTitle(`Plan & license · ${me.tenant.branding?.display_name?.trim() || me.tenant.name}`)
  if (!canUsage) return <NotFoundPage />

  return (
    <Stack gap="lg">
      <Stack gap={4}>
        <Title order={1} fz={28}>
          Plan &amp; license
        </Title>
        <Text c="dimmed">
          What {me.tenant.name}’s plan allows and what it uses. Only active client accounts count against the plan.
        </Text>
      </Stack>
      {usage.isError ? (
        <ErrorState error={usage.error} onRetry={() => void usage.refetch()} retrying={usage.isFetching} />
      ) : !usage.data ? (
        <Stack gap="lg" aria-busy="true">
          <Skeleton height={230} radius="lg" />
          <Skeleton height={260} radius="lg" />
        </Stack>
      ) : (
        <Grid gap="lg" align="stretch">
          <Grid.Col span={{ base: 12, lg: 5 }}>
            <PlanCard u={usage.data} />
          </Grid.Col>
          <Grid.Col span={{ base: 12, lg: 7 }}>
            <LicenseCard u={usage.data} />
          </Grid.Col>
        </Grid>
      )}
    </Stack>
  )
}

import { Anchor, Badge, Card, Code, Group, Paper, Progress, Stack, Text, ThemeIcon, Title } from '@mantine/core'
import { IconArrowRight, IconBuildingSkyscraper, IconLock } from '@tabler/icons-react'
import { useDocumentTitle } from '@mantine/hooks'
import { Link, Navigate } from 'react-router'
import { useAccounts, useUsage } from '../api/queries'
import { AccountsTable } from '../components/AccountsTable'
import { ClientHealth } from '../components/ClientHealth'
import { BrandMark } from '../components/BrandMark'
import { useCan, useCurrentMe } from '../components/meContext'
import { UsageBar } from '../components/PlanUsage'
import { firstName, greeting, planLabel } from '../lib/format'
import { roleLabel } from '../lib/roles'
import { usageLevel } from '../lib/plan'

/** How many accounts the home page lists. */
const HOME_ACCOUNTS = 8

function Stat({ value, label }: { value: number | undefined; label: string }) {
  return (
    <Stack gap={2} align="flex-start">
      <Text fz={26} fw={700} lh={1.1}>
        {value ?? '–'}
      </Text>
      <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
        {label}
      </Text>
    </Stack>
  )
}

/** PlanUsageStat: active accounts against the plan's cap, with the way to the plan page. */
function PlanUsageStat() {
  const usage = useUsage()
  const u = usage.data
  const level = u ? usageLevel(u.accounts_used, u.accounts_limit) : 'ok'
  return (
    <Stack gap={6} w={{ base: '100%', sm: 250 }}>
      <Group justify="space-between" align="baseline" gap="xs" wrap="nowrap">
        <Text size="xs" c="dimmed" fw={500}>
          Active client accounts
        </Text>
        <Text fz={22} fw={700} lh={1.1} c={level === 'full' ? 'red.8' : undefined}>
          {u ? u.accounts_used : '–'}
          <Text span c="dimmed" fz="sm" fw={600}>
            {' '}
            / {u ? u.accounts_limit : '–'}
          </Text>
        </Text>
      </Group>
      {u ? <UsageBar used={u.accounts_used} limit={u.accounts_limit} /> : <Progress value={0} size={8} radius="xl" aria-hidden />}
      <Group justify="space-between" gap="xs" wrap="nowrap">
        <Text size="xs" c="dimmed">
          {u ? `${u.accounts_deactivated} deactivated` : ' '}
        </Text>
        <Anchor component={Link} to="/settings/license" size="xs" fw={500}>
          Plan &amp; license
        </Anchor>
      </Group>
    </Stack>
  )
}

function TenantCard() {
  const me = useCurrentMe()
  const showPlan = useCan('tenant:read')
  const canList = useCan('accounts:list')
  const canUsage = useCan('tenant:usage')
  const isStaff = showPlan
  const accounts = useAccounts(canList && isStaff && !canUsage)
  const displayName = me.tenant.branding?.display_name?.trim() || me.tenant.name
  const active = accounts.data?.items.filter((a) => a.status === 'active').length
  const deactivated = accounts.data ? accounts.data.items.length - (active ?? 0) : undefined

  return (
    <Card aria-labelledby="tenant-heading">
      <Group justify="space-between" align="center" gap="lg">
        <Group gap="md" wrap="nowrap" align="center" style={{ minWidth: 0 }}>
          <BrandMark name={displayName} color={me.tenant.branding?.color} logo={me.tenant.branding?.logo} size={52} />
          <Stack gap={4} style={{ minWidth: 0 }}>
            <Group gap="xs">
              <Title order={2} fz="xl" id="tenant-heading">
                {me.tenant.name}
              </Title>
              {showPlan && (
                <Badge variant="light" color="bureau" size="md" aria-label={`Plan: ${planLabel(me.tenant.plan)}`}>
                  {planLabel(me.tenant.plan)} plan
                </Badge>
              )}
            </Group>
            <Text size="sm" c="dimmed">
              Firm slug <Code>{me.tenant.slug}</Code>
            </Text>
          </Stack>
        </Group>
        {isStaff && canUsage && <PlanUsageStat />}
        {isStaff && canList && !canUsage && (
          <Group gap={36} wrap="nowrap">
            <Stat value={active} label="Active accounts" />
            <Stat value={deactivated} label="Deactivated" />
          </Group>
        )}
      </Group>
    </Card>
  )
}

function NoAccess() {
  const me = useCurrentMe()
  return (
    <Paper withBorder p="xl">
      <Group gap="md" wrap="nowrap" align="flex-start">
        <ThemeIcon size={40} radius="xl" variant="light" color="gray" aria-hidden>
          <IconLock size={20} />
        </ThemeIcon>
        <Stack gap={4}>
          <Text fw={600}>Nothing to show yet</Text>
          <Text size="sm" c="dimmed">
            You are signed in to {me.tenant.name}, but you have no access to a client account. Ask the person who
            invited you to add you to one.
          </Text>
        </Stack>
      </Group>
    </Paper>
  )
}

/**
 * HomePage is the firm's home for staff. An account-level person's home is
 * their account (the client portal): / takes them there.
 */
export function HomePage() {
  const own = useCurrentMe().membership.account
  if (own) return <Navigate to={`/${encodeURIComponent(own.slug)}`} replace />
  return <FirmHome />
}

function FirmHome() {
  const me = useCurrentMe()
  const canList = useCan('accounts:list')
  const accounts = useAccounts(canList)
  const isStaff = useCan('tenant:read')
  const canOverview = useCan('overview:read')
  const name = firstName(me.user.name || me.user.email)
  useDocumentTitle(`Home · ${me.tenant.branding?.display_name?.trim() || me.tenant.name}`)

  return (
    <Stack gap="xl">
      <Stack gap={4}>
        <Title order={1} fz={28}>
          {greeting()}, {name}
        </Title>
        <Text c="dimmed">
          Signed in as {roleLabel(me.membership.role)}
          {me.membership.account ? ` of ${me.membership.account.name}` : ` at ${me.tenant.name}`}.
        </Text>
      </Stack>

      <TenantCard />

      {canOverview ? (
        // Staff land here: every client's health, worst first.
        <ClientHealth />
      ) : canList ? (
        <Stack gap="sm" component="section" aria-labelledby="home-accounts-heading">
          <Group justify="space-between" align="flex-end">
            <Group gap="xs">
              <IconBuildingSkyscraper size={20} stroke={1.7} aria-hidden />
              <Title order={2} fz="lg" id="home-accounts-heading">
                {isStaff ? 'Client accounts' : 'Your account'}
              </Title>
            </Group>
            {isStaff && (
              <Anchor component={Link} to="/accounts" size="sm" fw={500}>
                <Group gap={4}>
                  View all{accounts.data && accounts.data.items.length > HOME_ACCOUNTS ? ` ${accounts.data.items.length}` : ''}{' '}
                  <IconArrowRight size={14} aria-hidden />
                </Group>
              </Anchor>
            )}
          </Group>
          <AccountsTable
            label={isStaff ? 'Client accounts' : 'Your account'}
            compact
            // The home page lists the most recently active ones; the accounts page has them all.
            initialSort={{ key: 'last_activity', dir: 'desc' }}
            limit={HOME_ACCOUNTS}
          />
        </Stack>
      ) : (
        <NoAccess />
      )}
    </Stack>
  )
}

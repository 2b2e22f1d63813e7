import { Anchor, Badge, Card, Code, Group, Paper, Stack, Text, ThemeIcon, Title } from '@mantine/core'
import { IconArrowRight, IconBuildingSkyscraper, IconLock } from '@tabler/icons-react'
import { useDocumentTitle } from '@mantine/hooks'
import { Link } from 'react-router'
import { useAccounts } from '../api/queries'
import { AccountsTable } from '../components/AccountsTable'
import { BrandMark } from '../components/BrandMark'
import { useCan, useCurrentMe } from '../components/meContext'
import { firstName, greeting, planLabel, roleLabel } from '../lib/format'

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

function TenantCard() {
  const me = useCurrentMe()
  const showPlan = useCan('tenant:read')
  const canList = useCan('accounts:list')
  const isStaff = showPlan
  const accounts = useAccounts(canList && isStaff)
  const displayName = me.tenant.branding?.display_name?.trim() || me.tenant.name
  const active = accounts.data?.items.filter((a) => a.status === 'active').length
  const deactivated = accounts.data ? accounts.data.items.length - (active ?? 0) : undefined

  return (
    <Card aria-labelledby="tenant-heading">
      <Group justify="space-between" align="flex-start" gap="lg">
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
        {isStaff && canList && (
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

export function HomePage() {
  const me = useCurrentMe()
  const canList = useCan('accounts:list')
  const isStaff = useCan('tenant:read')
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

      {canList ? (
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
                  View all <IconArrowRight size={14} aria-hidden />
                </Group>
              </Anchor>
            )}
          </Group>
          <AccountsTable label={isStaff ? 'Client accounts' : 'Your account'} />
        </Stack>
      ) : (
        <NoAccess />
      )}
    </Stack>
  )
}

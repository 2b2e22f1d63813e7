import { Anchor, Button, Card, Group, Paper, SimpleGrid, Stack, Text, ThemeIcon, Title } from '@mantine/core'
import { useDocumentTitle } from '@mantine/hooks'
import { IconActivity, IconCalendar, IconPencil, IconSettings, IconUser, IconUsers } from '@tabler/icons-react'
import type { ReactNode } from 'react'
import { Link } from 'react-router'
import { useAccounts } from '../../api/queries'
import type { Account } from '../../api/types'
import { useCan, useCurrentMe } from '../../components/meContext'
import { formatDate, formatDateTime, relativeTime } from '../../lib/format'
import { AccountDashboard } from './AccountDashboard'
import { AccountHeader, DeactivatedBanner } from './AccountLayout'
import { useAccountContext } from './accountContext'
import { LifecycleCard } from './lifecycle'

function Stat({ icon, label, value, hint }: { icon: ReactNode; label: string; value: ReactNode; hint?: ReactNode }) {
  return (
    <Paper withBorder p="md" radius="lg">
      <Group gap="sm" wrap="nowrap" align="flex-start">
        <ThemeIcon size={36} radius="md" variant="light" color="bureau" aria-hidden visibleFrom="sm">
          {icon}
        </ThemeIcon>
        <Stack gap={2} style={{ minWidth: 0 }}>
          <Text size="xs" c="dimmed" fw={500}>
            {label}
          </Text>
          <Text fz={{ base: 17, sm: 20 }} fw={700} lh={1.2}>
            {value}
          </Text>
          {hint && (
            <Text size="xs" c="dimmed">
              {hint}
            </Text>
          )}
        </Stack>
      </Group>
    </Paper>
  )
}

function Detail({ label, children, empty }: { label: string; children: ReactNode; empty: boolean }) {
  return (
    <div className="detail-item">
      <dt>{label}</dt>
      <dd>
        {empty ? (
          <Text span size="sm" c="dimmed">
            Not set
          </Text>
        ) : (
          children
        )}
      </dd>
    </div>
  )
}

/** The firm's own notes on the client: staff only (the server sends them only to staff). */
function DetailsCard({ account }: { account: Account }) {
  const canEdit = useCan('account:update')
  if (account.contact_email === undefined && account.external_ref === undefined && account.notes === undefined) return null
  return (
    <Card aria-labelledby="details-heading">
      <Group justify="space-between" mb="md">
        <Stack gap={0}>
          <Title order={2} fz="lg" id="details-heading">
            Details
          </Title>
          <Text size="xs" c="dimmed">
            Seen only by your firm, never by the client’s people.
          </Text>
        </Stack>
        {canEdit && (
          <Button
            component={Link}
            to={`/${account.slug}/settings`}
            variant="subtle"
            size="xs"
            leftSection={<IconPencil size={14} aria-hidden />}
          >
            Edit details
          </Button>
        )}
      </Group>
      <SimpleGrid component="dl" cols={{ base: 1, sm: 2 }} spacing="lg" verticalSpacing="md" className="detail-list" m={0}>
        <Detail label="Contact email" empty={!account.contact_email}>
          <Anchor href={`mailto:${account.contact_email}`} size="sm">
            {account.contact_email}
          </Anchor>
        </Detail>
        <Detail label="External reference" empty={!account.external_ref}>
          <Text span size="sm" ff="monospace">
            {account.external_ref}
          </Text>
        </Detail>
        <div className="detail-item detail-wide">
          <dt>Notes</dt>
          <dd>
            {account.notes ? (
              <Text size="sm" className="notes-text">
                {account.notes}
              </Text>
            ) : (
              <Text span size="sm" c="dimmed">
                No notes yet.
              </Text>
            )}
          </dd>
        </div>
      </SimpleGrid>
    </Card>
  )
}

/** /:accountSlug — the account's overview. */
export function AccountOverviewPage() {
  const { account } = useAccountContext()
  const me = useCurrentMe()
  const canReadSettings = useCan('settings:read')
  const canUpdate = useCan('account:update')
  const canList = useCan('accounts:list')
  const canDashboard = useCan('dashboard:read')
  const canSettings = canReadSettings || canUpdate
  const accounts = useAccounts(canList)
  useDocumentTitle(`${account.name} · ${me.tenant.branding?.display_name?.trim() || me.tenant.name}`)
  // GET /accounts/{slug} has no counts; the list has them.
  const row = accounts.data?.items.find((a) => a.slug === account.slug)
  const count = (n: number | undefined) => (n === undefined ? '–' : n.toLocaleString())

  return (
    <Stack gap="lg">
      <AccountHeader
        account={account}
        actions={
          canSettings && (
            <Button
              component={Link}
              to={`/${account.slug}/settings`}
              variant="default"
              leftSection={<IconSettings size={16} aria-hidden />}
            >
              Settings
            </Button>
          )
        }
      />
      <DeactivatedBanner account={account} />
      {canDashboard && <AccountDashboard account={account} />}
      {canDashboard && (
        <Title order={2} fz="lg" mt="xs">
          People and activity
        </Title>
      )}
      <SimpleGrid cols={{ base: 2, md: 4 }} spacing={{ base: 'sm', sm: 'md' }}>
        <Stat icon={<IconUsers size={18} />} label="People" value={count(row?.people)} hint="Members of this account" />
        <Stat icon={<IconUser size={18} />} label="Clients" value={count(row?.clients)} hint="People with the Client role" />
        <Stat
          icon={<IconActivity size={18} />}
          label="Last activity"
          value={
            row?.last_activity ? (
              <time dateTime={row.last_activity} title={formatDateTime(row.last_activity)}>
                {relativeTime(row.last_activity)}
              </time>
            ) : (
              '—'
            )
          }
          hint={row && !row.last_activity ? 'Nothing yet' : undefined}
        />
        <Stat
          icon={<IconCalendar size={18} />}
          label={account.status === 'deactivated' ? 'Deactivated' : 'Created'}
          value={formatDate(account.status === 'deactivated' ? account.deactivated_at : account.created_at)}
          hint={account.status === 'deactivated' ? `Created ${formatDate(account.created_at)}` : relativeTime(account.created_at)}
        />
      </SimpleGrid>
      <DetailsCard account={account} />
      <LifecycleCard account={account} people={row?.people} />
    </Stack>
  )
}

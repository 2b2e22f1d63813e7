import { Alert, Anchor, Avatar, Box, Breadcrumbs, Code, Group, Skeleton, Stack, Text, Title, VisuallyHidden } from '@mantine/core'
import { IconPlayerPause } from '@tabler/icons-react'
import type { ReactNode } from 'react'
import { Link, Outlet, useParams } from 'react-router'
import { isApiError } from '../../api/client'
import { useAccount } from '../../api/queries'
import type { Account } from '../../api/types'
import { ErrorState } from '../../components/ErrorState'
import { useCan, useCurrentMe } from '../../components/meContext'
import { StatusBadge } from '../../components/StatusBadge'
import { formatDate, initials } from '../../lib/format'
import { slugProblem } from '../../lib/slug'
import { NotFoundPage } from '../NotFoundPage'
import type { AccountContext } from './accountContext'
import { ReactivateButton } from './lifecycle'

/**
 * AccountLayout loads the account of /:accountSlug/… and hands it to the page.
 * A slug that is not an account the person may see is the in-shell 404 (the
 * server answers 404 for other accounts too, so nothing leaks).
 */
export function AccountLayout() {
  const { accountSlug = '' } = useParams()
  const valid = slugProblem(accountSlug) === null
  const account = useAccount(accountSlug, valid)

  if (!valid) return <NotFoundPage />
  if (account.isPending) return <AccountSkeleton />
  if (account.isError) {
    if (isApiError(account.error) && account.error.status === 404) return <NotFoundPage />
    return <ErrorState error={account.error} onRetry={() => void account.refetch()} retrying={account.isFetching} />
  }
  const ctx: AccountContext = { account: account.data }
  return (
    <Stack gap="lg">
      <Outlet context={ctx} />
    </Stack>
  )
}

function AccountSkeleton() {
  return (
    <Stack gap="lg" aria-busy="true" aria-label="Loading the account">
      <Skeleton height={12} width={200} radius="sm" />
      <Group gap="md">
        <Skeleton height={56} width={56} radius="md" />
        <Stack gap={8}>
          <Skeleton height={22} width={280} radius="sm" />
          <Skeleton height={12} width={180} radius="sm" />
        </Stack>
      </Group>
      <Skeleton height={120} radius="lg" />
      <Skeleton height={200} radius="lg" />
    </Stack>
  )
}

/**
 * AccountHeader is the top of every account page: where we are, the
 * account's name, status and slug, and the page's actions.
 */
export function AccountHeader({ account, section, actions }: { account: Account; section?: string; actions?: ReactNode }) {
  const me = useCurrentMe()
  const firmWide = me.membership.account === null && me.permissions.includes('accounts:list')
  const crumbs: ReactNode[] = []
  if (firmWide) {
    crumbs.push(
      <Anchor component={Link} to="/accounts" size="sm" key="accounts">
        Client accounts
      </Anchor>,
    )
  }
  if (section) {
    crumbs.push(
      <Anchor component={Link} to={`/${account.slug}`} size="sm" key="account">
        {account.name}
      </Anchor>,
      <Text size="sm" c="dimmed" key="section" aria-current="page">
        {section}
      </Text>,
    )
  } else if (crumbs.length > 0) {
    crumbs.push(
      <Text size="sm" c="dimmed" key="account" aria-current="page" truncate="end" maw={360}>
        {account.name}
      </Text>,
    )
  }
  return (
    <Stack gap="md">
      {crumbs.length > 1 && (
        <Box component="nav" aria-label="Breadcrumb">
          <Breadcrumbs separatorMargin={6} classNames={{ root: 'breadcrumbs' }}>
            {crumbs}
          </Breadcrumbs>
        </Box>
      )}
      <Group justify="space-between" align="flex-start" gap="md" wrap="wrap">
        <Group gap="md" wrap="nowrap" align="center" style={{ minWidth: 0, flex: '1 1 420px' }}>
          <Avatar
            size={56}
            radius="md"
            color={account.status === 'active' ? 'bureau' : 'gray'}
            variant="light"
            aria-hidden
            fz="lg"
            visibleFrom="sm"
          >
            {initials(account.name)}
          </Avatar>
          <Stack gap={4} style={{ minWidth: 0 }}>
            <Group gap="sm" wrap="wrap" align="center" style={{ minWidth: 0, rowGap: 4 }}>
              <Title order={1} fz={{ base: 22, sm: 26 }} lh={1.2} style={{ overflowWrap: 'anywhere' }}>
                {section ? (
                  <>
                    {section}
                    <VisuallyHidden component="span"> of {account.name}</VisuallyHidden>
                  </>
                ) : (
                  account.name
                )}
              </Title>
              <StatusBadge status={account.status} size="md" />
            </Group>
            <Group gap={8} wrap="wrap">
              {section && (
                <Text size="sm" fw={500} c="dark.5" truncate="end" maw={360}>
                  {account.name}
                </Text>
              )}
              <Code>{account.slug}</Code>
              <Text size="sm" c="dimmed">
                Created {formatDate(account.created_at)}
              </Text>
            </Group>
          </Stack>
        </Group>
        {actions && (
          <Group gap="sm" wrap="nowrap">
            {actions}
          </Group>
        )}
      </Group>
    </Stack>
  )
}

/** DeactivatedBanner says plainly that the account is switched off, and how to undo it. */
export function DeactivatedBanner({ account }: { account: Account }) {
  const canLifecycle = useCan('account:lifecycle')
  if (account.status !== 'deactivated') return null
  return (
    <Alert
      variant="light"
      color="orange"
      radius="lg"
      icon={<IconPlayerPause size={20} aria-hidden />}
      title={`This account is deactivated${account.deactivated_at ? ` since ${formatDate(account.deactivated_at)}` : ''}`}
      data-testid="deactivated-banner"
    >
      <Group justify="space-between" align="center" gap="md" wrap="nowrap">
        <Text size="sm" style={{ flex: 1 }}>
          Its people cannot sign in, its API keys and syncs are stopped; its history is kept.
          {canLifecycle ? ' Reactivate it to give its people access again.' : ' Ask your Tenant Admin to reactivate it.'}
        </Text>
        {canLifecycle && <ReactivateButton account={account} size="sm" />}
      </Group>
    </Alert>
  )
}

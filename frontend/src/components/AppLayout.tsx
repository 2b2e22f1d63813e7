import { AppShell, Badge, Box, Burger, Divider, Group, NavLink, Skeleton, Text, UnstyledButton, VisuallyHidden } from '@mantine/core'
import { useDisclosure, useMediaQuery } from '@mantine/hooks'
import { IconBuildingSkyscraper, IconCertificate, IconHome, IconInbox, IconLayoutDashboard, IconSettings, IconUsersGroup } from '@tabler/icons-react'
import { IconKey, IconPalette, IconPlugConnected, IconShieldLock } from '@tabler/icons-react'
import { IconUsers as IconAccountMembers, IconUsersGroup as IconAccountGroups } from '@tabler/icons-react'
import { IconCalendarTime, IconChecklist, IconDeviceDesktop, IconHistory, IconListDetails, IconRobot } from '@tabler/icons-react'
import { useEffect } from 'react'
import { Link, Outlet, useLocation } from 'react-router'
import { usePendingRequestCount } from '../api/estate'
import { useAccount } from '../api/queries'
import { slugProblem } from '../lib/slug'
import { AccountSwitcher, currentAccountSlug } from './AccountSwitcher'
import { BrandMark } from './BrandMark'
import { useCurrentMe } from './meContext'
import { NoMembershipScreen } from './NoMembershipScreen'
import { UserMenu } from './UserMenu'

interface NavItem {
  to: string
  label: string
  icon: typeof IconHome
  /** the permission that shows the link; none: everyone */
  permission?: string
  /** also active on these path prefixes */
  prefix?: string
  /** only for people who see every account (no membership in one) */
  firmWide?: boolean
  exact?: boolean
  /** a count beside the label (run requests waiting for a decision) */
  badge?: { count: number; label: string }
}

const NAV: NavItem[] = [
  // An account-level person's home is their account: its Overview stands in for Home.
  { to: '/', label: 'Home', icon: IconHome, exact: true, firmWide: true },
  { to: '/accounts', label: 'Client accounts', icon: IconBuildingSkyscraper, permission: 'accounts:list', firmWide: true },
  { to: '/settings/staff', label: 'Staff', icon: IconUsersGroup, permission: 'staff:manage', firmWide: true },
  { to: '/settings/firm', label: 'Firm settings', icon: IconPalette, permission: 'tenant:update', firmWide: true },
  { to: '/settings/sso', label: 'Single sign-on', icon: IconShieldLock, permission: 'tenant:sso', firmWide: true },
  { to: '/settings/outbox', label: 'Outbox', icon: IconInbox, permission: 'tenant:outbox', firmWide: true },
  { to: '/settings/license', label: 'Plan & license', icon: IconCertificate, permission: 'tenant:usage' },
]

function isActive(pathname: string, item: { to: string; exact?: boolean; prefix?: string }): boolean {
  if (item.exact) return pathname === item.to
  const p = item.prefix ?? item.to
  return pathname === item.to || pathname === p || pathname.startsWith(p + '/')
}

function NavItemLink({ item, pathname }: { item: NavItem; pathname: string }) {
  const active = isActive(pathname, item)
  return (
    <NavLink
      component={Link}
      to={item.to}
      label={item.label}
      leftSection={<item.icon size={18} stroke={1.7} aria-hidden />}
      active={active}
      aria-current={active ? 'page' : undefined}
      rightSection={
        item.badge && item.badge.count > 0 ? (
          <>
            <Badge size="sm" color="yellow" variant="filled" circle={item.badge.count < 10} aria-hidden>
              {item.badge.count}
            </Badge>
            <VisuallyHidden>{`${item.badge.count} ${item.badge.label}`}</VisuallyHidden>
          </>
        ) : undefined
      }
      variant="light"
      mb={4}
      style={{ borderRadius: 'var(--mantine-radius-md)' }}
      fw={500}
    />
  )
}

/**
 * AccountNav is the sub-navigation of the account being viewed (staff), or
 * of the person's own account (account-level people).
 */
function AccountNav({ slug, pathname }: { slug: string; pathname: string }) {
  const me = useCurrentMe()
  const account = useAccount(slug)
  const can = (p: string) => me.permissions.includes(p)
  const pending = usePendingRequestCount(slug, can('data:read') && can('runs:approve') && !account.isError)
  if (account.isError) return null
  const name = account.data?.name ?? (me.membership.account?.slug === slug ? me.membership.account.name : undefined)
  const items: NavItem[] = [{ to: `/${slug}`, label: 'Overview', icon: IconLayoutDashboard, exact: true }]
  if (can('data:read')) {
    const waiting = pending.data?.count ?? 0
    items.push(
      { to: `/${slug}/processes`, label: 'Processes', icon: IconRobot },
      { to: `/${slug}/jobs`, label: 'Jobs', icon: IconListDetails },
      { to: `/${slug}/robots`, label: 'Robots', icon: IconDeviceDesktop },
      { to: `/${slug}/schedules`, label: 'Schedules', icon: IconCalendarTime },
      { to: `/${slug}/run-requests`, label: 'Run requests', icon: IconChecklist, badge: { count: waiting, label: 'waiting for approval' } },
      { to: `/${slug}/sync-runs`, label: 'Sync history', icon: IconHistory },
    )
  }
  if (can('members:manage')) {
    items.push(
      { to: `/${slug}/members`, label: 'Members', icon: IconAccountMembers },
      { to: `/${slug}/groups`, label: 'Groups', icon: IconAccountGroups },
    )
  }
  if (can('connection:read')) {
    items.push({ to: `/${slug}/connection`, label: 'Connection', icon: IconPlugConnected })
  }
  if (can('apikeys:manage')) {
    items.push({ to: `/${slug}/api-keys`, label: 'API keys', icon: IconKey })
  }
  if (can('settings:read') || can('account:update')) {
    items.push({ to: `/${slug}/settings`, label: 'Settings', icon: IconSettings })
  }
  return (
    <Box role="group" aria-labelledby="account-nav-heading" mt="lg">
      <Box px="sm" mb={8}>
        <Text size="xs" c="dimmed" fw={600} tt="uppercase" style={{ letterSpacing: '0.04em' }}>
          {me.membership.account ? 'Your account' : 'Client account'}
        </Text>
        {name ? (
          <Text size="sm" fw={600} id="account-nav-heading" lineClamp={2} mt={2} style={{ overflowWrap: 'anywhere' }}>
            {name}
          </Text>
        ) : (
          <Skeleton height={12} width="70%" mt={6} radius="sm" id="account-nav-heading" aria-label="Loading account" />
        )}
      </Box>
      {items.map((item) => (
        <NavItemLink key={item.to} item={item} pathname={pathname} />
      ))}
    </Box>
  )
}

/** AppLayout is the signed-in shell: header with the firm and the user menu, navigation, page. */
export function AppLayout() {
  const me = useCurrentMe()
  const [opened, { toggle, close }] = useDisclosure(false)
  // One switcher: in the header on wide screens, atop the navigation on phones.
  const wide = useMediaQuery('(min-width: 48em)', true, { getInitialValueInEffect: false })
  const location = useLocation()
  const permissions = new Set(me.permissions)
  const displayName = me.tenant.branding?.display_name?.trim() || me.tenant.name

  // On narrow screens the navbar is an overlay: close it after navigating.
  useEffect(() => {
    close()
  }, [location.pathname, close])

  // A membership that is gone (removed, or the account deactivated): only a plain screen, no shell.
  if (me.membership.role === null) return <NoMembershipScreen />

  const own = me.membership.account
  const items = NAV.filter((i) => (!i.permission || permissions.has(i.permission)) && !(i.firmWide && own))
  const inPath = currentAccountSlug(location.pathname)
  const accountSlug = (inPath && slugProblem(inPath) === null ? inPath : null) ?? own?.slug ?? null

  return (
    <AppShell
      header={{ height: 64 }}
      navbar={{ width: 248, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding={{ base: 'md', sm: 'xl' }}
    >
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap" style={{ minWidth: 0 }}>
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label={opened ? 'Close navigation' : 'Open navigation'}
              aria-expanded={opened}
              aria-controls="app-navbar"
            />
            <UnstyledButton
              component={Link}
              to="/"
              aria-label={`${displayName}: home`}
              className="brand-link"
              style={{ minWidth: 0 }}
            >
              <Group gap={10} wrap="nowrap">
                <BrandMark
                  name={displayName}
                  color={me.tenant.branding?.color}
                  logo={me.tenant.branding?.logo}
                  size={32}
                />
                <Text fw={700} size="lg" truncate="end" c="dark.8">
                  {displayName}
                </Text>
              </Group>
            </UnstyledButton>
            {wide && (
              <>
                <Divider orientation="vertical" mx={6} my={18} />
                <Box style={{ minWidth: 0 }}>
                  <AccountSwitcher />
                </Box>
              </>
            )}
          </Group>
          <UserMenu />
        </Group>
      </AppShell.Header>

      <AppShell.Navbar p="sm" id="app-navbar">
        {!wide && (
          <Box mb="sm">
            <AccountSwitcher fullWidth />
          </Box>
        )}
        {/* The account section has many pages: the list scrolls on short screens. */}
        <AppShell.Section grow component="nav" aria-label="Main navigation" style={{ overflowY: 'auto', minHeight: 0 }}>
          {items.map((item) => (
            <NavItemLink key={item.to} item={item} pathname={location.pathname} />
          ))}
          {accountSlug && <AccountNav slug={accountSlug} pathname={location.pathname} />}
        </AppShell.Section>
        <AppShell.Section>
          <Box px="sm" py="xs">
            <Text size="xs" c="dimmed">
              Powered by Bureau
            </Text>
          </Box>
        </AppShell.Section>
      </AppShell.Navbar>

      <AppShell.Main id="main" tabIndex={-1} style={{ outline: 'none' }}>
        <Box maw={1120} mx="auto">
          <Outlet />
        </Box>
      </AppShell.Main>
    </AppShell>
  )
}

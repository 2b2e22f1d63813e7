import { AppShell, Box, Burger, Group, NavLink, Text, UnstyledButton } from '@mantine/core'
import { useDisclosure } from '@mantine/hooks'
import { IconBuildingSkyscraper, IconHome } from '@tabler/icons-react'
import { useEffect } from 'react'
import { Link, Outlet, useLocation } from 'react-router'
import { BrandMark } from './BrandMark'
import { useCan, useCurrentMe } from './meContext'
import { UserMenu } from './UserMenu'

interface NavItem {
  to: string
  label: string
  icon: typeof IconHome
  /** the permission that shows the link; none: everyone */
  permission?: string
  exact?: boolean
}

const NAV: NavItem[] = [
  { to: '/', label: 'Home', icon: IconHome, exact: true },
  { to: '/accounts', label: 'Client accounts', icon: IconBuildingSkyscraper, permission: 'accounts:list' },
]

/** AppLayout is the signed-in shell: header with the firm and the user menu, navigation, page. */
export function AppLayout() {
  const me = useCurrentMe()
  const [opened, { toggle, close }] = useDisclosure(false)
  const location = useLocation()
  const permissions = new Set(me.permissions)
  const displayName = me.tenant.branding?.display_name?.trim() || me.tenant.name
  const canList = useCan('accounts:list')

  // On narrow screens the navbar is an overlay: close it after navigating.
  useEffect(() => {
    close()
  }, [location.pathname, close])

  const items = NAV.filter((i) => !i.permission || permissions.has(i.permission))

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
          </Group>
          <UserMenu />
        </Group>
      </AppShell.Header>

      <AppShell.Navbar p="sm" id="app-navbar">
        <AppShell.Section grow component="nav" aria-label="Main navigation">
          {items.map((item) => {
            const active = item.exact
              ? location.pathname === item.to
              : location.pathname === item.to || location.pathname.startsWith(item.to + '/')
            return (
              <NavLink
                key={item.to}
                component={Link}
                to={item.to}
                label={item.label}
                leftSection={<item.icon size={18} stroke={1.7} aria-hidden />}
                active={active}
                aria-current={active ? 'page' : undefined}
                variant="light"
                mb={4}
                style={{ borderRadius: 'var(--mantine-radius-md)' }}
                fw={500}
              />
            )
          })}
          {!canList && me.membership.account && (
            <Text size="xs" c="dimmed" px="sm" mt="md">
              {me.membership.account.name}
            </Text>
          )}
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

import { Avatar, Badge, Box, Group, Menu, Text, UnstyledButton } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { IconArrowsExchange, IconChevronDown, IconLogout, IconUserCircle } from '@tabler/icons-react'
import { Link, useNavigate } from 'react-router'
import { useSwitchTenant } from '../api/self'
import { initials } from '../lib/format'
import { roleLabel } from '../lib/roles'
import { errorMessage } from './ErrorState'
import { useCurrentMe } from './meContext'
import { useSignOut } from './useSignOut'

/**
 * UserMenu is the avatar button in the header: who is signed in, in which
 * role, their profile, the other firms they belong to, and Sign out. Mantine's Menu gives it keyboard support (Enter/Space
 * or arrow keys open it, arrows move, Escape closes and returns focus).
 */
export function UserMenu() {
  const me = useCurrentMe()
  const { signOut, pending } = useSignOut()
  const name = me.user.name || me.user.email
  const role = roleLabel(me.membership.role)
  const navigate = useNavigate()
  const switchTenant = useSwitchTenant()
  const otherTenants = (me.tenants ?? []).filter((t) => t.slug !== me.tenant.slug)
  const switchTo = async (slug: string, name: string) => {
    try {
      await switchTenant.mutateAsync(slug)
      navigate('/', { replace: true })
      notifications.show({ color: 'teal', title: `Switched to ${name}`, message: 'You are now working in this firm.' })
    } catch (e) {
      notifications.show({ color: 'red', title: `Could not switch to ${name}`, message: errorMessage(e) })
    }
  }

  return (
    <Menu position="bottom-end" width={264} shadow="md" withinPortal trapFocus>
      <Menu.Target>
        <UnstyledButton className="user-menu-target" aria-label={`Account menu: ${name}`}>
          <Group gap={10} wrap="nowrap">
            <Avatar radius="xl" size={34} color="bureau" variant="filled" aria-hidden>
              {initials(name)}
            </Avatar>
            <Box visibleFrom="sm" style={{ lineHeight: 1.2 }} maw={180}>
              <Text size="sm" fw={600} truncate="end">
                {name}
              </Text>
              <Text size="xs" c="dimmed" truncate="end">
                {role}
              </Text>
            </Box>
            <IconChevronDown size={16} stroke={1.8} aria-hidden />
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Box px="sm" pt="xs" pb="sm">
          <Group gap="sm" wrap="nowrap">
            <Avatar radius="xl" size={40} color="bureau" aria-hidden>
              {initials(name)}
            </Avatar>
            <Box style={{ minWidth: 0 }}>
              <Text size="sm" fw={600} truncate="end">
                {name}
              </Text>
              <Text size="xs" c="dimmed" truncate="end">
                {me.user.email}
              </Text>
            </Box>
          </Group>
          <Group gap={6} mt="sm">
            <Badge variant="light" color="bureau" size="sm">
              {role}
            </Badge>
            {me.membership.account && (
              <Badge variant="outline" color="gray" size="sm" tt="none">
                {me.membership.account.name}
              </Badge>
            )}
          </Group>
        </Box>
        <Menu.Divider />
        <Menu.Item component={Link} to="/profile" leftSection={<IconUserCircle size={16} aria-hidden />}>
          Profile
        </Menu.Item>
        {otherTenants.length > 0 && (
          <>
            <Menu.Divider />
            <Menu.Label>Switch firm</Menu.Label>
            {otherTenants.map((t) => (
              <Menu.Item
                key={t.slug}
                leftSection={<IconArrowsExchange size={16} aria-hidden />}
                onClick={() => void switchTo(t.slug, t.name)}
                disabled={switchTenant.isPending}
                aria-label={`Switch to ${t.name}`}
              >
                {t.name}
              </Menu.Item>
            ))}
          </>
        )}
        <Menu.Divider />
        <Menu.Item
          leftSection={<IconLogout size={16} aria-hidden />}
          onClick={() => void signOut()}
          disabled={pending}
          closeMenuOnClick={false}
        >
          {pending ? 'Signing out…' : 'Sign out'}
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  )
}

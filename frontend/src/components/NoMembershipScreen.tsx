import { Button, Card, Divider, Stack, Text, ThemeIcon } from '@mantine/core'
import { useDocumentTitle } from '@mantine/hooks'
import { notifications } from '@mantine/notifications'
import { IconArrowsExchange, IconLock, IconLogout } from '@tabler/icons-react'
import { useNavigate } from 'react-router'
import { useSwitchTenant } from '../api/self'
import { AuthLayout } from './AuthLayout'
import { errorMessage } from './ErrorState'
import { useCurrentMe } from './meContext'
import { useSignOut } from './useSignOut'

/**
 * NoMembershipScreen is all a signed-in person sees once their membership is
 * gone (removed, or their account deactivated): no navigation, no picker,
 * just what happened, whom to ask, and the way out.
 */
export function NoMembershipScreen() {
  const me = useCurrentMe()
  const { signOut, pending } = useSignOut()
  const switchTenant = useSwitchTenant()
  const navigate = useNavigate()
  const firm = me.tenant.branding?.display_name?.trim() || me.tenant.name
  const others = (me.tenants ?? []).filter((t) => t.slug !== me.tenant.slug)
  useDocumentTitle(`No access · ${firm}`)

  const go = async (slug: string) => {
    try {
      await switchTenant.mutateAsync(slug)
      navigate('/', { replace: true })
    } catch (e) {
      notifications.show({ color: 'red', title: 'Could not switch', message: errorMessage(e) })
    }
  }

  return (
    <AuthLayout
      title={`You no longer have access to ${firm}`}
      brand={{ name: firm, color: me.tenant.branding?.color, logo: me.tenant.branding?.logo }}
    >
      <Card shadow="sm" padding="xl" data-testid="no-membership">
        <Stack gap="md" align="center" ta="center">
          <ThemeIcon size={52} radius="xl" variant="light" color="gray" aria-hidden>
            <IconLock size={26} stroke={1.6} />
          </ThemeIcon>
          <Text>
            You no longer have access to {firm}. Ask your contact at {firm} if this is a mistake.
          </Text>
          <Text size="sm" c="dimmed">
            Signed in as {me.user.email}
          </Text>
          <Button onClick={() => void signOut()} loading={pending} leftSection={<IconLogout size={16} aria-hidden />} mt="xs">
            Sign out
          </Button>
          {others.length > 0 && (
            <>
              <Divider w="100%" label="or go to" labelPosition="center" />
              <Stack gap="xs" w="100%">
                {others.map((t) => (
                  <Button
                    key={t.slug}
                    variant="default"
                    leftSection={<IconArrowsExchange size={16} aria-hidden />}
                    onClick={() => void go(t.slug)}
                    loading={switchTenant.isPending && switchTenant.variables === t.slug}
                    disabled={switchTenant.isPending}
                  >
                    {t.name}
                  </Button>
                ))}
              </Stack>
            </>
          )}
        </Stack>
      </Card>
    </AuthLayout>
  )
}

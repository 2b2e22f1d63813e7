import { Container, Group, Stack, Text, Title } from '@mantine/core'
import type { ReactNode } from 'react'
import { BureauMark } from './BrandMark'

/** AuthLayout centres the sign-in and setup cards on a quiet backdrop. */
export function AuthLayout({
  title,
  subtitle,
  size = 440,
  children,
}: {
  title: ReactNode
  subtitle?: ReactNode
  size?: number
  children: ReactNode
}) {
  return (
    <div className="auth-backdrop auth-center">
      <Container size={size} px="md" py={32} component="main" w="100%">
        <Stack gap="lg">
          <Stack gap={10} align="center" ta="center">
            <Group gap={10} justify="center">
              <BureauMark size={36} />
              <Text fw={700} fz={22} lh={1} c="dark.8" style={{ letterSpacing: '-0.01em' }}>
                Bureau
              </Text>
            </Group>
            <Title order={1} fz={24} mt={6}>
              {title}
            </Title>
            {subtitle && (
              <Text c="dimmed" size="sm" maw={Math.min(size - 40, 560)}>
                {subtitle}
              </Text>
            )}
          </Stack>
          {children}
          <Text c="dimmed" size="xs" ta="center">
            Bureau · the control plane for automation consultancies
          </Text>
        </Stack>
      </Container>
    </div>
  )
}

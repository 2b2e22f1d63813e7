import { Container, Group, Stack, Text, Title } from '@mantine/core'
import type { ReactNode } from 'react'
import { BrandMark, BureauMark } from './BrandMark'

/** A firm's own look for a public page (an invitation): its name, colour and logo. */
export interface AuthBrand {
  name: string
  color?: string
  logo?: string
}

/**
 * AuthLayout centres the sign-in and setup cards on a quiet backdrop. With a
 * brand, the firm's mark and name replace Bureau's (white-label pages).
 */
export function AuthLayout({
  title,
  subtitle,
  size = 440,
  brand,
  children,
}: {
  title: ReactNode
  subtitle?: ReactNode
  size?: number
  brand?: AuthBrand
  children: ReactNode
}) {
  return (
    <div className="auth-backdrop auth-center">
      <Container size={size} px="md" py={32} component="main" w="100%">
        <Stack gap="lg">
          <Stack gap={10} align="center" ta="center">
            <Group gap={10} justify="center" wrap="nowrap" maw="100%">
              {brand ? <BrandMark name={brand.name} color={brand.color} logo={brand.logo} size={36} /> : <BureauMark size={36} />}
              <Text fw={700} fz={22} lh={1.15} c="dark.8" style={{ letterSpacing: '-0.01em', overflowWrap: 'anywhere' }}>
                {brand ? brand.name : 'Bureau'}
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
            {brand ? 'Powered by Bureau' : 'Bureau · the control plane for automation consultancies'}
          </Text>
        </Stack>
      </Container>
    </div>
  )
}

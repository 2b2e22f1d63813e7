import { Center, Loader, Stack, Text } from '@mantine/core'

export function FullPageLoader({ label = 'Loading Bureau…' }: { label?: string }) {
  return (
    <Center mih="100vh" role="status" aria-live="polite">
      <Stack align="center" gap="sm">
        <Loader size="md" type="dots" aria-hidden />
        <Text size="sm" c="dimmed">
          {label}
        </Text>
      </Stack>
    </Center>
  )
}

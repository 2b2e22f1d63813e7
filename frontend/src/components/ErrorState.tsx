import { Button, Center, Paper, Stack, Text, ThemeIcon, Title } from '@mantine/core'
import { IconAlertTriangle, IconRefresh } from '@tabler/icons-react'
import { isApiError } from '../api/client'

export function errorMessage(error: unknown): string {
  if (isApiError(error)) return error.detail || error.title || `The request failed (HTTP ${error.status}).`
  if (error instanceof Error && error.message) return error.message
  return 'An unexpected error happened.'
}

/**
 * ErrorState is the generic "something went wrong — retry" panel for a
 * failed query. `fullPage` centres it on an empty screen (boot failures).
 */
export function ErrorState({
  error,
  onRetry,
  retrying = false,
  title = 'Something went wrong',
  fullPage = false,
}: {
  error: unknown
  onRetry?: () => void
  retrying?: boolean
  title?: string
  fullPage?: boolean
}) {
  const body = (
    <Paper withBorder p="xl" role="alert" maw={fullPage ? 460 : undefined} w="100%" shadow={fullPage ? 'sm' : undefined}>
      <Stack align="center" gap="sm" ta="center">
        <ThemeIcon size={48} radius="xl" variant="light" color="red" aria-hidden>
          <IconAlertTriangle size={26} stroke={1.6} />
        </ThemeIcon>
        <Title order={3} fz="lg">
          {title}
        </Title>
        <Text c="dimmed" size="sm" maw={380}>
          {errorMessage(error)}
        </Text>
        {onRetry && (
          <Button
            mt="xs"
            variant="light"
            leftSection={<IconRefresh size={16} aria-hidden />}
            onClick={onRetry}
            loading={retrying}
          >
            Retry
          </Button>
        )}
      </Stack>
    </Paper>
  )
  if (!fullPage) return body
  return (
    <Center mih="100vh" p="md" className="auth-backdrop">
      {body}
    </Center>
  )
}

import { Button, Code, EmptyState, Paper } from '@mantine/core'
import { IconArrowLeft, IconCompassOff } from '@tabler/icons-react'
import { useDocumentTitle } from '@mantine/hooks'
import { Link, useLocation } from 'react-router'

/** NotFoundPage answers unknown deep links inside the shell. */
export function NotFoundPage() {
  const location = useLocation()
  useDocumentTitle('Page not found · Bureau')
  return (
    <Paper withBorder p={48} mt="md">
      <EmptyState size="lg" variant="light">
        <EmptyState.Indicator>
          <IconCompassOff size={30} stroke={1.5} aria-hidden />
        </EmptyState.Indicator>
        <EmptyState.Title order={1}>Page not found</EmptyState.Title>
        <EmptyState.Description>
          There is nothing at <Code>{location.pathname}</Code>, or you do not have access to it.
        </EmptyState.Description>
        <EmptyState.Actions>
          <Button component={Link} to="/" leftSection={<IconArrowLeft size={16} aria-hidden />} variant="light">
            Back to home
          </Button>
        </EmptyState.Actions>
      </EmptyState>
    </Paper>
  )
}

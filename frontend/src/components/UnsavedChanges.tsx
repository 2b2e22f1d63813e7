import { Button, Group, Modal, Stack, Text } from '@mantine/core'
import { useEffect } from 'react'
import { useBlocker, type Blocker } from 'react-router'

/**
 * useUnsavedChangesGuard keeps a person from losing edits: leaving the page
 * inside the app asks first (UnsavedChangesModal), and closing or reloading
 * the tab gets the browser's own question.
 */
export function useUnsavedChangesGuard(dirty: boolean): Blocker {
  const blocker = useBlocker(
    ({ currentLocation, nextLocation }) => dirty && currentLocation.pathname !== nextLocation.pathname,
  )
  useEffect(() => {
    if (!dirty) return
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      e.preventDefault()
      // Older browsers want a value here.
      e.returnValue = ''
    }
    window.addEventListener('beforeunload', onBeforeUnload)
    return () => window.removeEventListener('beforeunload', onBeforeUnload)
  }, [dirty])
  return blocker
}

export function UnsavedChangesModal({ blocker }: { blocker: Blocker }) {
  const opened = blocker.state === 'blocked'
  return (
    <Modal
      opened={opened}
      onClose={() => blocker.reset?.()}
      title="Discard unsaved changes?"
      radius="lg"
      padding="xl"
      styles={{ title: { fontWeight: 650, fontSize: 'var(--mantine-font-size-lg)' } }}
    >
      <Stack gap="lg">
        <Text size="sm">You changed settings on this page without saving them. If you leave now, those changes are lost.</Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={() => blocker.reset?.()} data-autofocus>
            Keep editing
          </Button>
          <Button color="red" onClick={() => blocker.proceed?.()}>
            Discard changes
          </Button>
        </Group>
      </Stack>
    </Modal>
  )
}

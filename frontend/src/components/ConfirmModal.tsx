import { Button, Group, Modal, Stack } from '@mantine/core'
import { useState, type ReactNode } from 'react'
import { errorMessage } from './ErrorState'
import { FormProblem } from './FormProblem'

export const modalStyles = { title: { fontWeight: 650, fontSize: 'var(--mantine-font-size-lg)' } }
/** The dialogs' close button has a name for screen readers. */
export const closeButtonProps = { 'aria-label': 'Close' }

/**
 * ConfirmModal asks before a change that cannot simply be undone. The action
 * runs on confirm; a refusal (with the server's words) stays in the dialog.
 * Cancel has the focus first, so Enter never confirms by accident.
 */
export function ConfirmModal({
  opened,
  onClose,
  title,
  children,
  confirmLabel,
  confirmIcon,
  confirmColor = 'red',
  onConfirm,
}: {
  opened: boolean
  onClose: () => void
  title: string
  children: ReactNode
  confirmLabel: string
  confirmIcon?: ReactNode
  confirmColor?: string
  /** resolves when done (the dialog then closes); throws to stay open with the error */
  onConfirm: () => Promise<unknown>
}) {
  const [pending, setPending] = useState(false)
  const [problem, setProblem] = useState<string | null>(null)
  const close = () => {
    if (pending) return
    setProblem(null)
    onClose()
  }
  const confirm = async () => {
    setPending(true)
    setProblem(null)
    try {
      await onConfirm()
      setPending(false)
      onClose()
    } catch (e) {
      setPending(false)
      setProblem(errorMessage(e))
    }
  }
  return (
    <Modal
      opened={opened}
      onClose={close}
      title={title}
      size="md"
      radius="lg"
      padding="xl"
      closeOnClickOutside={!pending}
      closeOnEscape={!pending}
      styles={modalStyles}
      closeButtonProps={closeButtonProps}
    >
      <Stack gap="md">
        {children}
        {problem && (
          <FormProblem>
            {problem}
          </FormProblem>
        )}
        <Group justify="flex-end" mt="sm">
          <Button variant="default" onClick={close} disabled={pending} data-autofocus>
            Cancel
          </Button>
          <Button color={confirmColor} onClick={() => void confirm()} loading={pending} leftSection={confirmIcon}>
            {confirmLabel}
          </Button>
        </Group>
      </Stack>
    </Modal>
  )
}

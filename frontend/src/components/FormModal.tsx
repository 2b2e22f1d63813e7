import { Modal } from '@mantine/core'
import { useState, type ReactNode } from 'react'
import { closeButtonProps, modalStyles } from './ConfirmModal'

/**
 * FormModal is the dialog around a form that saves: while the form is busy
 * (it reports so through `onBusy`) the dialog cannot be closed by Escape, a
 * click outside or the close button, so a save is never cut off halfway.
 */
export function FormModal({
  opened,
  title,
  size = 'lg',
  onClose,
  children,
}: {
  opened: boolean
  title: ReactNode
  size?: string
  onClose: () => void
  children: (onBusy: (busy: boolean) => void) => ReactNode
}) {
  const [busy, setBusy] = useState(false)
  return (
    <Modal
      opened={opened}
      onClose={() => {
        if (!busy) onClose()
      }}
      title={title}
      size={size}
      radius="lg"
      padding="xl"
      closeOnClickOutside={!busy}
      closeOnEscape={!busy}
      styles={modalStyles}
      closeButtonProps={closeButtonProps}
    >
      {children(setBusy)}
    </Modal>
  )
}

/** useLast keeps the last value shown while a dialog closes, so its content does not vanish mid-animation. */
export function useLast<T>(value: T | null): T | null {
  const [last, setLast] = useState<T | null>(value)
  if (value !== null && value !== last) setLast(value)
  return value ?? last
}

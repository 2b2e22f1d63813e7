import { Alert, type AlertProps } from '@mantine/core'
import { IconAlertCircle } from '@tabler/icons-react'

/**
 * FormProblem says why a form or an action failed, in the one look every
 * dialog and page uses, and announces it to screen readers (role="alert").
 */
export function FormProblem(props: Omit<AlertProps, 'variant' | 'color' | 'icon' | 'role'>) {
  return <Alert variant="light" color="red" icon={<IconAlertCircle size={18} aria-hidden />} role="alert" {...props} />
}

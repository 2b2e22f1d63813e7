import { Alert, Anchor, Box, Button, Code, FileInput, Group, Modal, Progress, ScrollArea, Stack, Table, Text } from '@mantine/core'
import { IconAlertCircle, IconDownload, IconFileSpreadsheet, IconUpload } from '@tabler/icons-react'
import { useEffect, useState, type FormEvent } from 'react'
import { isApiError } from '../api/client'
import { MAX_CSV_ROWS, useImportInvitations, type AccountRole } from '../api/people'
import { csvProblems, csvSummary, csvTemplate, type CsvProblem } from '../lib/people'
import { AccountRoleInput } from './AccountRoleInput'
import { closeButtonProps, modalStyles } from './ConfirmModal'
import { errorMessage } from './ErrorState'
import { notifyInvited } from './InviteModal'
import { useCan } from './meContext'
import { FormProblem } from './FormProblem'

/** The largest file the dialog sends; 1,000 rows are far below it. */
const MAX_BYTES = 2 * 1024 * 1024
const TEMPLATE_NAME = 'bureau-invitations.csv'

/** downloadTemplate saves the example CSV (made here, nothing is fetched). */
export function downloadTemplate() {
  const text = csvTemplate()
  const a = document.createElement('a')
  a.download = TEMPLATE_NAME
  let url: string | null = null
  if (typeof URL.createObjectURL === 'function') {
    url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }))
    a.href = url
  } else {
    a.href = `data:text/csv;charset=utf-8,${encodeURIComponent(text)}`
  }
  document.body.appendChild(a)
  a.click()
  a.remove()
  if (url) {
    const u = url
    setTimeout(() => URL.revokeObjectURL(u), 0)
  }
}

/** CsvImportModal invites many people from a CSV file: validated whole, all or nothing. */
export function CsvImportModal({
  account,
  accountName,
  opened,
  onClose,
}: {
  account: string
  accountName: string
  opened: boolean
  onClose: () => void
}) {
  const [busy, setBusy] = useState(false)
  return (
    <Modal
      opened={opened}
      onClose={() => {
        if (!busy) onClose()
      }}
      title={`Import people into ${accountName}`}
      size="xl"
      radius="lg"
      padding="xl"
      closeOnClickOutside={!busy}
      closeOnEscape={!busy}
      styles={modalStyles}
      closeButtonProps={closeButtonProps}
    >
      {opened && <CsvImportForm account={account} accountName={accountName} onClose={onClose} onBusy={setBusy} />}
    </Modal>
  )
}

const fieldLabel = (f: string) => (f === 'file' ? 'Whole file' : f)

function CsvImportForm({
  account,
  accountName,
  onClose,
  onBusy,
}: {
  account: string
  accountName: string
  onClose: () => void
  onBusy: (b: boolean) => void
}) {
  const canReadOutbox = useCan('tenant:outbox')
  const upload = useImportInvitations(account)
  const [file, setFile] = useState<File | null>(null)
  const [role, setRole] = useState<AccountRole>('account_user')
  const [fileError, setFileError] = useState<string | null>(null)
  const [problem, setProblem] = useState<string | null>(null)
  const [report, setReport] = useState<{ name: string; problems: CsvProblem[] } | null>(null)
  const [reading, setReading] = useState(false)
  const busy = reading || upload.isPending

  useEffect(() => onBusy(busy), [busy, onBusy])

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    if (busy) return
    setProblem(null)
    setReport(null)
    if (!file) {
      setFileError('Choose a CSV file to import.')
      document.getElementById('csv-import-file')?.focus()
      return
    }
    if (file.size === 0) {
      setFileError('This file is empty.')
      return
    }
    if (file.size > MAX_BYTES) {
      setFileError(`This file is too large: at most ${MAX_CSV_ROWS.toLocaleString()} rows (2 MB) at a time.`)
      return
    }
    let text: string
    setReading(true)
    try {
      text = (await file.text()).replace(/^\uFEFF/, '')
    } catch {
      setReading(false)
      setFileError('The file could not be read. Choose it again.')
      return
    }
    setReading(false)
    try {
      const res = await upload.mutateAsync({ csv: text, role })
      notifyInvited(res, canReadOutbox, 'from the CSV file')
      onClose()
    } catch (err) {
      if (isApiError(err) && err.code === 'csv_invalid' && err.errors.length > 0) {
        setReport({ name: file.name, problems: csvProblems(err.errors) })
        return
      }
      setProblem(errorMessage(err))
    }
  }

  return (
    <form onSubmit={submit} noValidate aria-label={`Import people into ${accountName}`}>
      <Stack gap="md">
        <Text size="sm" c="dimmed">
          One row per person, up to {MAX_CSV_ROWS.toLocaleString()} rows. The file needs the columns <Code>email</Code> and{' '}
          <Code>group membership</Code> (group names; several in one cell separated by commas, inside quotes). Other
          columns are ignored. The whole file is checked first: if any row has a problem, nobody is invited.
        </Text>
        <Group gap="xs">
          <Anchor
            component="button"
            type="button"
            size="sm"
            onClick={downloadTemplate}
            style={{ display: 'inline-flex', alignItems: 'center', gap: 6 }}
          >
            <IconDownload size={16} aria-hidden />
            Download template
          </Anchor>
        </Group>
        {problem && (
          <FormProblem title="Nothing was imported">
            {problem}
          </FormProblem>
        )}
        {report && <CsvReport name={report.name} problems={report.problems} />}
        <FileInput
          id="csv-import-file"
          label="CSV file"
          placeholder="Choose a .csv file"
          accept=".csv,text/csv"
          value={file}
          onChange={(f) => {
            setFile(f)
            setFileError(null)
            setReport(null)
            setProblem(null)
          }}
          error={fileError}
          leftSection={<IconFileSpreadsheet size={16} aria-hidden />}
          clearable
          clearButtonProps={{ 'aria-label': 'Remove the chosen file' }}
          required
          disabled={busy}
          data-autofocus
        />
        <AccountRoleInput
          name="csv-role"
          label="Role for everyone in the file"
          value={role}
          onChange={setRole}
          disabled={busy}
        />
        {busy && (
          <Box role="status" aria-live="polite">
            <Text size="sm" mb={6}>
              {reading ? 'Reading the file…' : 'Uploading and checking every row…'}
            </Text>
            <Progress value={100} animated striped aria-label="Importing" size="sm" />
          </Box>
        )}
        <Group justify="flex-end" mt="sm">
          <Button variant="default" onClick={onClose} disabled={busy}>
            Cancel
          </Button>
          <Button type="submit" loading={busy} leftSection={<IconUpload size={16} aria-hidden />}>
            {report ? 'Upload again' : 'Import and invite'}
          </Button>
        </Group>
      </Stack>
    </form>
  )
}

/** CsvReport lists every problem of a refused file by line. */
function CsvReport({ name, problems }: { name: string; problems: CsvProblem[] }) {
  return (
    <Alert
      variant="light"
      color="red"
      icon={<IconAlertCircle size={18} aria-hidden />}
      role="alert"
      title={csvSummary(problems)}
      data-testid="csv-report"
    >
      <Text size="sm" mb="xs">
        Problems in <strong>{name}</strong>:
      </Text>
      <ScrollArea.Autosize mah={260} type="auto" offsetScrollbars>
        <Table
          verticalSpacing={6}
          horizontalSpacing="sm"
          withTableBorder
          bg="var(--mantine-color-body)"
          aria-label="Problems in the file"
          fz="sm"
        >
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={70}>Line</Table.Th>
              <Table.Th w={160}>Column</Table.Th>
              <Table.Th>Problem</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {problems.map((p, i) => (
              <Table.Tr key={i}>
                <Table.Td>{p.line ?? '—'}</Table.Td>
                <Table.Td>{fieldLabel(p.field)}</Table.Td>
                <Table.Td>{p.message}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollArea.Autosize>
    </Alert>
  )
}

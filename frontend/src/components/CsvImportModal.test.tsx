import { screen, waitFor, within } from '@testing-library/react'
import { setupUser, type User } from '../test/user'
import { describe, expect, it, vi } from 'vitest'
import { json } from '../test/fetchMock'
import { accountAdminMe, peopleRoutes, pendingInvitee } from '../test/people'
import { renderApp } from '../test/render'

const CSV = 'email,group membership\r\nada@client.example,Finance\r\nnope,"Finance, Sales"\r\nbob@client.example,\r\nx@client.example,Sales\r\n'

/** The problem+json the server sends for a refused file (errors carry a line). */
const csvInvalid = {
  status: 422,
  headers: { 'Content-Type': 'application/problem+json' },
  body: {
    type: 'about:blank',
    title: 'Unprocessable Entity',
    status: 422,
    code: 'csv_invalid',
    detail: 'The file has problems; nothing was imported.',
    errors: [
      { line: 5, field: 'group membership', code: 'group_not_found', message: 'There is no group named “Sales”.' },
      { line: 3, field: 'email', code: 'email_invalid', message: 'Enter an email address like name@example.com.' },
      { line: 3, field: 'group membership', code: 'group_not_found', message: 'There is no group named “Sales”.' },
    ],
  },
}

async function openImport() {
  const user = setupUser()
  renderApp('/acme-corporation/members')
  await screen.findByText('Road Runner')
  await user.click(screen.getByRole('button', { name: 'Import CSV' }))
  const dialog = await screen.findByRole('dialog', { name: 'Import people into Acme Corporation' })
  return { user, dialog }
}

async function choose(user: User, dialog: HTMLElement, text = CSV, name = 'people.csv') {
  const input = dialog.querySelector('input[type="file"]') as HTMLInputElement
  await user.upload(input, new File([text], name, { type: 'text/csv' }))
  expect(await within(dialog).findByText(name)).toBeInTheDocument()
}

describe('CSV import dialog', () => {
  it('reports every problem by line, and says nothing was imported', async () => {
    const m = peopleRoutes(accountAdminMe, { 'POST /accounts/acme-corporation/invitations/import': csvInvalid })
    const { user, dialog } = await openImport()
    await choose(user, dialog)
    await user.click(within(dialog).getByRole('radio', { name: /^Client/ }))
    await user.click(within(dialog).getByRole('button', { name: 'Import and invite' }))

    const report = await within(dialog).findByTestId('csv-report')
    expect(report).toHaveTextContent('2 rows have problems; nothing was imported. Fix them and upload again.')
    const table = within(report).getByRole('table', { name: 'Problems in the file' })
    const rows = within(table).getAllByRole('row').slice(1)
    expect(rows.map((r) => Array.from(r.querySelectorAll('td')).map((td) => td.textContent))).toEqual([
      ['3', 'email', 'Enter an email address like name@example.com.'],
      ['3', 'group membership', 'There is no group named “Sales”.'],
      ['5', 'group membership', 'There is no group named “Sales”.'],
    ])
    expect(within(dialog).getByRole('button', { name: 'Upload again' })).toBeInTheDocument()

    const call = m.callsTo('POST /accounts/acme-corporation/invitations/import')[0]
    expect(call.query.get('role')).toBe('client')
    expect(call.headers['content-type']).toMatch(/^text\/csv/)
    expect(call.headers['x-csrf-token']).toBe('t')
    expect(call.body).toBe(CSV)
  })

  it('imports the file and says how many were invited', async () => {
    const items = ['ada', 'grace', 'alan'].map((n, i) => ({ ...pendingInvitee, user_id: `n${i}`, email: `${n}@client.example` }))
    const m = peopleRoutes(accountAdminMe, {
      'POST /accounts/acme-corporation/invitations/import': json({ items, emailed: 3, outbox: 0 }, 201),
    })
    const { user, dialog } = await openImport()
    await choose(user, dialog, 'email\nada@client.example\ngrace@client.example\nalan@client.example\n')
    await user.click(within(dialog).getByRole('button', { name: 'Import and invite' }))
    expect(await screen.findByText('3 people invited from the CSV file')).toBeInTheDocument()
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Import people into Acme Corporation' })).not.toBeInTheDocument())
    expect(m.callsTo('POST /accounts/acme-corporation/invitations/import')[0].query.get('role')).toBe('account_user')
  })

  it('shows progress while the file is checked', async () => {
    let release: (v: { status: number; body: unknown }) => void = () => {}
    peopleRoutes(accountAdminMe, {
      'POST /accounts/acme-corporation/invitations/import': () =>
        new Promise((resolve) => {
          release = resolve
        }),
    })
    const { user, dialog } = await openImport()
    await choose(user, dialog)
    await user.click(within(dialog).getByRole('button', { name: 'Import and invite' }))
    expect(await within(dialog).findByText('Uploading and checking every row…')).toBeInTheDocument()
    expect(within(dialog).getByRole('button', { name: 'Cancel' })).toBeDisabled()
    release({ status: 201, body: { items: [pendingInvitee], emailed: 1, outbox: 0 } })
    expect(await screen.findByText('pending@acme.example invited from the CSV file')).toBeInTheDocument()
  })

  it('asks for a file first', async () => {
    const m = peopleRoutes()
    const { user, dialog } = await openImport()
    await user.click(within(dialog).getByRole('button', { name: 'Import and invite' }))
    expect(within(dialog).getByText('Choose a CSV file to import.')).toBeInTheDocument()
    expect(m.callsTo('POST /accounts/acme-corporation/invitations/import')).toHaveLength(0)
  })

  it('offers a template made in the browser', async () => {
    peopleRoutes()
    const created: Blob[] = []
    const saved = { create: URL.createObjectURL, revoke: URL.revokeObjectURL }
    URL.createObjectURL = vi.fn((b: Blob) => {
      created.push(b)
      return 'blob:template'
    })
    URL.revokeObjectURL = vi.fn()
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {})
    try {
      const { user, dialog } = await openImport()
      await user.click(within(dialog).getByRole('button', { name: 'Download template' }))
      expect(click).toHaveBeenCalledTimes(1)
      expect(created).toHaveLength(1)
      const text = await created[0].text()
      expect(text.split('\r\n')[0]).toBe('email,group membership')
      expect(text).toContain('"Finance, Operations"')
    } finally {
      URL.createObjectURL = saved.create
      URL.revokeObjectURL = saved.revoke
    }
  })
})

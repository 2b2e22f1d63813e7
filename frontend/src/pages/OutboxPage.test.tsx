import { screen, within } from '@testing-library/react'
import { setupUser } from '../test/user'
import { describe, expect, it } from 'vitest'
import type { OutboxMail } from '../api/self'
import { json, mockFetch } from '../test/fetchMock'
import { ownerMe } from '../test/fixtures'
import { renderApp } from '../test/render'

const mails: OutboxMail[] = [
  {
    id: 'm2',
    to: 'alan@northwind.example',
    subject: 'You are invited to Northwind on Bureau',
    body: 'Hello,\n\nAda Lovelace invited you to join Northwind.\n\nAccept: http://localhost:8080/invite/abc123\n',
    link: 'http://localhost:8080/invite/abc123',
    kind: 'invitation',
    reason: 'No SMTP server is configured.',
    created_at: new Date(Date.now() - 5 * 60_000).toISOString(),
  },
  {
    id: 'm1',
    to: 'grace@northwind.example',
    subject: 'Reset your Bureau password',
    body: 'Someone asked to reset your password.',
    link: '',
    kind: 'reset',
    reason: 'connection refused',
    created_at: new Date(Date.now() - 3 * 3600_000).toISOString(),
  },
]

function routes(pages: Array<{ items: OutboxMail[]; next_cursor: string | null }>) {
  return mockFetch({
    'GET /setup': json({ needed: false }),
    'GET /me': json(ownerMe),
    'GET /tenant/outbox': (call) => json(call.query.get('cursor') ? pages[1] : pages[0]),
  })
}

describe('outbox', () => {
  it('lists unsent mail newest first, and opens one to show its body and a usable link', async () => {
    routes([{ items: mails, next_cursor: null }])
    const user = setupUser()
    renderApp('/settings/outbox')
    expect(await screen.findByRole('heading', { name: 'Outbox', level: 1 })).toBeInTheDocument()
    expect(screen.getByText('Send mail for real')).toBeInTheDocument()
    expect(screen.getByText('BUREAU_SMTP_HOST')).toBeInTheDocument()
    expect(screen.getByText('smtp.host')).toBeInTheDocument()

    const items = await screen.findAllByTestId('outbox-item')
    expect(items).toHaveLength(2)
    expect(items[0]).toHaveTextContent('You are invited to Northwind on Bureau')
    expect(items[0]).toHaveTextContent('To alan@northwind.example · No SMTP server is configured.')
    expect(items[0]).toHaveTextContent('Invitation')
    expect(items[0]).toHaveTextContent('5 minutes ago')
    expect(items[1]).toHaveTextContent('Password reset')

    const control = within(items[0]).getByRole('button', { name: /You are invited to Northwind/ })
    expect(control).toHaveAttribute('aria-expanded', 'false')
    control.focus()
    await user.keyboard('{Enter}')
    expect(control).toHaveAttribute('aria-expanded', 'true')
    const link = within(items[0]).getByRole('link', { name: /Open the link to alan@northwind.example/ })
    expect(link).toHaveAttribute('href', 'http://localhost:8080/invite/abc123')
    expect(link).toHaveAttribute('target', '_blank')
    expect(link).toHaveAttribute('rel', 'noopener noreferrer')
    expect(link).toHaveTextContent('http://localhost:8080/invite/abc123')
    expect(within(items[0]).getByRole('button', { name: 'Copy the link to alan@northwind.example' })).toBeInTheDocument()
    expect(within(items[0]).getByText(/Ada Lovelace invited you to join Northwind/)).toBeInTheDocument()

    // Reset mails are kept without their link.
    await user.click(within(items[1]).getByRole('button', { name: /Reset your Bureau password/ }))
    expect(within(items[1]).queryByRole('link')).not.toBeInTheDocument()
    expect(within(items[1]).getByText(/kept without their link/)).toBeInTheDocument()
  })

  it('never makes a link of something that is not a web address', async () => {
    routes([{ items: [{ ...mails[0], link: 'javascript:alert(1)' }], next_cursor: null }])
    const user = setupUser()
    renderApp('/settings/outbox')
    const [item] = await screen.findAllByTestId('outbox-item')
    await user.click(within(item).getByRole('button', { name: /You are invited/ }))
    expect(within(item).queryByRole('link')).not.toBeInTheDocument()
    expect(within(item).getByText('javascript:alert(1)')).toBeInTheDocument()
  })

  it('loads older mail on demand', async () => {
    routes([
      { items: [mails[0]], next_cursor: 'c2' },
      { items: [mails[1]], next_cursor: null },
    ])
    const user = setupUser()
    renderApp('/settings/outbox')
    expect(await screen.findAllByTestId('outbox-item')).toHaveLength(1)
    await user.click(screen.getByRole('button', { name: 'Show older mail' }))
    expect(await screen.findByText('Reset your Bureau password')).toBeInTheDocument()
    expect(screen.getAllByTestId('outbox-item')).toHaveLength(2)
    expect(screen.queryByRole('button', { name: 'Show older mail' })).not.toBeInTheDocument()
  })

  it('explains an empty outbox', async () => {
    routes([{ items: [], next_cursor: null }])
    renderApp('/settings/outbox')
    expect(await screen.findByRole('heading', { name: 'The outbox is empty' })).toBeInTheDocument()
    expect(screen.getByText(/Mail lands here when no SMTP server is configured or sending failed/)).toBeInTheDocument()
    const nav = screen.getByRole('navigation', { name: 'Main navigation' })
    expect(within(nav).getByRole('link', { name: 'Outbox' })).toHaveAttribute('aria-current', 'page')
  })
})

import { screen, waitFor, within } from '@testing-library/react'
import { fill, setupUser, type User } from '../../test/user'
import { describe, expect, it } from 'vitest'
import { json, problem } from '../../test/fetchMock'
import { clientMe } from '../../test/fixtures'
import { accountAdminMe, administrators, everyone, finance, groups, operations, peopleRoutes } from '../../test/people'
import { renderApp } from '../../test/render'

const rowOf = (name: string) => within(screen.getByRole('table', { name: 'Groups' })).getByText(name).closest('tr') as HTMLElement

async function openPage() {
  const user = setupUser()
  renderApp('/acme-corporation/groups')
  expect(await screen.findByRole('heading', { name: /^Groups/, level: 1 })).toBeInTheDocument()
  await screen.findByText('Finance')
  return { user }
}

async function menuOf(user: User, name: string) {
  await user.click(within(rowOf(name)).getByRole('button', { name: `Actions for ${name}` }))
  return screen.findByRole('menu')
}

describe('groups page', () => {
  it('lists the groups with their role, members and the default ones marked', async () => {
    peopleRoutes()
    await openPage()
    expect(screen.getByText('A member’s rights are the union of their own role and their groups’ roles.', { exact: false })).toBeInTheDocument()
    const e = rowOf('Everyone')
    expect(within(e).getByText('Default')).toBeInTheDocument()
    expect(within(e).getByText('No role')).toBeInTheDocument()
    expect(within(e).getByText('4')).toBeInTheDocument()
    const a = rowOf('Administrators')
    expect(within(a).getByText('Default')).toBeInTheDocument()
    expect(within(a).getByText('Account Admin')).toBeInTheDocument()
    const f = rowOf('Finance')
    expect(within(f).queryByText('Default')).not.toBeInTheDocument()
    expect(within(f).getByText('Account User')).toBeInTheDocument()
    expect(within(f).getByText('2')).toBeInTheDocument()
    expect(within(rowOf('Operations')).getByText('No role')).toBeInTheDocument()
  })

  it('protects the default groups', async () => {
    peopleRoutes()
    const { user } = await openPage()
    let menu = await menuOf(user, 'Everyone')
    expect(within(menu).getByRole('menuitem', { name: 'Rename or change role…' })).toBeDisabled()
    expect(within(menu).getByRole('menuitem', { name: 'Edit members…' })).toBeDisabled()
    expect(within(menu).getByRole('menuitem', { name: 'Delete group…' })).toBeDisabled()
    await user.keyboard('{Escape}')
    await waitFor(() => expect(screen.queryByRole('menu')).not.toBeInTheDocument())

    menu = await menuOf(user, 'Administrators')
    expect(within(menu).getByRole('menuitem', { name: 'Rename or change role…' })).toBeDisabled()
    expect(within(menu).getByRole('menuitem', { name: 'Edit members…' })).toBeEnabled()
    expect(within(menu).getByRole('menuitem', { name: 'Delete group…' })).toBeDisabled()
    await user.keyboard('{Escape}')
    await waitFor(() => expect(screen.queryByRole('menu')).not.toBeInTheDocument())

    menu = await menuOf(user, 'Finance')
    expect(within(menu).getByRole('menuitem', { name: 'Rename or change role…' })).toBeEnabled()
    expect(within(menu).getByRole('menuitem', { name: 'Edit members…' })).toBeEnabled()
    expect(within(menu).getByRole('menuitem', { name: 'Delete group…' })).toBeEnabled()
  })

  it('creates a group with a role, and shows a name already taken on the name', async () => {
    const sales = { ...operations, id: 'g5', name: 'Sales', role: 'client' as const, member_count: 0, members: [] }
    const m = peopleRoutes(accountAdminMe, {
      'POST /accounts/acme-corporation/groups': [
        problem(409, 'group_name_taken', 'Another group is called “finance”.', [
          { field: 'name', code: 'group_name_taken', message: 'Another group is called “finance”.' },
        ]),
        json(sales, 201),
      ],
      'GET /accounts/acme-corporation/groups': [
        json({ items: groups, next_cursor: null }),
        json({ items: [...groups, sales], next_cursor: null }),
      ],
    })
    const { user } = await openPage()
    await user.click(screen.getByRole('button', { name: 'New group' }))
    const dialog = await screen.findByRole('dialog', { name: 'New group' })
    const name = within(dialog).getByRole('textbox', { name: /Name/ })
    await user.click(within(dialog).getByRole('button', { name: 'Create group' }))
    expect(within(dialog).getByText('Give the group a name.')).toBeInTheDocument()
    await fill(user, name, 'finance')
    await user.click(within(dialog).getByRole('combobox', { name: 'Role' }))
    await user.click(await screen.findByRole('option', { name: 'Client' }))
    await user.click(within(dialog).getByRole('button', { name: 'Create group' }))
    expect(await within(dialog).findByText('Another group is called “finance”.')).toBeInTheDocument()
    expect(name).toHaveAttribute('aria-invalid', 'true')
    await user.clear(name)
    await fill(user, name, 'Sales')
    await user.click(within(dialog).getByRole('button', { name: 'Create group' }))
    expect(await screen.findByText('Group created')).toBeInTheDocument()
    expect(m.callsTo('POST /accounts/acme-corporation/groups').map((c) => c.body)).toEqual([
      { name: 'finance', role: 'client' },
      { name: 'Sales', role: 'client' },
    ])
    expect(await within(screen.getByRole('table', { name: 'Groups' })).findByText('Sales')).toBeInTheDocument()
  })

  it('renames a group and clears its role', async () => {
    const m = peopleRoutes(accountAdminMe, {
      'PATCH /accounts/acme-corporation/groups/g3': json({ ...finance, name: 'Accounting', role: null }),
    })
    const { user } = await openPage()
    const menu = await menuOf(user, 'Finance')
    await user.click(within(menu).getByRole('menuitem', { name: 'Rename or change role…' }))
    const dialog = await screen.findByRole('dialog', { name: 'Edit Finance' })
    const name = within(dialog).getByRole('textbox', { name: /Name/ })
    await user.clear(name)
    await fill(user, name, 'Accounting')
    await user.click(within(dialog).getByRole('combobox', { name: 'Role' }))
    await user.click(await screen.findByRole('option', { name: 'No role' }))
    await user.click(within(dialog).getByRole('button', { name: 'Save group' }))
    expect(await screen.findByText('Group saved')).toBeInTheDocument()
    expect(m.callsTo('PATCH /accounts/acme-corporation/groups/g3')[0].body).toEqual({ name: 'Accounting', role: null })
  })

  it('edits the members of Administrators, keeping yourself in it', async () => {
    const m = peopleRoutes(accountAdminMe, {
      'PATCH /accounts/acme-corporation/groups/g2': json({ ...administrators, member_count: 2 }),
    })
    const { user } = await openPage()
    const menu = await menuOf(user, 'Administrators')
    await user.click(within(menu).getByRole('menuitem', { name: 'Edit members…' }))
    const dialog = await screen.findByRole('dialog', { name: 'Members of Administrators' })
    expect(within(dialog).getByText(/You are in this group too and stay in it/)).toBeInTheDocument()
    await user.click(within(dialog).getByRole('combobox', { name: 'Members' }))
    const listbox = await screen.findByRole('listbox')
    expect(within(listbox).queryByText(/Wile E\. Coyote/)).not.toBeInTheDocument()
    await user.click(within(listbox).getByRole('option', { name: 'Road Runner (road@acme.example)' }))
    await user.click(within(dialog).getByRole('button', { name: 'Save members' }))
    expect(await screen.findByText('Members saved')).toBeInTheDocument()
    expect(m.callsTo('PATCH /accounts/acme-corporation/groups/g2')[0].body).toEqual({ members: ['u11', 'u10'] })
  })

  it('deletes a custom group after confirming, and shows a refusal', async () => {
    const m = peopleRoutes(accountAdminMe, {
      'DELETE /accounts/acme-corporation/groups/g3': [
        problem(409, 'group_builtin', 'Default groups cannot be deleted.'),
        { status: 204 },
      ],
      'GET /accounts/acme-corporation/groups': [
        json({ items: groups, next_cursor: null }),
        json({ items: [everyone, administrators, operations], next_cursor: null }),
      ],
    })
    const { user } = await openPage()
    const menu = await menuOf(user, 'Finance')
    await user.click(within(menu).getByRole('menuitem', { name: 'Delete group…' }))
    const dialog = await screen.findByRole('dialog', { name: 'Delete Finance?' })
    expect(within(dialog).getByText(/Its 2 members stay in the account with their own role, but lose the Account User role/)).toBeInTheDocument()
    await user.click(within(dialog).getByRole('button', { name: 'Delete group' }))
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('Default groups cannot be deleted.')
    await user.click(within(dialog).getByRole('button', { name: 'Delete group' }))
    expect(await screen.findByText('Group deleted')).toBeInTheDocument()
    await waitFor(() => expect(screen.queryByRole('table', { name: 'Groups' })).not.toHaveTextContent('Finance'))
    expect(m.callsTo('DELETE /accounts/acme-corporation/groups/g3')).toHaveLength(2)
  })

  it('is not there for people who may not manage members', async () => {
    peopleRoutes(clientMe)
    renderApp('/acme-corporation/groups')
    expect(await screen.findByRole('heading', { name: 'Page not found' })).toBeInTheDocument()
  })
})

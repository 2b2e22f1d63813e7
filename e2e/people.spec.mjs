// People: a Tenant Admin invites a client from the Members page; with no
// SMTP configured the invitation waits in the Outbox; the client opens the
// link in their own browser, sets a password and sees their account and
// nothing else — not another account by URL. A CSV with two bad rows shows
// both and invites no one. Groups, Staff and Profile pages for the tour.

import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { api, openPage, screenshot, useBureau, visible } from './harness.mjs'

const FIRM = { name: 'Northwind Automation', slug: 'northwind' }
const OWNER = { name: 'Ada Lovelace', email: 'ada@northwind.example' }
const PASSWORD = 'plum orbit canvas tundra 47'
const ACME = { name: 'Acme Corporation', slug: 'acme' }
const BETA = { name: 'Beta Logistics', slug: 'beta' }
const CLIENT = { name: 'Cleo Hartmann', email: 'cleo@acme.example', password: 'walnut harbour seven lanterns' }

describe('people', () => {
  const ctx = useBureau()
  let inviteLink

  test('the firm is set up, with a second client and a few people', async () => {
    const { page } = ctx.tab
    await page.goto('/login')
    const setup = await api(page, 'POST', '/setup', {
      tenant_name: FIRM.name, tenant_slug: FIRM.slug, owner_name: OWNER.name, owner_email: OWNER.email,
      owner_password: PASSWORD, account_name: ACME.name, account_slug: ACME.slug,
    })
    assert.equal(setup.status, 201)
    assert.equal((await api(page, 'POST', '/accounts', BETA)).status, 201)
    const finance = await api(page, 'POST', `/accounts/${ACME.slug}/groups`, { name: 'Finance', role: 'account_user' })
    assert.equal(finance.status, 201)
    assert.equal((await api(page, 'POST', `/accounts/${ACME.slug}/groups`, { name: 'Operations' })).status, 201)
    const more = await api(page, 'POST', `/accounts/${ACME.slug}/invitations`, {
      invites: [
        { email: 'grace@acme.example', role: 'account_admin', groups: [] },
        { email: 'linus@acme.example', role: 'account_user', groups: [finance.body.id] },
      ],
    })
    assert.equal(more.status, 201)
    assert.equal((await api(page, 'POST', '/tenant/staff', { invites: [{ email: 'ken@northwind.example', role: 'consultant' }] })).status, 201)
  })

  test('a Tenant Admin invites a client from the Members page', async () => {
    const { page } = ctx.tab
    await page.goto(`/${ACME.slug}/members`)
    await visible(page.getByRole('table', { name: 'Members' }).getByText('grace@acme.example'))
    await page.getByRole('button', { name: 'Invite people' }).first().click()
    const dialog = page.getByRole('dialog', { name: `Invite people to ${ACME.name}` })
    await visible(dialog)
    await dialog.getByLabel('Email addresses').fill(`${CLIENT.email}, not-an-address`)
    await dialog.getByLabel('Email addresses').blur()
    await dialog.getByRole('radio', { name: /^Client/ }).check()
    await screenshot(page, 'members-invite')
    // The malformed address is caught before anything is sent.
    await dialog.getByRole('button', { name: 'Send invitations' }).click()
    await visible(dialog.getByText(/not-an-address/))
    assert.equal(await dialog.isVisible(), true)
    await dialog.getByLabel('Email addresses').fill(CLIENT.email)
    await dialog.getByRole('button', { name: 'Send invitations' }).click()
    await dialog.waitFor({ state: 'hidden' })
    await visible(page.getByText(/Outbox/).first())
    const row = page.getByRole('row', { name: new RegExp(CLIENT.email) })
    await visible(row.getByText('Pending', { exact: true }))
    await page.waitForTimeout(300)
    await screenshot(page, 'members')
    ctx.tab.assertClean()
  })

  test('the invitation waits in the Outbox with its link', async () => {
    const { page } = ctx.tab
    await page.goto('/settings/outbox')
    await visible(page.getByRole('heading', { name: 'Outbox', level: 1 }))
    const item = page.getByTestId('outbox-item').filter({ hasText: CLIENT.email }).first()
    await item.getByRole('button').first().click()
    const anchor = item.getByRole('link', { name: `Open the link to ${CLIENT.email} (opens in a new tab)` })
    await visible(anchor)
    inviteLink = await anchor.getAttribute('href')
    assert.match(inviteLink, /\/invite\/[A-Za-z0-9_-]{43}$/)
    await screenshot(page, 'outbox')
    ctx.tab.assertClean()
  })

  test('the client opens the link, sets a password and sees only their account', async () => {
    const client = await openPage(ctx.browser, ctx.server)
    try {
      const { page } = client
      await page.goto(new URL(inviteLink).pathname)
      await visible(page.getByText(ACME.name).first())
      await visible(page.getByText(FIRM.name).first())
      assert.equal(await page.getByLabel('Email').inputValue(), CLIENT.email)
      await page.getByLabel('Your name').fill(CLIENT.name)
      await page.getByLabel('Choose a password').fill('short')
      await page.getByRole('button', { name: 'Accept invitation' }).click()
      await visible(page.getByText(/at least 15 characters/i))
      await page.getByLabel('Choose a password').fill(CLIENT.password)
      await screenshot(page, 'invite-accept')
      await page.getByRole('button', { name: 'Accept invitation' }).click()

      // Straight into their own account: no picker, no firm-wide pages.
      await page.waitForURL((u) => u.pathname === `/${ACME.slug}`)
      await visible(page.getByRole('heading', { name: ACME.name, level: 1 }))
      assert.equal(await page.getByRole('link', { name: 'Client accounts' }).count(), 0)
      assert.equal(await page.getByRole('link', { name: 'Members' }).count(), 0, 'a client does not manage members')
      await screenshot(page, 'client-portal')

      // Another account by URL looks missing; so do firm pages and people pages.
      for (const path of [`/${BETA.slug}`, `/${ACME.slug}/members`, '/settings/outbox', '/accounts']) {
        await page.goto(path)
        await page.waitForLoadState('networkidle')
        assert.equal(await page.getByText(BETA.name).count(), 0, `${path} shows the other account`)
        assert.equal(await page.getByText('grace@acme.example').count(), 0, `${path} shows the member list`)
      }
      await page.goto(`/${BETA.slug}`)
      await visible(page.getByText(/not found|does not exist|no longer/i))
      const other = await api(page, 'GET', `/accounts/${BETA.slug}`)
      assert.equal(other.status, 404)
      const mine = await api(page, 'GET', '/accounts')
      assert.deepEqual(mine.body.items.map((a) => a.slug), [ACME.slug])
      client.assertClean()
    } finally {
      await client.close()
    }
    // The Tenant Admin sees them active now.
    const { page } = ctx.tab
    await page.goto(`/${ACME.slug}/members`)
    const row = page.getByRole('row', { name: new RegExp(CLIENT.email) })
    await visible(row.getByText(CLIENT.name))
    await visible(row.getByText('Active', { exact: true }))
  })

  test('a CSV with two bad rows shows both problems and invites no one', async () => {
    const { page } = ctx.tab
    const before = (await api(page, 'GET', `/accounts/${ACME.slug}/members`)).body.items.length
    await page.goto(`/${ACME.slug}/members`)
    await page.getByRole('button', { name: 'Import CSV' }).first().click()
    const dialog = page.getByRole('dialog', { name: `Import people into ${ACME.name}` })
    await visible(dialog)
    const csv = [
      'email,group membership,notes',
      'mia@acme.example,"Finance, Operations",ok',
      'not-an-email,,typo',
      'noah@acme.example,Marketing,no such group',
      'olga@acme.example,operations,',
    ].join('\r\n')
    await dialog.locator('input[type=file]').setInputFiles({ name: 'people.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) })
    await dialog.getByRole('button', { name: 'Import and invite' }).click()
    const report = dialog.getByTestId('csv-report')
    await visible(report)
    await visible(report.getByText('2 rows have problems; nothing was imported.', { exact: false }))
    const rows = report.getByRole('table', { name: 'Problems in the file' }).getByRole('row')
    assert.equal(await rows.count(), 3, 'a header and one row per problem')
    await visible(rows.nth(1).getByText('3', { exact: true }))
    await visible(rows.nth(2).getByText('4', { exact: true }))
    await visible(report.getByText(/Marketing/))
    await screenshot(page, 'members-csv-errors')
    const after = (await api(page, 'GET', `/accounts/${ACME.slug}/members`)).body.items.length
    assert.equal(after, before, 'nobody was invited')
    await dialog.getByRole('button', { name: 'Cancel' }).click()
    ctx.tab.assertClean()
  })

  test('groups, staff and the profile', async () => {
    const { page } = ctx.tab
    await page.goto(`/${ACME.slug}/groups`)
    await visible(page.getByText('Everyone').first())
    await visible(page.getByText('Administrators').first())
    await visible(page.getByText('Finance').first())
    await screenshot(page, 'groups')

    await page.goto('/settings/staff')
    await visible(page.getByText('ken@northwind.example'))
    await screenshot(page, 'staff')

    await page.goto('/profile')
    await visible(page.getByText(OWNER.email).first())
    await visible(page.getByText('This device').first())
    await screenshot(page, 'profile')
    ctx.tab.assertClean()
  })
})

// Client accounts: create through the dialog (live slug check) up to the
// trial plan's limit, the plan-limit message, deactivate and create again,
// delete with the typed name, the plan & license page, and account settings
// that survive a reload.

import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { api, screenshot, useBureau, visible } from './harness.mjs'

const FIRM = { name: 'Northwind Automation', slug: 'northwind' }
const OWNER = { name: 'Ada Lovelace', email: 'ada@northwind.example' }
const PASSWORD = 'plum orbit canvas tundra 47'
const FIRST = { name: 'Acme Corporation', slug: 'acme-corporation' }

// Created through fetch to save time (the dialog creates the others).
const MORE = [
  { name: 'Initech', slug: 'initech', contact_email: 'bill@initech.example', external_ref: 'CRM-1007', notes: 'TPS reports, every Friday.\nOwner: Bill Lumbergh.' },
  { name: 'Umbrella Pharmaceuticals', slug: 'umbrella', contact_email: 'ops@umbrella.example', external_ref: 'CRM-1011' },
  { name: 'Vandelay Industries International Import Export Holdings', slug: 'vandelay', external_ref: 'HS-88213-IMPORT-EXPORT' },
  { name: 'Stark Robotics', slug: 'stark-robotics', contact_email: 'pepper@stark.example' },
  { name: 'Soylent Foods', slug: 'soylent', external_ref: 'CRM-1019' },
  { name: 'Hooli', slug: 'hooli', contact_email: 'gavin@hooli.example', external_ref: 'CRM-1023' },
  { name: 'Tyrell Automation', slug: 'tyrell' },
]

/** settled polls fn until its answer deep-equals want (the UI updates asynchronously), then asserts. */
async function settled(fn, want, timeout = 5000) {
  const deadline = Date.now() + timeout
  let got
  for (;;) {
    got = await fn()
    try {
      assert.deepEqual(got, want)
      return
    } catch (e) {
      if (Date.now() > deadline) throw e
    }
    await new Promise((r) => setTimeout(r, 100))
  }
}

describe('client accounts', () => {
  const ctx = useBureau()

  test('the firm is set up through the API; the list shows its first client', async () => {
    const { page } = ctx.tab
    await page.goto('/setup')
    await visible(page.getByRole('heading', { name: 'Set up Bureau' }))
    const res = await page.evaluate(
      async (input) => {
        const { token } = await (await fetch('/api/v1/auth/csrf')).json()
        const r = await fetch('/api/v1/setup', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': token },
          body: JSON.stringify(input),
        })
        return r.status
      },
      {
        tenant_name: FIRM.name,
        tenant_slug: FIRM.slug,
        owner_name: OWNER.name,
        owner_email: OWNER.email,
        owner_password: PASSWORD,
        account_name: FIRST.name,
        account_slug: FIRST.slug,
      },
    )
    assert.equal(res, 201)

    await page.goto('/accounts')
    await visible(page.getByRole('heading', { name: 'Client accounts', level: 1 }))
    const table = page.getByRole('table', { name: 'Client accounts' })
    await visible(table.getByRole('link', { name: FIRST.name }))
    await visible(page.getByText('1 of 10', { exact: true }))
    await visible(page.getByRole('link', { name: 'Trial plan' }))
    ctx.tab.assertClean()
  })

  test('two accounts are created through the dialog, with the live slug check', async () => {
    const { page } = ctx.tab
    await page.getByRole('button', { name: 'New client account' }).click()
    const dialog = page.getByRole('dialog', { name: 'New client account' })
    await visible(dialog)

    // The name fills the slug; the server says the slug is taken.
    await dialog.getByLabel('Client name').fill(FIRST.name)
    assert.equal(await dialog.getByLabel('Slug').inputValue(), FIRST.slug)
    await visible(dialog.getByText('Taken: another client account uses this slug'))

    // A reserved word is refused at once.
    await dialog.getByLabel('Slug').fill('settings')
    await visible(dialog.getByText(/^Reserved/))

    // Emptying the slug makes it follow the name again.
    await dialog.getByLabel('Slug').fill('')
    await dialog.getByLabel('Client name').fill('Globex Corporation')
    assert.equal(await dialog.getByLabel('Slug').inputValue(), 'globex-corporation')
    await visible(dialog.getByText('Available', { exact: true }))
    await dialog.getByLabel('Contact email').fill('hank@globex.example')
    await dialog.getByLabel('External reference').fill('CRM-1002')
    await dialog.getByLabel('Notes').fill('Cypress Creek campus. Renewal in March.')
    await screenshot(page, 'account-create')
    await dialog.getByRole('button', { name: 'Create client account' }).click()

    await page.waitForURL((u) => u.pathname === '/globex-corporation')
    await visible(page.getByRole('heading', { name: 'Globex Corporation', level: 1 }))
    await visible(page.getByText('Client account created'))
    await visible(page.getByText('hank@globex.example'))

    // The second one, with a slug typed by hand.
    await page.goto('/accounts')
    await page.getByRole('button', { name: 'New client account' }).click()
    await visible(dialog)
    await dialog.getByLabel('Client name').fill('Acme Corporation EMEA')
    await dialog.getByLabel('Slug').fill('acme-emea')
    await dialog.getByLabel('Client name').fill('Acme Corporation Europe')
    assert.equal(await dialog.getByLabel('Slug').inputValue(), 'acme-emea', 'a slug typed by hand no longer follows the name')
    await visible(dialog.getByText('Available', { exact: true }))
    await dialog.getByLabel('Contact email').fill('not an email')
    await dialog.getByRole('button', { name: 'Create client account' }).click()
    await visible(dialog.getByText('Enter an email address like name@example.com.'))
    assert.equal(await dialog.getByLabel('Contact email').getAttribute('aria-invalid'), 'true')
    await dialog.getByLabel('Contact email').fill('emea@acme.example')
    await dialog.getByRole('button', { name: 'Create client account' }).click()
    await page.waitForURL((u) => u.pathname === '/acme-emea')
    await visible(page.getByRole('heading', { name: 'Acme Corporation Europe', level: 1 }))
    ctx.tab.assertClean()
  })

  test('at the trial limit the dialog explains it before anyone types', async () => {
    const { page } = ctx.tab
    for (const a of MORE) {
      const res = await api(page, 'POST', '/accounts', a)
      assert.equal(res.status, 201, JSON.stringify(res.body))
    }
    // 1 + 2 + 7 = 10 active accounts: the trial plan is full, and the server agrees.
    const refused = await api(page, 'POST', '/accounts', { name: 'One Too Many', slug: 'one-too-many' })
    assert.equal(refused.status, 409)
    assert.equal(refused.body.code, 'plan_limit_reached')

    await page.goto('/accounts')
    await visible(page.getByText('10 of 10', { exact: true }))
    await visible(page.getByText('limit reached'))
    await page.getByRole('button', { name: 'New client account' }).click()
    const dialog = page.getByRole('dialog', { name: 'New client account' })
    const notice = dialog.getByTestId('plan-limit')
    await visible(notice)
    assert.match(await notice.innerText(), /The Trial plan allows 10 active client accounts, and all 10 are in use\./)
    assert.match(await notice.innerText(), /deactivate an account/)
    await visible(notice.getByRole('link', { name: 'Upload a license' }))
    assert.equal(await dialog.getByLabel('Client name').count(), 0, 'no form to fill in when nothing can be created')
    await screenshot(page, 'plan-limit')
    await dialog.getByRole('button', { name: 'Close' }).click()
    ctx.tab.assertClean()
  })

  test('deactivating an account on its overview makes room for another', async () => {
    const { page } = ctx.tab
    await page.goto('/initech')
    await visible(page.getByRole('heading', { name: 'Initech', level: 1 }))
    await visible(page.getByText('bill@initech.example'))
    await visible(page.getByText('CRM-1007'))
    await visible(page.getByText(/TPS reports, every Friday\./))
    // The header's switcher knows where we are.
    assert.equal(await page.getByRole('combobox', { name: 'Switch client account' }).inputValue(), 'Initech')
    await screenshot(page, 'account-overview')

    await page.getByRole('button', { name: 'Deactivate…' }).click()
    const modal = page.getByRole('dialog', { name: 'Deactivate Initech?' })
    await visible(modal.getByText(/nobody can sign in to it while it is deactivated/))
    await modal.getByRole('button', { name: 'Deactivate account' }).click()
    const banner = page.getByTestId('deactivated-banner')
    await visible(banner)
    assert.match(await banner.innerText(), /Its people cannot sign in.*its history is kept/s)
    await visible(banner.getByRole('button', { name: 'Reactivate' }))
    await visible(page.getByRole('button', { name: 'Delete…' }))
    await page.mouse.move(640, 700)
    await screenshot(page, 'account-deactivated')

    // Room again: the dialog creates the eleventh account.
    await page.goto('/accounts')
    await visible(page.getByText('9 of 10', { exact: true }))
    await page.getByRole('button', { name: 'New client account' }).click()
    const dialog = page.getByRole('dialog', { name: 'New client account' })
    await dialog.getByLabel('Client name').fill('Wayne Enterprises')
    await visible(dialog.getByText('This is the last account your Trial plan allows'))
    await visible(dialog.getByText('Available', { exact: true }))
    await dialog.getByRole('button', { name: 'Create client account' }).click()
    await page.waitForURL((u) => u.pathname === '/wayne-enterprises')
    await visible(page.getByRole('heading', { name: 'Wayne Enterprises', level: 1 }))

    // Full again: reactivating Initech is refused with the way forward.
    await page.goto('/initech')
    await page.getByTestId('deactivated-banner').getByRole('button', { name: 'Reactivate' }).click()
    const limit = page.getByRole('dialog', { name: 'Initech cannot be reactivated yet' })
    await visible(limit.getByTestId('plan-limit'))
    await limit.getByRole('button', { name: 'Close' }).click()
    ctx.tab.assertClean()
  })

  test('deleting needs the exact name typed', async () => {
    const { page } = ctx.tab
    await page.goto('/initech')
    await page.getByRole('button', { name: 'Delete…' }).click()
    const modal = page.getByRole('dialog', { name: 'Delete Initech permanently?' })
    await visible(modal)
    const input = modal.getByLabel(/To confirm, type the account’s name/)
    const confirm = modal.getByRole('button', { name: 'Delete this account' })
    assert.ok(await confirm.isDisabled())
    await input.fill('initech')
    assert.ok(await confirm.isDisabled(), 'a name with other capitals does not unlock the button')
    await visible(modal.getByText('Type the name exactly as shown, with the same capitals.'))
    await input.fill('Initech Inc')
    assert.ok(await confirm.isDisabled())
    await input.fill('Initech')
    assert.ok(await confirm.isEnabled())
    await screenshot(page, 'account-delete')
    await confirm.click()

    await page.waitForURL((u) => u.pathname === '/accounts')
    await visible(page.getByText('Account deleted'))
    await visible(page.getByRole('table', { name: 'Client accounts' }).getByRole('link', { name: 'Hooli' }))
    assert.equal(await page.getByRole('table', { name: 'Client accounts' }).getByRole('link', { name: 'Initech' }).count(), 0)
    assert.equal((await api(page, 'GET', '/accounts/initech')).status, 404)

    // The deleted account's address is the in-shell 404 now.
    await page.goto('/initech')
    await visible(page.getByRole('heading', { name: 'Page not found' }))
    ctx.tab.assertClean()
  })

  test('the plan & license page shows 10 of 10 and refuses a garbage license', async () => {
    const { page } = ctx.tab
    await page.goto('/')
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Plan & license' }).click()
    await page.waitForURL((u) => u.pathname === '/settings/license')
    await visible(page.getByRole('heading', { name: 'Plan & license', level: 1 }))
    assert.equal(await page.getByTestId('accounts-usage').innerText(), '10 of 10 active client accounts')
    await visible(page.getByText('Limit reached'))
    await visible(page.getByTestId('license-state').getByText('No license'))

    const field = page.getByLabel('License file')
    await field.fill('Bureau license\ntenant: northwind\nplan: consulting\nmax_accounts: 400\nsignature: trust-me')
    await page.getByRole('button', { name: 'Upload license' }).click()
    await visible(page.getByText(/could not be verified/))
    assert.equal(await field.getAttribute('aria-invalid'), 'true')
    const describedBy = (await field.getAttribute('aria-describedby')) ?? ''
    const errorText = await page.evaluate((ids) => ids.split(' ').map((id) => document.getElementById(id)?.textContent ?? '').join(' '), describedBy)
    assert.match(errorText, /could not be verified/, 'the error is tied to the field')
    await page.evaluate(() => window.scrollTo(0, 0))
    await page.mouse.move(640, 100)
    await screenshot(page, 'license')
    ctx.tab.assertClean()
  })

  test('account settings save, and survive a reload', async () => {
    const { page } = ctx.tab
    await page.goto('/globex-corporation/settings')
    await visible(page.getByRole('heading', { name: 'Settings of Globex Corporation', level: 1 }))
    const interval = page.getByRole('combobox', { name: 'Sync interval' })
    assert.equal(await interval.inputValue(), 'Every 5 minutes')
    const timeout = page.getByRole('spinbutton', { name: 'Approval timeout' })
    assert.equal(await timeout.inputValue(), '1')
    assert.equal(await page.getByRole('combobox', { name: 'Approval timeout unit' }).inputValue(), 'days')

    // Out of range: the message shows on the field and nothing is sent.
    await timeout.fill('8')
    await visible(page.getByText('Choose between 1 minute and 7 days.'))
    await timeout.fill('2')
    await page.getByRole('combobox', { name: 'Approval timeout unit' }).click()
    await page.getByRole('option', { name: 'hours' }).click()
    await interval.click()
    await page.getByRole('option', { name: 'Every 15 minutes' }).click()
    await page.getByRole('switch', { name: 'Require approval for clients’ manual runs' }).check()
    await visible(page.getByText('Unsaved changes'))

    // Leaving with unsaved changes asks first.
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Home' }).click()
    const ask = page.getByRole('dialog', { name: 'Discard unsaved changes?' })
    await visible(ask)
    await ask.getByRole('button', { name: 'Keep editing' }).click()
    assert.equal(new URL(page.url()).pathname, '/globex-corporation/settings')

    await page.getByRole('button', { name: 'Save settings' }).click()
    await visible(page.getByText('Settings saved'))
    const saved = await api(page, 'GET', '/accounts/globex-corporation/settings')
    assert.deepEqual(saved.body, { beta_features: true, approval_timeout_seconds: 7200, require_run_approval: true, sync_interval: '15m' })

    // Details: the contact email is refused by the server's rules too.
    await page.getByLabel('External reference').fill('CRM-1002-B')
    await page.getByRole('button', { name: 'Save details' }).click()
    await visible(page.getByText('Details saved'))

    await page.reload()
    await visible(page.getByRole('heading', { name: 'Settings of Globex Corporation', level: 1 }))
    assert.equal(await page.getByRole('combobox', { name: 'Sync interval' }).inputValue(), 'Every 15 minutes')
    assert.equal(await page.getByRole('spinbutton', { name: 'Approval timeout' }).inputValue(), '2')
    assert.equal(await page.getByRole('combobox', { name: 'Approval timeout unit' }).inputValue(), 'hours')
    assert.ok(await page.getByRole('switch', { name: 'Require approval for clients’ manual runs' }).isChecked())
    assert.equal(await page.getByLabel('External reference').inputValue(), 'CRM-1002-B')
    // The picture shows the settings form, below the details.
    await page.getByRole('heading', { name: 'Settings', level: 2 }).evaluate((el) => el.closest('.mantine-Card-root').scrollIntoView({ block: 'end' }))
    await page.mouse.move(640, 100)
    await screenshot(page, 'account-settings')
    ctx.tab.assertClean()
  })

  test('the list sorts, filters and switches accounts', async () => {
    const { page } = ctx.tab
    // One deactivated account, so the list shows both states.
    assert.equal((await api(page, 'POST', '/accounts/tyrell/deactivate')).status, 200)
    await page.goto('/accounts')
    const table = page.getByRole('table', { name: 'Client accounts' })
    await visible(table.getByRole('link', { name: 'Hooli' }))
    const names = () => table.locator('tbody tr .account-row-name').allInnerTexts()

    await settled(async () => (await names()).slice(0, 3), ['Acme Corporation', 'Acme Corporation Europe', 'Globex Corporation'])
    const nameHeader = table.getByRole('columnheader', { name: 'Name' })
    assert.equal(await nameHeader.getAttribute('aria-sort'), 'ascending')
    // Keyboard: the header is a button.
    await nameHeader.getByRole('button').focus()
    await page.keyboard.press('Enter')
    assert.equal(await nameHeader.getAttribute('aria-sort'), 'descending')
    await settled(async () => (await names())[0], 'Wayne Enterprises')
    await table.getByRole('columnheader', { name: 'Status' }).getByRole('button').click()
    assert.equal(await table.getByRole('columnheader', { name: 'Status' }).getAttribute('aria-sort'), 'ascending')
    // Deactivated accounts sort after active ones.
    await settled(async () => (await names()).at(-1), 'Tyrell Automation')

    await page.getByRole('textbox', { name: 'Search accounts' }).fill('crm-10')
    await settled(async () => (await names()).sort(), ['Globex Corporation', 'Hooli', 'Soylent Foods', 'Umbrella Pharmaceuticals'])
    assert.match(page.url(), /q=crm-10/)
    await page.getByRole('textbox', { name: 'Search accounts' }).fill('')
    const statusFilter = (name) => page.getByRole('radiogroup').locator('label').filter({ hasText: name })
    await statusFilter(/^Deactivated/).click()
    await settled(names, ['Tyrell Automation'])
    await statusFilter(/^All/).click()
    await table.getByRole('columnheader', { name: 'Name' }).getByRole('button').click()
    assert.equal(await nameHeader.getAttribute('aria-sort'), 'ascending')
    await page.mouse.move(640, 780)
    await screenshot(page, 'accounts')

    // The header's switcher: type to search, Enter to go.
    const switcher = page.getByRole('combobox', { name: 'Switch client account' })
    await switcher.click()
    await switcher.fill('umbr')
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('Enter')
    await page.waitForURL((u) => u.pathname === '/umbrella')
    await visible(page.getByRole('heading', { name: 'Umbrella Pharmaceuticals', level: 1 }))
    ctx.tab.assertClean()
  })
})

// The estate end to end: a trial set up with sample data shows a populated
// dashboard; a Client starts a run on a UiPath simulator and sees it finish;
// an Account User sees only the processes assigned to them.

import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { api, openPage, screenshot, startSimulator, useBureau, visible } from './harness.mjs'

const PASSWORD = 'plum orbit canvas tundra 47'
const ACME = 'acme-corporation'

/** invite brings a person into the account through the outbox link and returns their signed-in page. */
async function invite(ctx, ownerPage, { email, name, role }) {
  const sent = await api(ownerPage, 'POST', `/accounts/${ACME}/invitations`, { invites: [{ email, role }] })
  assert.equal(sent.status, 201, JSON.stringify(sent.body))
  const outbox = await api(ownerPage, 'GET', '/tenant/outbox')
  const link = outbox.body.items.find((m) => m.to === email).link
  const tab = await openPage(ctx.browser, ctx.server)
  await tab.page.goto('/login')
  const accepted = await api(tab.page, 'POST', `/invitations/${link.split('/').pop()}/accept`, { name, password: PASSWORD })
  assert.equal(accepted.status, 200, JSON.stringify(accepted.body))
  return tab
}

/** until polls fn until it returns a truthy value. */
async function until(fn, timeout = 60_000, what = 'condition') {
  const end = Date.now() + timeout
  for (;;) {
    const v = await fn()
    if (v) return v
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 500))
  }
}

describe('the estate', () => {
  const ctx = useBureau()
  let sim
  before(async () => {
    sim = await startSimulator('uipath-cloud', ['-run-pending', '1s', '-run-duration', '3s'])
  })
  after(async () => {
    await sim?.stop()
  })

  test('a new trial with sample data shows a populated dashboard', async () => {
    const { page } = ctx.tab
    await page.goto('/')
    await page.waitForURL('**/setup')
    await page.getByLabel('Firm name').fill('Northwind Automation')
    await page.getByRole('button', { name: 'Continue' }).click()
    await page.getByLabel('Your name').fill('Ada Lovelace')
    await page.getByLabel('Email').fill('ada@northwind.example')
    await page.getByLabel(/^Password/).fill(PASSWORD)
    await page.getByLabel('Confirm password').fill(PASSWORD)
    await page.getByRole('button', { name: 'Continue' }).click()
    await page.getByLabel('Client name').fill('Acme Corporation')
    await page.getByLabel('Add sample data').check()
    await page.getByRole('button', { name: 'Continue' }).click()
    await visible(page.getByRole('heading', { name: 'Review and create' }))
    await page.getByRole('button', { name: 'Create workspace' }).click()
    await page.waitForURL((u) => u.pathname === '/', { timeout: 20_000 })

    // Staff land on client health; the demo clients are there.
    const health = page.getByRole('table', { name: /Client accounts/ })
    await visible(health.getByRole('link', { name: 'Contoso Logistics' }), 20_000)

    // The demo client's dashboard fills with its first sync.
    await health.getByRole('link', { name: 'Contoso Logistics' }).click()
    await page.waitForURL((u) => u.pathname === '/contoso-demo')
    await until(async () => {
      const text = await page.getByTestId('kpi-runs').innerText().catch(() => '')
      return /[1-9]/.test(text)
    }, 60_000, 'the dashboard to show runs')
    await visible(page.getByRole('img', { name: /Runs per day/ }))
    await page.waitForTimeout(500)
    await screenshot(page, 'dashboard')
    await page.goto('/')
    await visible(page.getByRole('table', { name: /Client accounts/ }).getByText('Demo estate').first())
    await screenshot(page, 'overview')
    ctx.tab.assertClean()
  })

  test('a Client starts a run and sees it finish', async () => {
    const { page } = ctx.tab
    const saved = await api(page, 'PUT', `/accounts/${ACME}/connection`, { provider: 'uipath-cloud', settings: sim.settings, secrets: sim.secrets })
    assert.equal(saved.status, 200, JSON.stringify(saved.body))
    await until(async () => (await api(page, 'GET', `/accounts/${ACME}/processes`)).body.items.length > 0, 30_000, 'the first sync')

    const client = await invite(ctx, page, { email: 'cleo@acme.example', name: 'Cleo Client', role: 'client' })
    try {
      const cp = client.page
      await cp.goto(`/${ACME}/processes`)
      const table = cp.getByRole('table', { name: 'Processes' })
      const first = table.getByRole('row').nth(1)
      const processName = (await first.getByRole('link').first().innerText()).trim()
      await first.getByRole('button', { name: 'Run' }).click()
      await cp.getByRole('button', { name: 'Start run' }).click()
      await visible(cp.getByText('Run started'))

      await cp.goto(`/${ACME}/jobs?source=run`)
      const jobs = cp.getByRole('table', { name: /Jobs/ })
      const row = jobs.getByRole('row', { name: new RegExp(processName) }).first()
      await visible(row)
      // Bureau follows the started job at the vendor; the page refreshes while it runs.
      await visible(row.getByText('Successful'), 45_000)
      await screenshot(cp, 'jobs')
      client.assertClean()
    } finally {
      await client.close()
    }
  })

  test('with approval required, a Client’s run waits until the Tenant Admin approves it', async () => {
    const { page } = ctx.tab
    const set = await api(page, 'PATCH', `/accounts/${ACME}/settings`, { require_run_approval: true })
    assert.equal(set.status, 200, JSON.stringify(set.body))
    const client = await invite(ctx, page, { email: 'carl@acme.example', name: 'Carl Client', role: 'client' })
    try {
      const cp = client.page
      await cp.goto(`/${ACME}/processes`)
      await cp.getByRole('table', { name: 'Processes' }).getByRole('row').nth(2).getByRole('button', { name: 'Run' }).click()
      await cp.getByRole('button', { name: 'Start run' }).click()
      await visible(cp.getByText('Sent for approval'))
      client.assertClean()
    } finally {
      await client.close()
    }
    await page.goto(`/${ACME}/run-requests`)
    const row = page.getByRole('row', { name: /Carl Client/ })
    await visible(row)
    await screenshot(page, 'run-requests')
    await row.getByRole('button', { name: 'Approve' }).click()
    await visible(page.getByText('Run approved'))
    await visible(page.getByRole('link', { name: /View the job/ }), 15_000)

    // The rest of the account's pages, for the record.
    await page.goto(`/${ACME}/sync-runs`)
    await visible(page.getByRole('table', { name: /Sync/ }).getByText(/Succeeded/i).first())
    await screenshot(page, 'sync-history')
    await page.goto(`/${ACME}/robots`)
    await visible(page.getByRole('table', { name: /Robots/ }))
    await screenshot(page, 'robots')
    await page.goto(`/${ACME}/api-keys`)
    await page.getByRole('button', { name: 'Create API key' }).first().click()
    await page.getByLabel('Name').fill('Jira webhook')
    await page.getByRole('button', { name: 'Create key' }).click()
    await visible(page.getByText(/bur_/).first())
    await screenshot(page, 'api-key-created')
    await page.getByRole('button', { name: 'Done' }).click()
    ctx.tab.assertClean()
  })

  test('an Account User sees only the processes assigned to them', async () => {
    const { page } = ctx.tab
    const abe = await invite(ctx, page, { email: 'abe@acme.example', name: 'Abe User', role: 'account_user' })
    try {
      const members = await api(page, 'GET', `/accounts/${ACME}/members`)
      const abeID = members.body.items.find((m) => m.email === 'abe@acme.example').user_id
      const procs = (await api(page, 'GET', `/accounts/${ACME}/processes`)).body.items
      assert.ok(procs.length >= 2, 'the simulator has several processes')
      const assigned = await api(page, 'PUT', `/accounts/${ACME}/processes/${procs[1].id}/assignments`, { user_ids: [abeID], group_ids: [] })
      assert.equal(assigned.status, 200, JSON.stringify(assigned.body))

      const ap = abe.page
      await ap.goto(`/${ACME}/processes`)
      const table = ap.getByRole('table', { name: 'Processes' })
      await visible(table.getByRole('link', { name: procs[1].name }))
      assert.equal(await table.getByRole('row').count(), 2, 'a header row and exactly one process')
      const seen = (await api(ap, 'GET', `/accounts/${ACME}/jobs?limit=200`)).body.items
      assert.ok(seen.every((j) => j.process.id === procs[1].id), 'jobs of other processes are hidden')
      await screenshot(ap, 'processes-assigned')
      abe.assertClean()
    } finally {
      await abe.close()
    }
  })
})

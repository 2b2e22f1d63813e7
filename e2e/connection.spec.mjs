// An account's RPA connection against a UiPath simulator process
// (bin/rpasim): the Tenant Admin chooses UiPath Automation Cloud, fills in
// the simulator's address and app credentials, and "Save and test
// connection" succeeds; with a wrong secret the page shows UiPath's own
// refusal. The secret never comes back to the browser.

import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { api, screenshot, startSimulator, useBureau, visible } from './harness.mjs'

const PASSWORD = 'plum orbit canvas tundra 47'

describe('account connection', () => {
  const ctx = useBureau()
  let sim
  before(async () => {
    sim = await startSimulator('uipath-cloud')
  })
  after(async () => {
    await sim?.stop()
  })

  test('the Tenant Admin connects Acme to UiPath and the test succeeds', async () => {
    const { page } = ctx.tab
    await page.goto('/login')
    const setup = await api(page, 'POST', '/setup', {
      tenant_name: 'Northwind Automation', tenant_slug: 'northwind', owner_name: 'Ada Lovelace',
      owner_email: 'ada@northwind.example', owner_password: PASSWORD, account_name: 'Acme Corporation', account_slug: 'acme',
    })
    assert.equal(setup.status, 201)

    await page.goto('/acme')
    await page.getByRole('link', { name: 'Connection' }).first().click()
    await page.waitForURL((u) => u.pathname === '/acme/connection')
    await visible(page.getByRole('heading', { name: 'Connection', level: 1 }))
    await screenshot(page, 'connection-empty')

    await page.getByRole('radio', { name: 'UiPath Automation Cloud' }).click()
    await page.getByLabel('Cloud address').fill(sim.url)
    await page.getByLabel('Organization').fill(sim.settings.organization)
    await page.getByLabel('Tenant').fill(sim.settings.tenant)
    await page.getByLabel('App ID').fill(sim.settings.client_id)
    await page.getByLabel('App secret').fill(sim.secrets.client_secret)
    await page.getByRole('button', { name: 'Save and test connection' }).click()
    await visible(page.getByText('Connection test succeeded'), 30_000)
    await page.evaluate(() => window.scrollTo(0, 0))
    await screenshot(page, 'connection')

    const saved = await api(page, 'GET', '/accounts/acme/connection')
    assert.equal(saved.body.provider, 'uipath-cloud')
    assert.deepEqual(saved.body.secrets_set, ['client_secret'])
    assert.ok(!JSON.stringify(saved.body).includes(sim.secrets.client_secret), 'the secret came back')
    ctx.tab.assertClean()
  })

  test('a wrong secret shows the vendor’s own error and what to do', async () => {
    const { page } = ctx.tab
    await page.reload()
    await page.getByRole('button', { name: 'Replace App secret' }).click()
    await page.getByLabel('App secret').fill(sim.wrong_secrets.client_secret)
    await page.getByRole('button', { name: 'Save and test connection' }).click()
    const result = page.getByTestId('connection-test-result')
    await visible(result, 30_000)
    await visible(result.getByText('invalid_client'))
    await visible(page.getByTestId('connection-test-advice'))
    await page.evaluate(() => window.scrollTo(0, 0))
    await screenshot(page, 'connection-error')
    const text = await result.innerText()
    assert.ok(!text.includes(sim.wrong_secrets.client_secret), 'the secret is on the page')
    ctx.tab.assertClean()
  })
})

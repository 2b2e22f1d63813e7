// The first-start story: setup wizard → signed-in home → sign out → a wrong
// password → sign in → home; plus deep links, the 404 page and the rate limit.

import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { openPage, screenshot, storageSnapshot, useBureau, visible } from './harness.mjs'

const FIRM = 'Northwind Automation'
const OWNER = { name: 'Ada Lovelace', email: 'ada@northwind.example' }
// Long, unrelated words: passes the length rule and the common-password check.
const PASSWORD = 'plum orbit canvas tundra 47'
const CLIENT = 'Acme Corporation'

describe('foundation', () => {
  const ctx = useBureau()

  test('a fresh installation opens the setup wizard, which signs the owner in', async () => {
    const { page } = ctx.tab
    const setup = await (await fetch(`${ctx.server.url}/api/v1/setup`)).json()
    assert.deepEqual(setup, { needed: true })

    await page.goto('/')
    await page.waitForURL('**/setup')
    await visible(page.getByRole('heading', { name: 'Set up Bureau' }))

    // Step 1: the firm. The slug follows the name.
    await page.getByLabel('Firm name').fill(FIRM)
    assert.equal(await page.getByLabel('Firm slug').inputValue(), 'northwind-automation')
    await screenshot(page, 'setup-1-firm')
    await page.getByRole('button', { name: 'Continue' }).click()

    // Step 2: the owner, first with a password the server refuses: it is
    // built from the firm's name (long enough for the client-side check).
    await visible(page.getByRole('heading', { name: 'Your account', level: 2 }))
    await page.getByLabel('Your name').fill(OWNER.name)
    await page.getByLabel('Email').fill(OWNER.email)
    await page.getByLabel(/^Password/).fill('northwindautomation')
    await page.getByLabel('Confirm password').fill('northwindautomation')
    await page.getByRole('button', { name: 'Continue' }).click()

    // Step 3: the first client.
    await visible(page.getByRole('heading', { name: 'First client', level: 2 }))
    await page.getByLabel('Client name').fill(CLIENT)
    assert.equal(await page.getByLabel('Client slug').inputValue(), 'acme-corporation')
    await page.getByRole('button', { name: 'Continue' }).click()
    await visible(page.getByRole('heading', { name: 'Review and create' }))
    await page.getByRole('button', { name: 'Create workspace' }).click()

    // The server's 422 puts the wizard back on the owner step, message on the field.
    await visible(page.getByRole('heading', { name: 'Your account', level: 2 }))
    await visible(page.getByText(/too easy to guess/))
    assert.equal(await page.getByLabel(/^Password/).getAttribute('aria-invalid'), 'true')
    assert.ok(await page.getByLabel(/^Password/).evaluate((el) => el === document.activeElement), 'the refused field has focus')
    await screenshot(page, 'setup-error')

    await page.getByLabel(/^Password/).fill(PASSWORD)
    await page.getByLabel('Confirm password').fill(PASSWORD)
    await screenshot(page, 'setup-2-owner')
    await page.getByRole('button', { name: 'Continue' }).click()

    await visible(page.getByRole('heading', { name: 'First client', level: 2 }))
    assert.equal(await page.getByLabel('Client name').inputValue(), CLIENT)
    await screenshot(page, 'setup-3-client')
    await page.getByRole('button', { name: 'Continue' }).click()

    // Review, then create.
    await visible(page.getByRole('heading', { name: 'Review and create' }))
    await screenshot(page, 'setup-4-review')
    await page.getByRole('button', { name: 'Create workspace' }).click()

    await page.waitForURL((u) => u.pathname === '/', { timeout: 20_000 })
    await visible(page.getByRole('heading', { name: /, Ada$/ }), 20_000)
    await visible(page.getByRole('heading', { name: FIRM }))
    const accounts = page.getByRole('table', { name: 'Client accounts' })
    await visible(accounts.getByRole('cell', { name: CLIENT }))
    await visible(accounts.getByText('acme-corporation'))
    await visible(accounts.getByText('Not connected'))
    await visible(page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Client accounts' }))

    // The session lives in an HttpOnly cookie only: nothing token-like in web storage.
    const storage = await storageSnapshot(page)
    assertNoTokens(storage)
    assert.ok(!/bureau_session/.test(storage.cookie), 'the session cookie must be HttpOnly')

    // Setup is done for good.
    const after = await (await fetch(`${ctx.server.url}/api/v1/setup`)).json()
    assert.deepEqual(after, { needed: false })
    await page.getByRole('button', { name: /Account menu/ }).hover()
    await page.mouse.move(640, 500)
    await screenshot(page, 'home')
    ctx.tab.assertClean()
  })

  test('sign out, a wrong password, then sign in again', async () => {
    const { page } = ctx.tab
    // The user menu works from the keyboard.
    await page.getByRole('button', { name: /Account menu: Ada Lovelace/ }).focus()
    await page.keyboard.press('Enter')
    const menu = page.getByRole('menu')
    await visible(menu.getByText(OWNER.email))
    await visible(menu.getByText('Tenant Admin'))
    await screenshot(page, 'user-menu')
    await menu.getByRole('menuitem', { name: 'Sign out' }).click()

    await page.waitForURL((u) => u.pathname === '/login')
    await visible(page.getByRole('heading', { name: 'Sign in' }))
    await visible(page.getByText('You have signed out.'))
    await screenshot(page, 'login')

    // Signed out for real: the API says so.
    const me = await page.evaluate(async () => (await fetch('/api/v1/me')).status)
    assert.equal(me, 401)

    await page.getByLabel('Email').fill(OWNER.email)
    await page.getByLabel(/^Password/).fill('not the right password at all')
    await page.keyboard.press('Enter')
    await visible(page.getByRole('alert').getByText('Email or password is incorrect.'))
    await screenshot(page, 'login-error')
    assert.equal(new URL(page.url()).pathname, '/login')

    await page.getByLabel(/^Password/).fill(PASSWORD)
    await page.keyboard.press('Enter')
    await page.waitForURL((u) => u.pathname === '/')
    await visible(page.getByRole('heading', { name: /, Ada$/ }))
    await visible(page.getByRole('table', { name: 'Client accounts' }).getByRole('cell', { name: CLIENT }))
    assertNoTokens(await storageSnapshot(page))
    ctx.tab.assertClean()
  })

  test('deep links survive sign-in, and unknown pages get a 404 inside the shell', async () => {
    const { page } = ctx.tab
    await page.goto('/accounts')
    await visible(page.getByRole('heading', { name: 'Client accounts', level: 1 }))
    await visible(page.getByRole('cell', { name: CLIENT }))
    // (screenshots/accounts.png, with several clients, comes from accounts.spec.mjs)

    // Keyboard: Tab reaches the skip link first, then the firm link; focus is visible.
    await page.goto('/')
    await visible(page.getByRole('heading', { name: /, Ada$/ }))
    await page.keyboard.press('Tab')
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Skip to content')
    const focusedLabel = () => page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? '')
    await page.keyboard.press('Tab')
    assert.match(await focusedLabel(), /Northwind Automation: home/)
    await page.keyboard.press('Tab')
    assert.match(await focusedLabel(), /Switch client account/)
    await page.keyboard.press('Tab')
    assert.match(await page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? ''), /Account menu/)
    await screenshot(page, 'focus-user-menu')

    // Narrow screens: the navigation hides behind a burger.
    await page.setViewportSize({ width: 390, height: 844 })
    await visible(page.getByRole('heading', { name: /, Ada$/ }))
    await screenshot(page, 'home-mobile')
    await page.getByRole('button', { name: 'Open navigation' }).click()
    await visible(page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Client accounts' }))
    await screenshot(page, 'nav-mobile')
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Client accounts' }).click()
    await page.waitForURL((u) => u.pathname === '/accounts')
    await page.setViewportSize({ width: 1280, height: 800 })

    await page.goto('/no/such/page')
    await visible(page.getByRole('heading', { name: 'Page not found' }))
    await visible(page.getByRole('navigation', { name: 'Main navigation' }))
    await screenshot(page, 'not-found')

    // A new browser context has no session: the deep link is kept through sign-in.
    const other = await openPage(ctx.browser, ctx.server)
    try {
      await other.page.goto('/accounts')
      await other.page.waitForURL((u) => u.pathname === '/login')
      assert.equal(new URL(other.page.url()).searchParams.get('next'), '/accounts')
      await other.page.getByLabel('Email').fill(OWNER.email)
      await other.page.getByLabel(/^Password/).fill(PASSWORD)
      await other.page.getByRole('button', { name: 'Sign in' }).click()
      await other.page.waitForURL((u) => u.pathname === '/accounts')
      await visible(other.page.getByRole('cell', { name: CLIENT }))

      // The setup wizard is closed now.
      await other.page.goto('/setup')
      await other.page.waitForURL((u) => u.pathname === '/')
      other.assertClean()
    } finally {
      await other.close()
    }
    ctx.tab.assertClean()
  })

  test('the staff sign-in link shown by the wizard signs in to that firm', async () => {
    const other = await openPage(ctx.browser, ctx.server)
    try {
      const { page } = other
      await page.goto('/login?tenant=northwind-automation')
      await visible(page.getByText('Signing in to northwind-automation'))
      await page.getByLabel('Email').fill(OWNER.email)
      await page.getByLabel(/^Password/).fill(PASSWORD)
      await page.getByRole('button', { name: 'Sign in' }).click()
      await page.waitForURL((u) => u.pathname === '/')
      await visible(page.getByRole('heading', { name: FIRM }))
      other.assertClean()
    } finally {
      await other.close()
    }
  })

  test('repeated failures are rate limited with a countdown', async () => {
    const other = await openPage(ctx.browser, ctx.server)
    try {
      const { page } = other
      await page.goto('/login')
      await page.getByLabel('Email').fill('nobody@northwind.example')
      let limited = false
      for (let i = 0; i < 12 && !limited; i++) {
        await page.getByLabel(/^Password/).fill(`wrong password number ${i}`)
        await page.getByRole('button', { name: 'Sign in' }).click()
        const alert = page.getByRole('alert')
        await visible(alert)
        await page.waitForFunction(() => !document.querySelector('button[type=submit][data-loading]'))
        limited = /Too many attempts/.test(await alert.innerText())
      }
      assert.ok(limited, 'the server never answered 429')
      const text = await page.getByRole('alert').innerText()
      assert.match(text, /Too many attempts\. Try again in \d+ seconds?\./)
      assert.ok(await page.getByRole('button', { name: 'Sign in' }).isDisabled())
      await screenshot(page, 'login-rate-limited')
      other.assertClean()
    } finally {
      await other.close()
    }
  })
})

/** assertNoTokens fails when web storage holds anything that looks like a credential. */
function assertNoTokens({ local, session }) {
  for (const [where, store] of [
    ['localStorage', local],
    ['sessionStorage', session],
  ]) {
    for (const [key, value] of Object.entries(store)) {
      assert.ok(!/token|session|csrf|auth|secret|jwt|bearer/i.test(key), `${where} key "${key}" looks like a credential`)
      assert.ok(!/[A-Za-z0-9_\-+/=.]{24,}/.test(String(value)), `${where}["${key}"] holds a token-like value`)
    }
  }
}

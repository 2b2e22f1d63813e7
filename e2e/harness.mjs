// Test harness: runs the real bureau binary on a free port with a fresh data
// directory, and drives Debian's Chromium through playwright-core.
//
//   BUREAU_BIN     the binary (default ../bin/bureau)
//   CHROMIUM_PATH  the browser (default /usr/bin/chromium)
//   E2E_DEBUG=1    print the server's log as it runs

import { after, before } from 'node:test'
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, existsSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'

const here = dirname(fileURLToPath(import.meta.url))

export const SCREENSHOT_DIR = join(here, 'screenshots')
export const VIEWPORT = { width: 1280, height: 800 }

/** freePort asks the OS for a free TCP port on the loopback interface. */
export function freePort() {
  return new Promise((ok, fail) => {
    const srv = createServer()
    srv.unref()
    srv.on('error', fail)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address()
      srv.close(() => ok(port))
    })
  })
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

/**
 * startBureau starts `bureau serve` in a temporary data directory and waits
 * until GET /readyz answers 200. Returns { url, port, dataDir, log(), stop() }.
 */
export async function startBureau({ env = {}, readyTimeoutMs = 30_000 } = {}) {
  const bin = resolve(process.env.BUREAU_BIN || join(here, '..', 'bin', 'bureau'))
  if (!existsSync(bin)) throw new Error(`bureau binary not found at ${bin} (build it with \`make build\`, or set BUREAU_BIN)`)
  const port = await freePort()
  const dataDir = mkdtempSync(join(tmpdir(), 'bureau-e2e-'))
  const url = `http://127.0.0.1:${port}`
  const lines = []
  const child = spawn(bin, ['serve'], {
    cwd: dataDir, // no stray config.yaml from the repository
    env: {
      ...process.env,
      BUREAU_LISTEN: `127.0.0.1:${port}`,
      BUREAU_BASE_URL: url,
      BUREAU_DATA_DIR: dataDir,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const collect = (stream) => (chunk) => {
    for (const line of String(chunk).split('\n')) {
      if (line === '') continue
      lines.push(line)
      if (process.env.E2E_DEBUG) process[stream].write(`[bureau] ${line}\n`)
    }
  }
  child.stdout.on('data', collect('stdout'))
  child.stderr.on('data', collect('stderr'))
  let exited = null
  const exitPromise = new Promise((r) =>
    child.on('exit', (code, signal) => {
      exited = { code, signal }
      r(exited)
    }),
  )

  const log = () => lines.join('\n')
  const stop = async () => {
    if (!exited) {
      child.kill('SIGTERM')
      const t = setTimeout(() => child.kill('SIGKILL'), 10_000)
      await exitPromise
      clearTimeout(t)
    }
    rmSync(dataDir, { recursive: true, force: true })
    return exited
  }

  const deadline = Date.now() + readyTimeoutMs
  for (;;) {
    if (exited) {
      rmSync(dataDir, { recursive: true, force: true })
      throw new Error(`bureau exited before it was ready (${JSON.stringify(exited)}):\n${log()}`)
    }
    try {
      const res = await fetch(`${url}/readyz`)
      if (res.status === 200) break
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop()
      throw new Error(`bureau was not ready within ${readyTimeoutMs} ms:\n${log()}`)
    }
    await sleep(100)
  }
  // The binary embeds frontend/dist at build time: a binary built before the
  // web app was serves a placeholder page, and every browser step would fail.
  const index = await (await fetch(`${url}/`)).text()
  if (!/<script[^>]+src="\/assets\/[^"]+\.js"/.test(index)) {
    await stop()
    throw new Error(`${bin} serves no built web app (GET / has no /assets/*.js script). Rebuild it: \`make build\` (web app first, then the binary).`)
  }
  return { url, port, dataDir, log, stop, get exited() { return exited } }
}

/**
 * startProvider runs bin/devoidc, the stand-alone test identity provider,
 * on a free port, signing in `email` with `groups`. Returns
 * { issuer, client_id, client_secret, stop() }.
 */
export async function startProvider({ email, groups, subject = 'e2e-subject-1' }) {
  const bin = resolve(process.env.DEVOIDC_BIN || join(here, '..', 'bin', 'devoidc'))
  if (!existsSync(bin)) throw new Error(`devoidc not found at ${bin} (make bin/devoidc, or set DEVOIDC_BIN)`)
  const port = await freePort()
  return spawnJSON('devoidc', bin, ['-addr', `127.0.0.1:${port}`, '-email', email, '-groups', groups, '-subject', subject])
}

/**
 * startSimulator runs bin/rpasim, a vendor simulator with sample data, on a
 * free port. Returns { provider, url, settings, secrets, wrong_secrets, stop() }.
 */
export async function startSimulator(provider, extraArgs = []) {
  const bin = resolve(process.env.RPASIM_BIN || join(here, '..', 'bin', 'rpasim'))
  if (!existsSync(bin)) throw new Error(`rpasim not found at ${bin} (make bin/rpasim, or set RPASIM_BIN)`)
  const port = await freePort()
  return spawnJSON('rpasim', bin, ['-listen', `127.0.0.1:${port}`, ...extraArgs, provider])
}

/**
 * spawnJSON starts a helper process that prints one JSON line when it is
 * ready; it returns that object with stop().
 */
async function spawnJSON(name, bin, args) {
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] })
  const info = await new Promise((ok, fail) => {
    let out = ''
    const t = setTimeout(() => fail(new Error(`${name} did not start: ${out}`)), 15_000)
    child.stdout.on('data', (chunk) => {
      out += String(chunk)
      const line = out.split('\n').find((l) => l.startsWith('{'))
      if (line) {
        clearTimeout(t)
        ok(JSON.parse(line))
      }
    })
    child.on('exit', (code) => fail(new Error(`${name} exited with ${code}: ${out}`)))
  })
  const stop = () =>
    new Promise((r) => {
      if (child.exitCode !== null) return r()
      child.on('exit', r)
      child.kill('SIGTERM')
    })
  return { ...info, stop }
}

/** launchChromium starts a headless Chromium that talks to nothing but the test server. */
export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
}

/**
 * openPage opens a fresh browser context (its own cookies) at 1280×800 and
 * watches it: uncaught page errors and Content-Security-Policy violations are
 * problems that fail the test (call `assertClean()`); other console errors are
 * kept for the report (a 401 from /api/v1/me is normal when signed out).
 */
export async function openPage(browser, server) {
  const context = await browser.newContext({ viewport: VIEWPORT, baseURL: server.url, locale: 'en-US', timezoneId: 'UTC' })
  context.setDefaultTimeout(10_000)
  const page = await context.newPage()
  const problems = []
  const consoleErrors = []

  await context.exposeBinding('__bureauCspViolation', (_src, v) => {
    problems.push(`CSP violation: ${v.directive} blocked ${v.blocked} (${v.source})`)
  })
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__bureauCspViolation({
        directive: e.violatedDirective,
        blocked: e.blockedURI,
        source: `${e.sourceFile || ''}:${e.lineNumber || ''}`,
      })
    })
  })
  page.on('pageerror', (err) => problems.push(`uncaught page error: ${err.stack || err.message}`))
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return
    const text = msg.text()
    if (/Content Security Policy/i.test(text)) problems.push(`CSP (console): ${text}`)
    else consoleErrors.push(text)
  })

  return {
    page,
    context,
    problems,
    consoleErrors,
    /** assertClean throws when the page had a CSP violation or an uncaught error. */
    assertClean() {
      if (problems.length > 0) {
        throw new Error(`browser problems:\n  ${problems.join('\n  ')}\nother console errors:\n  ${consoleErrors.join('\n  ')}`)
      }
    },
    close: () => context.close(),
  }
}

/** screenshot saves the viewport (1280×800) as e2e/screenshots/<name>.png. */
export async function screenshot(page, name) {
  mkdirSync(SCREENSHOT_DIR, { recursive: true })
  // Let transitions and fonts settle so pictures are stable.
  await page.evaluate(() => document.fonts?.ready)
  await page.waitForTimeout(350)
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), animations: 'disabled', caret: 'hide' })
}

/** visible waits until the locator shows, with a readable failure. */
export async function visible(locator, timeout = 10_000) {
  await locator.first().waitFor({ state: 'visible', timeout })
  return locator
}

/** storageSnapshot returns localStorage and sessionStorage of the page as plain objects. */
export function storageSnapshot(page) {
  return page.evaluate(() => {
    const dump = (s) => Object.fromEntries(Array.from({ length: s.length }, (_, i) => [s.key(i), s.getItem(s.key(i))]))
    return { local: dump(window.localStorage), session: dump(window.sessionStorage), cookie: document.cookie }
  })
}

// useBureau registers, in the calling describe block, a fresh server, a
// Chromium and one page for the suite, and tears them down afterwards. The
// returned object is filled in once the suite's `before` hook has run.
export function useBureau() {
  const ctx = {}
  before(async () => {
    ctx.server = await startBureau()
    ctx.browser = await launchChromium()
    ctx.tab = await openPage(ctx.browser, ctx.server)
  })
  after(async () => {
    // Not failures (a 401 from /api/v1/me is how a signed-out page learns it), but worth seeing.
    for (const e of ctx.tab?.consoleErrors ?? []) console.log(`browser console: ${e}`)
    await ctx.tab?.close()
    await ctx.browser?.close()
    const exit = await ctx.server?.stop()
    if (exit && exit.signal !== 'SIGTERM' && exit.code !== 0) {
      console.error(`bureau exited with ${JSON.stringify(exit)}:\n${ctx.server.log()}`)
    }
  })
  return ctx
}

/** api calls the API from the page: same origin, the session cookie, the CSRF token. */
export function api(page, method, path, body) {
  return page.evaluate(
    async ({ method, path, body }) => {
      const headers = { 'Content-Type': 'application/json' }
      if (method !== 'GET') {
        const { token } = await (await fetch('/api/v1/auth/csrf')).json()
        headers['X-CSRF-Token'] = token
      }
      const res = await fetch('/api/v1' + path, { method, headers, body: method === 'GET' ? undefined : JSON.stringify(body ?? {}) })
      const text = await res.text()
      return { status: res.status, body: text ? JSON.parse(text) : null }
    },
    { method, path, body },
  )
}

import { vi } from 'vitest'

/**
 * mockLocation replaces window.location (jsdom's cannot be spied on) with a
 * copy whose assign, replace and reload are mocks, for code that leaves the
 * app (single sign-on, the provider's sign-out page). Undone after each test
 * (unstubGlobals).
 */
export function mockLocation() {
  const assign = vi.fn<(url: string | URL) => void>()
  const replace = vi.fn<(url: string | URL) => void>()
  const reload = vi.fn<() => void>()
  vi.stubGlobal('location', { ...window.location, assign, replace, reload })
  return { assign, replace, reload }
}

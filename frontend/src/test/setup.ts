import '@testing-library/jest-dom/vitest'
import { cleanup, configure } from '@testing-library/react'
import { notifications } from '@mantine/notifications'
import { afterEach } from 'vitest'

// Mantine reads these browser APIs, which jsdom does not implement.
// The person prefers reduced motion (see test/theme.ts): no animations to wait for.
if (!window.matchMedia) {
  Object.defineProperty(window, 'matchMedia', {
    writable: true,
    value: (query: string) => ({
      matches: /\(prefers-reduced-motion:\s*reduce\)/.test(query),
      media: query,
      onchange: null,
      addListener: () => {},
      removeListener: () => {},
      addEventListener: () => {},
      removeEventListener: () => {},
      dispatchEvent: () => false,
    }),
  })
}

class ResizeObserverStub {
  observe() {}
  unobserve() {}
  disconnect() {}
}
if (!('ResizeObserver' in window)) {
  Object.defineProperty(window, 'ResizeObserver', { writable: true, value: ResizeObserverStub })
}

if (!Element.prototype.scrollIntoView) {
  Element.prototype.scrollIntoView = () => {}
}

// Autosizing textareas listen for web fonts loading.
if (!('fonts' in document)) {
  Object.defineProperty(document, 'fonts', {
    value: { addEventListener: () => {}, removeEventListener: () => {}, ready: Promise.resolve() },
  })
}

Object.defineProperty(window, 'scrollTo', { writable: true, value: () => {} })

// findBy*/waitFor give up after this long. The first mount of the whole app in
// a worker (boot, /setup, /me, then the page, all in React's development
// build) can take more than the default second when the machine is busy.
// Waits end as soon as their condition holds, so passing tests are not slower.
configure({ asyncUtilTimeout: 3000 })

afterEach(() => {
  cleanup()
  // The notifications store is global: one test's messages must not fill the next one's queue.
  notifications.clean()
  notifications.cleanQueue()
  // Files share a worker (isolate: false): one test's remembered firm must not prefill the next one's.
  window.localStorage.clear()
})

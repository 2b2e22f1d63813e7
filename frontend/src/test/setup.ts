import '@testing-library/jest-dom/vitest'
import { cleanup } from '@testing-library/react'
import { notifications } from '@mantine/notifications'
import { afterEach } from 'vitest'

// Mantine reads these browser APIs, which jsdom does not implement.
if (!window.matchMedia) {
  Object.defineProperty(window, 'matchMedia', {
    writable: true,
    value: (query: string) => ({
      matches: false,
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

afterEach(() => {
  cleanup()
  // The notifications store is global: one test's messages must not fill the next one's queue.
  notifications.clean()
  notifications.cleanQueue()
})

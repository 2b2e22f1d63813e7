import { render } from '@testing-library/react'
import { createMemoryRouter, Route, RouterProvider, Routes, useLocation } from 'react-router'
import { resetClientForTests } from '../api/client'
import { AppProviders, createQueryClient } from '../AppProviders'
import { AppRoutes } from '../AppRoutes'
import { sessionFlags } from '../lib/session'
import { testTheme } from './theme'

// The app loads most pages on demand (React.lazy). Load them all now, with the
// test file, so that no test spends its waiting time (findBy*: 1 s) on a
// page's first import, which on a busy machine can take longer than that.
import.meta.glob(['../pages/**/*.tsx', '../components/**/*.tsx', '!**/*.test.tsx'], { eager: true })

/** Shows where the router is, for assertions on redirects. */
function LocationProbe() {
  const l = useLocation()
  return (
    <div data-testid="location" hidden>
      {l.pathname + l.search}
    </div>
  )
}

/** renderApp mounts the whole app at `path` (fetch must be mocked first). */
export function renderApp(path = '/', state?: unknown) {
  resetClientForTests()
  sessionFlags.reset()
  const queryClient = createQueryClient({ retryDelay: 5 })
  const [pathname, search] = path.split('?')
  const router = createMemoryRouter(
    [
      {
        path: '*',
        element: (
          <>
            <AppRoutes />
            <Routes>
              <Route path="*" element={<LocationProbe />} />
            </Routes>
          </>
        ),
      },
    ],
    { initialEntries: [{ pathname, search: search ? '?' + search : '', state }] },
  )
  const utils = render(
    <AppProviders queryClient={queryClient} env="test" theme={testTheme}>
      <RouterProvider router={router} />
    </AppProviders>,
  )
  return { ...utils, queryClient, router }
}

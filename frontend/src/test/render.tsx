import { render } from '@testing-library/react'
import { createMemoryRouter, Route, RouterProvider, Routes, useLocation } from 'react-router'
import { resetClientForTests } from '../api/client'
import { AppProviders, createQueryClient } from '../AppProviders'
import { AppRoutes } from '../AppRoutes'
import { sessionFlags } from '../lib/session'

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
    <AppProviders queryClient={queryClient} env="test">
      <RouterProvider router={router} />
    </AppProviders>,
  )
  return { ...utils, queryClient, router }
}

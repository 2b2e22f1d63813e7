import { render } from '@testing-library/react'
import { MemoryRouter, Route, Routes, useLocation } from 'react-router'
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
  const utils = render(
    <AppProviders queryClient={queryClient} env="test">
      <MemoryRouter initialEntries={[{ pathname: path.split('?')[0], search: path.includes('?') ? '?' + path.split('?')[1] : '', state }]}>
        <AppRoutes />
        <Routes>
          <Route path="*" element={<LocationProbe />} />
        </Routes>
      </MemoryRouter>
    </AppProviders>,
  )
  return { ...utils, queryClient }
}

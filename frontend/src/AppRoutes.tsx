import { lazy, Suspense } from 'react'
import { Route, Routes } from 'react-router'
import { AppLayout } from './components/AppLayout'
import { BootGate } from './components/BootGate'
import { RequireAuth } from './components/RequireAuth'
import { AccountsPage } from './pages/AccountsPage'
import { HomePage } from './pages/HomePage'
import { LoginPage } from './pages/LoginPage'
import { NotFoundPage } from './pages/NotFoundPage'
import { FullPageLoader } from './components/FullPageLoader'

// The wizard runs once per installation: load it (and its form code) only then.
const SetupPage = lazy(() => import('./pages/SetupPage').then((m) => ({ default: m.SetupPage })))

/**
 * The route table. /setup and /login stand alone; everything else is inside
 * the signed-in shell. Account pages will live at /:accountSlug/… (slugs
 * never collide with these words: the server reserves them).
 */
export function AppRoutes() {
  return (
    <Routes>
      <Route element={<BootGate />}>
        <Route
          path="/setup"
          element={
            <Suspense fallback={<FullPageLoader />}>
              <SetupPage />
            </Suspense>
          }
        />
        <Route path="/login" element={<LoginPage />} />
        <Route
          element={
            <RequireAuth>
              <AppLayout />
            </RequireAuth>
          }
        >
          <Route index element={<HomePage />} />
          <Route path="accounts" element={<AccountsPage />} />
          <Route path="*" element={<NotFoundPage />} />
        </Route>
      </Route>
    </Routes>
  )
}

import { lazy, Suspense } from 'react'
import { Navigate, Route, Routes } from 'react-router'
import { AppLayout } from './components/AppLayout'
import { BootGate } from './components/BootGate'
import { FullPageLoader } from './components/FullPageLoader'
import { useCan } from './components/meContext'
import { RequireAuth } from './components/RequireAuth'
import { AccountLayout } from './pages/account/AccountLayout'
import { AccountOverviewPage } from './pages/account/AccountOverviewPage'
import { AccountsPage } from './pages/AccountsPage'
import { HomePage } from './pages/HomePage'
import { LoginPage } from './pages/LoginPage'
import { NotFoundPage } from './pages/NotFoundPage'
import { PageLoader } from './components/PageLoader'

// The wizard runs once per installation: load it (and its form code) only then.
const SetupPage = lazy(() => import('./pages/SetupPage').then((m) => ({ default: m.SetupPage })))
// Visited now and then: loaded on first use, so the shell starts fast.
const LicensePage = lazy(() => import('./pages/LicensePage').then((m) => ({ default: m.LicensePage })))
const AccountSettingsPage = lazy(() =>
  import('./pages/account/AccountSettingsPage').then((m) => ({ default: m.AccountSettingsPage })),
)

/** /settings has one page so far: the plan. */
function SettingsIndex() {
  const canUsage = useCan('tenant:usage')
  return canUsage ? <Navigate to="/settings/license" replace /> : <NotFoundPage />
}

/**
 * The route table. /setup and /login stand alone; everything else is inside
 * the signed-in shell. Account pages live at /:accountSlug/… — slugs never
 * collide with the shell's own words (accounts, settings, …): the server
 * reserves them.
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
          <Route path="settings" element={<SettingsIndex />} />
          <Route
            path="settings/license"
            element={
              <Suspense fallback={<PageLoader />}>
                <LicensePage />
              </Suspense>
            }
          />
          <Route path=":accountSlug" element={<AccountLayout />}>
            <Route index element={<AccountOverviewPage />} />
            <Route
              path="settings"
              element={
                <Suspense fallback={<PageLoader />}>
                  <AccountSettingsPage />
                </Suspense>
              }
            />
            <Route path="*" element={<NotFoundPage />} />
          </Route>
          <Route path="*" element={<NotFoundPage />} />
        </Route>
      </Route>
    </Routes>
  )
}

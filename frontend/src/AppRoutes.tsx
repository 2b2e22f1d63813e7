import { lazy, Suspense, type ComponentType } from 'react'
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
import { ForgotPasswordPage } from './pages/ForgotPasswordPage'
import { InvitePage } from './pages/InvitePage'
import { ResetPasswordPage } from './pages/ResetPasswordPage'
import { NotFoundPage } from './pages/NotFoundPage'
import { PageLoader } from './components/PageLoader'

// The wizard runs once per installation: load it (and its form code) only then.
const SetupPage = lazy(() => import('./pages/SetupPage').then((m) => ({ default: m.SetupPage })))
// Visited now and then: loaded on first use, so the shell starts fast.
const LicensePage = lazy(() => import('./pages/LicensePage').then((m) => ({ default: m.LicensePage })))
const ProfilePage = lazy(() => import('./pages/ProfilePage').then((m) => ({ default: m.ProfilePage })))
const StaffPage = lazy(() => import('./pages/StaffPage').then((m) => ({ default: m.StaffPage })))
const OutboxPage = lazy(() => import('./pages/OutboxPage').then((m) => ({ default: m.OutboxPage })))
const FirmSettingsPage = lazy(() => import('./pages/FirmSettingsPage').then((m) => ({ default: m.FirmSettingsPage })))
const SsoSettingsPage = lazy(() => import('./pages/SsoSettingsPage').then((m) => ({ default: m.SsoSettingsPage })))
const AccountSettingsPage = lazy(() =>
  import('./pages/account/AccountSettingsPage').then((m) => ({ default: m.AccountSettingsPage })),
)
const MembersPage = lazy(() => import('./pages/account/MembersPage').then((m) => ({ default: m.MembersPage })))
const GroupsPage = lazy(() => import('./pages/account/GroupsPage').then((m) => ({ default: m.GroupsPage })))
const ConnectionPage = lazy(() =>
  import('./pages/account/ConnectionPage').then((m) => ({ default: m.ConnectionPage })),
)
const ApiKeysPage = lazy(() => import('./pages/account/ApiKeysPage').then((m) => ({ default: m.ApiKeysPage })))
// The account's estate (processes, jobs, robots, schedules, syncs, run requests).
const ProcessesPage = lazy(() => import('./pages/account/ProcessesPage').then((m) => ({ default: m.ProcessesPage })))
const JobsPage = lazy(() => import('./pages/account/JobsPage').then((m) => ({ default: m.JobsPage })))
const JobDetailPage = lazy(() => import('./pages/account/JobDetailPage').then((m) => ({ default: m.JobDetailPage })))
const RobotsPage = lazy(() => import('./pages/account/RobotsPage').then((m) => ({ default: m.RobotsPage })))
const SchedulesPage = lazy(() => import('./pages/account/SchedulesPage').then((m) => ({ default: m.SchedulesPage })))
const SyncRunsPage = lazy(() => import('./pages/account/SyncRunsPage').then((m) => ({ default: m.SyncRunsPage })))
const RunRequestsPage = lazy(() => import('./pages/account/RunRequestsPage').then((m) => ({ default: m.RunRequestsPage })))

/** /settings opens the first firm settings page the person may see. */
function SettingsIndex() {
  const canFirm = useCan('tenant:update')
  const canUsage = useCan('tenant:usage')
  const canStaff = useCan('staff:manage')
  const canSso = useCan('tenant:sso')
  const canOutbox = useCan('tenant:outbox')
  if (canFirm) return <Navigate to="/settings/firm" replace />
  if (canUsage) return <Navigate to="/settings/license" replace />
  if (canStaff) return <Navigate to="/settings/staff" replace />
  if (canSso) return <Navigate to="/settings/sso" replace />
  if (canOutbox) return <Navigate to="/settings/outbox" replace />
  return <NotFoundPage />
}

/** lazyPage shows a page loaded on first use, with the in-shell loader meanwhile. */
function lazyPage(Page: ComponentType) {
  return (
    <Suspense fallback={<PageLoader />}>
      <Page />
    </Suspense>
  )
}

/**
 * The route table. /setup, /login and the other public pages (password reset,
 * invitations) stand alone; everything else is inside
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
        <Route path="/forgot-password" element={<ForgotPasswordPage />} />
        <Route path="/reset-password/:token" element={<ResetPasswordPage />} />
        <Route path="/invite/:token" element={<InvitePage />} />
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
          <Route path="settings/staff" element={lazyPage(StaffPage)} />
          <Route path="settings/outbox" element={lazyPage(OutboxPage)} />
          <Route path="settings/firm" element={lazyPage(FirmSettingsPage)} />
          <Route path="settings/sso" element={lazyPage(SsoSettingsPage)} />
          <Route path="profile" element={lazyPage(ProfilePage)} />
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
            <Route
              path="members"
              element={
                <Suspense fallback={<PageLoader />}>
                  <MembersPage />
                </Suspense>
              }
            />
            <Route
              path="groups"
              element={
                <Suspense fallback={<PageLoader />}>
                  <GroupsPage />
                </Suspense>
              }
            />
            <Route
              path="connection"
              element={
                <Suspense fallback={<PageLoader />}>
                  <ConnectionPage />
                </Suspense>
              }
            />
            <Route path="api-keys" element={lazyPage(ApiKeysPage)} />
            <Route path="processes" element={lazyPage(ProcessesPage)} />
            <Route path="jobs" element={lazyPage(JobsPage)} />
            <Route path="jobs/:jobId" element={lazyPage(JobDetailPage)} />
            <Route path="robots" element={lazyPage(RobotsPage)} />
            <Route path="schedules" element={lazyPage(SchedulesPage)} />
            <Route path="sync-runs" element={lazyPage(SyncRunsPage)} />
            <Route path="run-requests" element={lazyPage(RunRequestsPage)} />
            <Route path="*" element={<NotFoundPage />} />
          </Route>
          <Route path="*" element={<NotFoundPage />} />
        </Route>
      </Route>
    </Routes>
  )
}

import { Navigate, Outlet, useLocation } from 'react-router'
import { useSetupStatus } from '../api/queries'
import { ErrorState } from './ErrorState'
import { FullPageLoader } from './FullPageLoader'

/**
 * BootGate asks once whether Bureau still needs its first-start setup. While
 * it does, every page leads to the setup wizard.
 */
export function BootGate() {
  const setup = useSetupStatus()
  const location = useLocation()

  if (setup.isPending) return <FullPageLoader />
  if (setup.isError) {
    return (
      <ErrorState
        fullPage
        title="Bureau is not answering"
        error={setup.error}
        onRetry={() => void setup.refetch()}
        retrying={setup.isFetching}
      />
    )
  }
  if (setup.data.needed && location.pathname !== '/setup') return <Navigate to="/setup" replace />
  return <Outlet />
}

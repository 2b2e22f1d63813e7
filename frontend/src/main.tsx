import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { createBrowserRouter, RouterProvider } from 'react-router'
import './styles'
import { AppProviders, createQueryClient } from './AppProviders'
import { AppRoutes } from './AppRoutes'

const queryClient = createQueryClient()

// A data router (for useBlocker: unsaved-changes prompts) around the
// declarative route table.
const router = createBrowserRouter([{ path: '*', element: <AppRoutes /> }])

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <AppProviders queryClient={queryClient}>
      <RouterProvider router={router} />
    </AppProviders>
  </StrictMode>,
)

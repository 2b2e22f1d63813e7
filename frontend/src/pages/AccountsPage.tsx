import { Badge, Button, Group, SegmentedControl, Stack, TextInput, Title, VisuallyHidden, CloseButton } from '@mantine/core'
import { useDisclosure, useDocumentTitle } from '@mantine/hooks'
import { IconPlus, IconSearch } from '@tabler/icons-react'
import { lazy, Suspense, useState } from 'react'
import { Navigate, useSearchParams } from 'react-router'
import { useAccounts } from '../api/queries'
import { AccountsTable } from '../components/AccountsTable'
import { useCan, useCurrentMe } from '../components/meContext'
import { PlanUsageLine } from '../components/PlanUsage'
import { isStatusFilter, type StatusFilter } from '../lib/accountsList'
import { NotFoundPage } from './NotFoundPage'

const loadCreateModal = () => import('../components/CreateAccountModal')
const CreateAccountModal = lazy(() => loadCreateModal().then((m) => ({ default: m.CreateAccountModal })))

/** /accounts: every client account the person may see, with search, status filter and sorting. */
export function AccountsPage() {
  const me = useCurrentMe()
  const canList = useCan('accounts:list')
  const canCreate = useCan('accounts:create')
  const accounts = useAccounts(canList)
  const [params, setParams] = useSearchParams()
  const [creating, create] = useDisclosure(false)
  // The dialog's code loads on first use (or when the pointer nears the button).
  const [dialogLoaded, setDialogLoaded] = useState(false)
  const openCreate = () => {
    setDialogLoaded(true)
    create.open()
  }
  useDocumentTitle(`Client accounts · ${me.tenant.branding?.display_name?.trim() || me.tenant.name}`)
  if (!canList) return <NotFoundPage />
  // An account-level person has one account, never a list of them: theirs is their home.
  const own = me.membership.account
  if (own) return <Navigate to={`/${encodeURIComponent(own.slug)}`} replace />

  const query = params.get('q') ?? ''
  const rawStatus = params.get('status')
  const status: StatusFilter = isStatusFilter(rawStatus) ? rawStatus : 'all'
  const set = (key: string, value: string) => {
    setParams(
      (p) => {
        const n = new URLSearchParams(p)
        if (value === '' || (key === 'status' && value === 'all')) n.delete(key)
        else n.set(key, value)
        return n
      },
      { replace: true },
    )
  }

  const items = accounts.data?.items
  const total = items?.length
  const counts = {
    all: total,
    active: items?.filter((a) => a.status === 'active').length,
    deactivated: items?.filter((a) => a.status === 'deactivated').length,
  }
  const label = (s: StatusFilter, text: string) => (
    <span className="seg-label">
      {text}
      {counts[s] !== undefined && <span className="seg-count">{counts[s]}</span>}
    </span>
  )

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-start" gap="md">
        <Stack gap={6}>
          <Group gap="sm" align="center">
            <Title order={1} fz={28}>
              Client accounts
            </Title>
            {total !== undefined && (
              <Badge variant="light" color="gray" size="lg" radius="xl" aria-label={`${total} accounts`}>
                {total}
              </Badge>
            )}
          </Group>
          <PlanUsageLine />
        </Stack>
        {canCreate && (
          <Button
            leftSection={<IconPlus size={16} aria-hidden />}
            onClick={openCreate}
            onPointerEnter={() => void loadCreateModal()}
            onFocus={() => void loadCreateModal()}
          >
            New client account
          </Button>
        )}
      </Group>

      {total !== 0 && (
        <Group gap="md" justify="space-between" wrap="wrap" role="search" aria-label="Filter accounts">
          <TextInput
            value={query}
            onChange={(e) => set('q', e.currentTarget.value)}
            placeholder="Search by name, slug or reference"
            aria-label="Search accounts"
            leftSection={<IconSearch size={16} aria-hidden />}
            rightSection={query ? <CloseButton size="sm" aria-label="Clear search" onClick={() => set('q', '')} /> : undefined}
            w={{ base: '100%', sm: 360 }}
          />
          <div>
            <VisuallyHidden id="status-filter-label">Status</VisuallyHidden>
            <SegmentedControl
              // Remount when the counts change: the indicator measures its labels.
              key={`${counts.all}-${counts.active}-${counts.deactivated}`}
              aria-labelledby="status-filter-label"
              value={status}
              onChange={(v) => set('status', v)}
              data={[
                { value: 'all', label: label('all', 'All') },
                { value: 'active', label: label('active', 'Active') },
                { value: 'deactivated', label: label('deactivated', 'Deactivated') },
              ]}
              radius="md"
            />
          </div>
        </Group>
      )}

      <AccountsTable
        query={query}
        status={status}
        onCreate={canCreate ? openCreate : undefined}
        onClearFilters={() => setParams(new URLSearchParams(), { replace: true })}
      />
      {canCreate && dialogLoaded && (
        <Suspense fallback={null}>
          <CreateAccountModal opened={creating} onClose={create.close} />
        </Suspense>
      )}
    </Stack>
  )
}

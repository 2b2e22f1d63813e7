import { Badge, Group, Stack, Text, Title } from '@mantine/core'
import { useDocumentTitle } from '@mantine/hooks'
import { useAccounts } from '../api/queries'
import { AccountsTable } from '../components/AccountsTable'
import { useCan, useCurrentMe } from '../components/meContext'
import { NotFoundPage } from './NotFoundPage'

/** /accounts: every client account the person may see. */
export function AccountsPage() {
  const me = useCurrentMe()
  const canList = useCan('accounts:list')
  const accounts = useAccounts(canList)
  useDocumentTitle(`Client accounts · ${me.tenant.branding?.display_name?.trim() || me.tenant.name}`)
  if (!canList) return <NotFoundPage />
  const count = accounts.data?.items.length

  return (
    <Stack gap="lg">
      <Stack gap={4}>
        <Group gap="sm" align="center">
          <Title order={1} fz={28}>
            Client accounts
          </Title>
          {count !== undefined && (
            <Badge variant="light" color="gray" size="lg" radius="xl" aria-label={`${count} accounts`}>
              {count}
            </Badge>
          )}
        </Group>
        <Text c="dimmed">Every client of {me.tenant.name} has its own isolated account: its people, connection and data.</Text>
      </Stack>
      <AccountsTable />
    </Stack>
  )
}

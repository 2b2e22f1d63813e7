import { Anchor, Button, Grid, Group, MultiSelect, Paper, Select, SimpleGrid, Stack, Table, Text, TextInput } from '@mantine/core'
import { IconDownload, IconFilterOff, IconListDetails } from '@tabler/icons-react'
import { Link, useSearchParams } from 'react-router'
import { isApiError } from '../../api/client'
import {
  isActiveState,
  JOB_STATES,
  jobsCsvUrl,
  rowsOf,
  useCursorList,
  useProcessChoices,
  useRobotChoices,
  type Job,
} from '../../api/estate'
import { EmptyPanel, EstateTable, ListError, LoadMore } from '../../components/EstateTable'
import { JOB_STATE_LABELS, JobStateBadge } from '../../components/JobStateBadge'
import { useCan, useCurrentMe } from '../../components/meContext'
import { SyncNowButton } from '../../components/SyncNowButton'
import { TimeAgo } from '../../components/TimeAgo'
import {
  dateRangeProblem,
  hasJobFilters,
  jobDuration,
  jobFiltersFrom,
  jobFiltersSearch,
  jobsApiParams,
  NO_JOB_FILTERS,
  type JobFilters,
} from '../../lib/estate'
import { NotFoundPage } from '../NotFoundPage'
import { AccountHeader, DeactivatedBanner } from './AccountLayout'
import { useAccountContext } from './accountContext'
import { onlyAssigned, useSectionTitle } from './estateCommon'
import { FormProblem } from '../../components/FormProblem'

/** /:accountSlug/jobs — every run of the account's processes, filtered through the address bar. */
export function JobsPage() {
  const { account } = useAccountContext()
  const me = useCurrentMe()
  const canRead = useCan('data:read')
  const [sp, setSp] = useSearchParams()
  const filters = jobFiltersFrom(sp)
  const rangeProblem = dateRangeProblem(filters)
  const apiParams = jobsApiParams(filters)
  const list = useCursorList<Job>(account.slug, 'jobs', Object.fromEntries(apiParams), {
    enabled: canRead && !rangeProblem,
    // A started run is seen finishing: refresh while a job shown has not ended.
    pollWhile: (items) => items.some((j) => isActiveState(j.state)),
  })
  useSectionTitle('Jobs', account)

  if (!canRead) return <NotFoundPage />
  const rows = rowsOf(list.data)
  const filtered = hasJobFilters(filters)
  const setFilters = (f: JobFilters) => setSp(jobFiltersSearch(f), { replace: true })
  const clear = () => setFilters(NO_JOB_FILTERS)
  const invalid = list.isError && isApiError(list.error) && list.error.code === 'filter_invalid'

  return (
    <Stack gap="lg">
      <AccountHeader
        account={account}
        section="Jobs"
        actions={
          <Button
            component="a"
            href={jobsCsvUrl(account.slug, apiParams)}
            download
            variant="default"
            leftSection={<IconDownload size={16} aria-hidden />}
          >
            Export CSV
          </Button>
        }
      />
      <DeactivatedBanner account={account} />
      <Filters account={account.slug} filters={filters} onChange={setFilters} rangeProblem={rangeProblem} onClear={clear} />

      {invalid ? (
        <FormProblem title="These filters are not valid">
          <Stack gap="xs" align="flex-start">
            <Text size="sm">{isApiError(list.error) ? list.error.detail : ''}</Text>
            <Button size="xs" variant="light" color="red" onClick={clear}>
              Clear filters
            </Button>
          </Stack>
        </FormProblem>
      ) : list.isError ? (
        <ListError query={list} title="Could not load the jobs" />
      ) : rangeProblem ? null : rows && rows.length === 0 ? (
        filtered ? (
          <EmptyPanel
            icon={<IconFilterOff size={26} stroke={1.6} aria-hidden />}
            title="No jobs match these filters"
            actions={
              <Button variant="light" onClick={clear}>
                Clear filters
              </Button>
            }
          >
            Widen the dates or choose other states, processes or robots.
          </EmptyPanel>
        ) : (
          <EmptyPanel
            icon={<IconListDetails size={26} stroke={1.6} aria-hidden />}
            title="No jobs yet"
            actions={<SyncNowButton account={account.slug} variant="filled" />}
          >
            {onlyAssigned(me)
              ? 'Jobs of the processes assigned to you show here as they run.'
              : 'Jobs show here once the account is connected and synced, as its robots run its processes, or when someone runs a process from the Processes page.'}
          </EmptyPanel>
        )
      ) : (
        <>
          <JobTable slug={account.slug} rows={rows} />
          <LoadMore
            shown={rows?.length ?? 0}
            noun={['job', 'jobs']}
            hasMore={!!list.hasNextPage}
            loading={list.isFetchingNextPage}
            onMore={() => void list.fetchNextPage()}
          />
        </>
      )}
    </Stack>
  )
}

const STATE_OPTIONS = JOB_STATES.map((s) => ({ value: s, label: JOB_STATE_LABELS[s] }))

function Filters({
  account,
  filters,
  onChange,
  onClear,
  rangeProblem,
}: {
  account: string
  filters: JobFilters
  onChange: (f: JobFilters) => void
  onClear: () => void
  rangeProblem: string | null
}) {
  const processes = useProcessChoices(account)
  const robots = useRobotChoices(account)
  const processOptions = (processes.data ?? []).map((p) => ({ value: p.id, label: p.name }))
  const robotOptions = (robots.data ?? []).map((r) => ({ value: r.ref, label: r.name || r.ref }))
  // A filter from a link (a process not in the first 200) still shows as chosen.
  if (filters.process && !processOptions.some((o) => o.value === filters.process)) {
    processOptions.unshift({ value: filters.process, label: processes.isPending ? 'Loading…' : 'Chosen process' })
  }
  if (filters.robot && !robotOptions.some((o) => o.value === filters.robot)) robotOptions.unshift({ value: filters.robot, label: filters.robot })
  const set = (patch: Partial<JobFilters>) => onChange({ ...filters, ...patch })

  return (
    <Paper withBorder p="md" role="search" aria-label="Filter jobs">
      <Grid gap="sm">
        <Grid.Col span={{ base: 12, sm: 6, lg: 3 }}>
          <MultiSelect
            label="State"
            placeholder={filters.states.length ? undefined : 'Any state'}
            data={STATE_OPTIONS}
            value={filters.states}
            onChange={(v) => set({ states: v as JobFilters['states'] })}
            clearable
            clearButtonProps={{ 'aria-label': 'Clear states' }}
            comboboxProps={{ withinPortal: true }}
          />
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 6, lg: 3 }}>
          <Select
            label="Process"
            placeholder="Any process"
            data={processOptions}
            value={filters.process || null}
            onChange={(v) => set({ process: v ?? '' })}
            searchable
            clearable
            clearButtonProps={{ 'aria-label': 'Clear process' }}
            nothingFoundMessage="No process with that name"
            comboboxProps={{ withinPortal: true }}
          />
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 6, lg: 2 }}>
          <Select
            label="Robot"
            placeholder="Any robot"
            data={robotOptions}
            value={filters.robot || null}
            onChange={(v) => set({ robot: v ?? '' })}
            searchable
            clearable
            clearButtonProps={{ 'aria-label': 'Clear robot' }}
            nothingFoundMessage="No robot with that name"
            comboboxProps={{ withinPortal: true }}
          />
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 6, lg: 4 }}>
          <SimpleGrid cols={2} spacing="xs">
            <TextInput type="date" label="From" value={filters.from} onChange={(e) => set({ from: e.currentTarget.value })} max={filters.to || undefined} />
            <TextInput
              type="date"
              label="To"
              value={filters.to}
              onChange={(e) => set({ to: e.currentTarget.value })}
              min={filters.from || undefined}
              error={rangeProblem}
            />
          </SimpleGrid>
        </Grid.Col>
      </Grid>
      {hasJobFilters(filters) && (
        <Group justify="flex-end" mt="sm">
          <Button variant="subtle" size="xs" leftSection={<IconFilterOff size={14} aria-hidden />} onClick={onClear}>
            Clear filters
          </Button>
        </Group>
      )}
    </Paper>
  )
}

const COLUMNS = [{ label: 'Process' }, { label: 'State' }, { label: 'Robot' }, { label: 'Created' }, { label: 'Duration' }, { label: 'Trigger' }, { label: 'Error' }]

function JobTable({ slug, rows }: { slug: string; rows: Job[] | undefined }) {
  return (
    <EstateTable label="Jobs" columns={COLUMNS} minWidth={940} loading={!rows}>
      {rows?.map((j) => (
        <Table.Tr key={j.id} data-state={j.state}>
          <Table.Td style={{ minWidth: 180, maxWidth: 300 }}>
            <Anchor component={Link} to={`/${slug}/jobs/${encodeURIComponent(j.id)}`} size="sm" fw={600}>
              {j.process?.name || j.ref}
            </Anchor>
          </Table.Td>
          <Table.Td style={{ whiteSpace: 'nowrap' }}>
            <JobStateBadge state={j.state} raw={j.raw_state} />
          </Table.Td>
          <Table.Td style={{ whiteSpace: 'nowrap' }}>
            <Text size="sm" c={j.robot_name || j.robot_ref ? undefined : 'dimmed'}>
              {j.robot_name || j.robot_ref || '—'}
            </Text>
          </Table.Td>
          <Table.Td style={{ whiteSpace: 'nowrap' }}>
            <TimeAgo at={j.created_at} />
          </Table.Td>
          <Table.Td style={{ whiteSpace: 'nowrap' }}>
            <Text size="sm">{jobDuration(j)}</Text>
          </Table.Td>
          <Table.Td>
            <Text size="sm">{j.trigger || '—'}</Text>
          </Table.Td>
          <Table.Td style={{ minWidth: 160, maxWidth: 260 }}>
            {j.error ? (
              <Text size="xs" c="red.8" lineClamp={2} title={j.error} ff="monospace" style={{ overflowWrap: 'anywhere' }}>
                {j.error}
              </Text>
            ) : (
              <Text size="sm" c="dimmed">
                —
              </Text>
            )}
          </Table.Td>
        </Table.Tr>
      ))}
    </EstateTable>
  )
}

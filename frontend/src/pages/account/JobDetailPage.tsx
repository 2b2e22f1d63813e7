import { Accordion, Anchor, Button, Card, Code, Group, SimpleGrid, Skeleton, Stack, Text, Title } from '@mantine/core'
import { IconArrowLeft } from '@tabler/icons-react'
import type { ReactNode } from 'react'
import { Link, useParams } from 'react-router'
import { isApiError } from '../../api/client'
import { isActiveState, POLL, useJob, type JobDetail } from '../../api/estate'
import { ErrorState } from '../../components/ErrorState'
import { JobStateBadge } from '../../components/JobStateBadge'
import { useCan } from '../../components/meContext'
import { TimeAgo } from '../../components/TimeAgo'
import { jobDuration } from '../../lib/estate'
import { formatDateTime } from '../../lib/format'
import { NotFoundPage } from '../NotFoundPage'
import { AccountHeader, DeactivatedBanner } from './AccountLayout'
import { useAccountContext } from './accountContext'
import { useSectionTitle } from './estateCommon'

/** /:accountSlug/jobs/:jobId — one job: every field, the error in full, the vendor's raw record. */
export function JobDetailPage() {
  const { account } = useAccountContext()
  const { jobId = '' } = useParams()
  const canRead = useCan('data:read')
  const job = useJob(account.slug, jobId)
  useSectionTitle('Job', account)

  if (!canRead) return <NotFoundPage />
  if (job.isError && isApiError(job.error) && job.error.status === 404) return <NotFoundPage />
  const back = (
    <Button component={Link} to={`/${account.slug}/jobs`} variant="default" leftSection={<IconArrowLeft size={16} aria-hidden />}>
      All jobs
    </Button>
  )

  return (
    <Stack gap="lg">
      <AccountHeader account={account} section="Job" actions={back} />
      <DeactivatedBanner account={account} />
      {job.isError ? (
        <ErrorState error={job.error} title="Could not load the job" onRetry={() => void job.refetch()} retrying={job.isFetching} />
      ) : !job.data ? (
        <Card aria-busy="true" aria-label="Loading the job">
          <Stack gap="md">
            <Skeleton height={22} width={260} radius="sm" />
            <Skeleton height={140} radius="md" />
          </Stack>
        </Card>
      ) : (
        <JobCard slug={account.slug} job={job.data} />
      )}
    </Stack>
  )
}

function Field({ label, children, wide }: { label: string; children: ReactNode; wide?: boolean }) {
  return (
    <div className={wide ? 'detail-item detail-wide' : 'detail-item'}>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  )
}

function When({ at }: { at: string | null | undefined }) {
  if (!at) return <Text span size="sm" c="dimmed">—</Text>
  return (
    <Text span size="sm">
      {formatDateTime(at)}{' '}
      <Text span size="xs" c="dimmed">
        (<TimeAgo at={at} size="xs" c="dimmed" />)
      </Text>
    </Text>
  )
}

function JobCard({ slug, job }: { slug: string; job: JobDetail }) {
  const active = isActiveState(job.state)
  return (
    <Stack gap="lg">
      <Card aria-labelledby="job-heading">
        <Group justify="space-between" align="flex-start" mb="md" gap="sm">
          <Stack gap={4} style={{ minWidth: 0 }}>
            <Title order={2} fz="lg" id="job-heading" style={{ overflowWrap: 'anywhere' }}>
              {job.process?.name || job.ref}
            </Title>
            {active && (
              <Text size="xs" c="dimmed" role="status">
                Still {job.state}: this page refreshes every {Math.round(POLL.jobsMs / 1000)} seconds.
              </Text>
            )}
          </Stack>
          <JobStateBadge state={job.state} size="lg" />
        </Group>
        <SimpleGrid component="dl" cols={{ base: 1, sm: 2, md: 3 }} spacing="lg" verticalSpacing="md" className="detail-list" m={0}>
          <Field label="State at the RPA tool">
            <Code>{job.raw_state || '—'}</Code>
          </Field>
          <Field label="Process">
            {job.process ? (
              <Anchor component={Link} to={`/${slug}/jobs?process=${encodeURIComponent(job.process.id)}`} size="sm">
                {job.process.name}
              </Anchor>
            ) : (
              '—'
            )}
          </Field>
          <Field label="Robot">
            <Text span size="sm">
              {job.robot_name || job.robot_ref || '—'}
            </Text>
          </Field>
          <Field label="Created">
            <When at={job.created_at} />
          </Field>
          <Field label="Started">
            <When at={job.started_at} />
          </Field>
          <Field label="Ended">
            <When at={job.ended_at} />
          </Field>
          <Field label="Duration">
            <Text span size="sm">
              {jobDuration(job)}
            </Text>
          </Field>
          <Field label="Trigger">
            <Text span size="sm">
              {job.trigger || '—'}
            </Text>
          </Field>
          <Field label="Source">
            <Text span size="sm">
              {job.source || '—'}
            </Text>
          </Field>
          <Field label="Reference at the RPA tool">
            <Code style={{ overflowWrap: 'anywhere' }}>{job.ref}</Code>
          </Field>
          <Field label="Last changed at the RPA tool">
            <When at={job.vendor_updated_at} />
          </Field>
        </SimpleGrid>
      </Card>

      {job.error && (
        <Card aria-labelledby="job-error-heading">
          <Title order={2} fz="lg" id="job-error-heading" mb="sm">
            Error
          </Title>
          <Code block c="red.9" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }} data-testid="job-error">
            {job.error}
          </Code>
        </Card>
      )}

      <Card p={0}>
        <Accordion variant="default" chevronPosition="right">
          <Accordion.Item value="raw">
            <Accordion.Control>Raw data from the RPA tool</Accordion.Control>
            <Accordion.Panel>
              {job.raw ? (
                <Code block style={{ maxHeight: 480, overflow: 'auto' }} data-testid="job-raw">
                  {JSON.stringify(job.raw, null, 2)}
                </Code>
              ) : (
                <Text size="sm" c="dimmed">
                  Bureau holds no record from the RPA tool for this job: it came through the ingest API, or its provider keeps none.
                </Text>
              )}
            </Accordion.Panel>
          </Accordion.Item>
        </Accordion>
      </Card>
    </Stack>
  )
}

import { Button, EmptyState, Group, Paper, Skeleton, Table, Text, VisuallyHidden } from '@mantine/core'
import type { ReactNode } from 'react'
import { plural } from '../lib/format'
import { ErrorState } from './ErrorState'

// The frame the estate pages share (processes, jobs, robots, schedules, sync
// history, run requests): one bordered table that scrolls sideways on a
// phone, skeleton rows while the first page loads, an empty state that says
// what to do next, an error with Retry, and "Load more" for the next page.

export interface Column {
  label: string
  /** a label read by screen readers only (action columns) */
  hidden?: boolean
  w?: number
  /** a long header may wrap (narrow number columns) */
  wrap?: boolean
}

export function EstateTable({
  label,
  columns,
  minWidth,
  loading,
  children,
}: {
  label: string
  columns: Column[]
  minWidth: number
  loading: boolean
  children: ReactNode
}) {
  return (
    <Paper withBorder style={{ overflow: 'hidden' }}>
      <Table.ScrollContainer minWidth={minWidth} type="native">
        <Table verticalSpacing="sm" horizontalSpacing="sm" highlightOnHover={!loading} aria-label={label} aria-busy={loading || undefined}>
          <Table.Thead>
            <Table.Tr>
              {columns.map((c) => (
                <Table.Th key={c.label} w={c.w} style={{ whiteSpace: c.wrap ? undefined : 'nowrap' }}>
                  {c.hidden ? <VisuallyHidden>{c.label}</VisuallyHidden> : c.label}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>{loading ? <SkeletonRows columns={columns.length} /> : children}</Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  )
}

function SkeletonRows({ columns }: { columns: number }) {
  return (
    <>
      {[0, 1, 2, 3, 4].map((i) => (
        <Table.Tr key={i}>
          {Array.from({ length: columns }, (_, j) => (
            <Table.Td key={j}>
              <Skeleton height={12} width={j === 0 ? `${55 + ((i * 17) % 35)}%` : 70} radius="sm" />
            </Table.Td>
          ))}
        </Table.Tr>
      ))}
    </>
  )
}

/** EmptyPanel is an empty list's explanation and its next steps. */
export function EmptyPanel({
  icon,
  title,
  children,
  actions,
  testId,
}: {
  icon: ReactNode
  title: string
  children: ReactNode
  actions?: ReactNode
  testId?: string
}) {
  return (
    <Paper withBorder p="xl" data-testid={testId}>
      <EmptyState variant="light">
        <EmptyState.Indicator>{icon}</EmptyState.Indicator>
        <EmptyState.Title order={2}>{title}</EmptyState.Title>
        <EmptyState.Description>{children}</EmptyState.Description>
        {actions && <EmptyState.Actions>{actions}</EmptyState.Actions>}
      </EmptyState>
    </Paper>
  )
}

/** What ListState needs of an infinite query. */
interface ListQuery {
  isError: boolean
  error: unknown
  isFetching: boolean
  refetch: () => unknown
}

/** ListError is a list that could not load, with Retry. */
export function ListError({ query, title }: { query: ListQuery; title: string }) {
  return <ErrorState error={query.error} title={title} onRetry={() => void query.refetch()} retrying={query.isFetching} />
}

/** LoadMore shows how many rows are loaded and fetches the next page. */
export function LoadMore({
  shown,
  noun,
  hasMore,
  loading,
  onMore,
}: {
  shown: number
  noun: [string, string]
  hasMore: boolean
  loading: boolean
  onMore: () => void
}) {
  if (shown === 0) return null
  return (
    <Group justify="space-between" gap="sm">
      <Text size="sm" c="dimmed" role="status">
        {hasMore ? `Showing the first ${plural(shown, noun[0], noun[1])}` : `${plural(shown, noun[0], noun[1])}`}
      </Text>
      {hasMore && (
        <Button variant="default" onClick={onMore} loading={loading}>
          Load more
        </Button>
      )}
    </Group>
  )
}

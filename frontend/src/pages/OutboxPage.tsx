import {
  Accordion,
  ActionIcon,
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Code,
  CopyButton,
  EmptyState,
  Group,
  Paper,
  Skeleton,
  Stack,
  Text,
  Title,
  Tooltip,
} from '@mantine/core'
import { useDocumentTitle } from '@mantine/hooks'
import { IconCheck, IconCopy, IconInbox, IconInfoCircle } from '@tabler/icons-react'
import { useOutbox, type OutboxMail } from '../api/self'
import { ErrorState } from '../components/ErrorState'
import { useCan, useCurrentMe } from '../components/meContext'
import { PageHeader } from '../components/PageHeader'
import { formatDateTime, relativeTime } from '../lib/format'
import { NotFoundPage } from './NotFoundPage'

const KIND_VIEW: Record<string, { label: string; color: string }> = {
  invitation: { label: 'Invitation', color: 'bureau' },
  reset: { label: 'Password reset', color: 'orange' },
  welcome: { label: 'Welcome', color: 'teal' },
}

function KindBadge({ kind }: { kind: string }) {
  const view = KIND_VIEW[kind] ?? { label: kind, color: 'gray' }
  return (
    <Badge variant="light" color={view.color} size="sm" style={{ flex: 'none' }}>
      {view.label}
    </Badge>
  )
}

/** Only web links are shown as links: a mail's link is data, not trusted markup. */
function safeHref(link: string): string | null {
  const l = link.trim()
  if (l.startsWith('/') && !l.startsWith('//')) return l
  try {
    const u = new URL(l)
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : null
  } catch {
    return null
  }
}

function MailLink({ mail }: { mail: OutboxMail }) {
  if (!mail.link) {
    return (
      <Text size="sm" c="dimmed">
        {mail.kind === 'reset'
          ? 'Password reset mails are kept without their link: only the person it was written to may reset their password. Ask them to request a new link once mail is set up.'
          : 'This mail has no link.'}
      </Text>
    )
  }
  const href = safeHref(mail.link)
  return (
    <Paper withBorder p="sm" radius="md" bg="gray.0">
      <Text size="xs" c="dimmed" fw={600} mb={4}>
        Link in this mail
      </Text>
      <Group gap="xs" wrap="nowrap" align="center">
        {href ? (
          <Anchor
            href={href}
            target="_blank"
            rel="noopener noreferrer"
            size="sm"
            ff="monospace"
            style={{ overflowWrap: 'anywhere', flex: 1, minWidth: 0 }}
            aria-label={`Open the link to ${mail.to} (opens in a new tab)`}
          >
            {mail.link}
          </Anchor>
        ) : (
          <Code style={{ overflowWrap: 'anywhere', flex: 1, minWidth: 0 }}>{mail.link}</Code>
        )}
        <CopyButton value={mail.link} timeout={2000}>
          {({ copied, copy }) => (
            <Tooltip label={copied ? 'Copied' : 'Copy link'} withArrow>
              <ActionIcon
                variant={copied ? 'light' : 'default'}
                color={copied ? 'teal' : undefined}
                onClick={copy}
                aria-label={copied ? 'Link copied' : `Copy the link to ${mail.to}`}
              >
                {copied ? <IconCheck size={16} aria-hidden /> : <IconCopy size={16} aria-hidden />}
              </ActionIcon>
            </Tooltip>
          )}
        </CopyButton>
      </Group>
      {mail.kind === 'invitation' && (
        <Text size="xs" c="dimmed" mt={6}>
          Send this link to {mail.to}, or open it in a private window to accept the invitation yourself while testing.
        </Text>
      )}
    </Paper>
  )
}

function MailItem({ mail }: { mail: OutboxMail }) {
  return (
    <Accordion.Item value={mail.id} data-testid="outbox-item">
      <Accordion.Control>
        <Group justify="space-between" gap="md" wrap="nowrap" align="flex-start">
          <Stack gap={2} style={{ minWidth: 0, flex: 1 }}>
            <Group gap="xs" wrap="nowrap" style={{ minWidth: 0 }}>
              <KindBadge kind={mail.kind} />
              <Text size="sm" fw={600} truncate="end">
                {mail.subject}
              </Text>
            </Group>
            <Text size="xs" c="dimmed" truncate="end">
              To {mail.to}
              {mail.reason ? ` · ${mail.reason}` : ''}
            </Text>
          </Stack>
          <Text size="xs" c="dimmed" component="time" dateTime={mail.created_at} title={formatDateTime(mail.created_at)} style={{ whiteSpace: 'nowrap' }}>
            {relativeTime(mail.created_at)}
          </Text>
        </Group>
      </Accordion.Control>
      <Accordion.Panel>
        <Stack gap="md">
          <MailLink mail={mail} />
          {mail.reason && (
            <Text size="sm">
              <Text span c="dimmed">
                Not sent because:{' '}
              </Text>
              {mail.reason}
            </Text>
          )}
          <div>
            <Text size="xs" c="dimmed" fw={600} mb={4}>
              Message · {formatDateTime(mail.created_at)}
            </Text>
            <Paper withBorder p="md" radius="md">
              <Text size="sm" className="mail-body" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                {mail.body}
              </Text>
            </Paper>
          </div>
        </Stack>
      </Accordion.Panel>
    </Accordion.Item>
  )
}

function SmtpHelp() {
  return (
    <Alert variant="light" color="bureau" icon={<IconInfoCircle size={18} aria-hidden />} title="Send mail for real">
      <Text size="sm">
        Bureau keeps mail here when no SMTP server is configured, or when sending failed. To send it, set{' '}
        <Code>smtp.host</Code> (and <Code>smtp.port</Code>, <Code>smtp.username</Code>, <Code>smtp.password</Code>,{' '}
        <Code>smtp.from</Code>) in <Code>config.yaml</Code>, or the matching environment variables such as{' '}
        <Code>BUREAU_SMTP_HOST</Code>, then restart Bureau. Mail already in the outbox is not sent again.
      </Text>
    </Alert>
  )
}

/** /settings/outbox — mail Bureau could not send, so that its links still reach people. */
export function OutboxPage() {
  const me = useCurrentMe()
  const canRead = useCan('tenant:outbox')
  const outbox = useOutbox(canRead)
  useDocumentTitle(`Outbox · ${me.tenant.branding?.display_name?.trim() || me.tenant.name}`)
  if (!canRead) return <NotFoundPage />

  const mails = outbox.data?.pages.flatMap((p) => p.items)

  return (
    <Stack gap="lg">
      <PageHeader title="Outbox" description="Mail Bureau could not send, newest first. Open one to read it and copy its link." />
      <SmtpHelp />
      <Card padding={0} aria-labelledby="outbox-heading">
        <Group justify="space-between" px="lg" pt="lg" pb="sm">
          <Title order={2} fz="lg" id="outbox-heading">
            Unsent mail
          </Title>
          {mails && mails.length > 0 && (
            <Text size="sm" c="dimmed">
              {mails.length}
              {outbox.hasNextPage ? '+' : ''} {mails.length === 1 ? 'mail' : 'mails'}
            </Text>
          )}
        </Group>
        {outbox.isError ? (
          <Stack p="lg">
            <ErrorState error={outbox.error} onRetry={() => void outbox.refetch()} retrying={outbox.isFetching} title="Could not load the outbox" />
          </Stack>
        ) : !mails ? (
          <Stack gap="sm" p="lg" aria-busy="true" aria-label="Loading the outbox">
            <Skeleton height={48} radius="md" />
            <Skeleton height={48} radius="md" />
            <Skeleton height={48} radius="md" />
          </Stack>
        ) : mails.length === 0 ? (
          <EmptyState variant="light" p="xl">
            <EmptyState.Indicator>
              <IconInbox size={26} stroke={1.6} aria-hidden />
            </EmptyState.Indicator>
            <EmptyState.Title order={3}>The outbox is empty</EmptyState.Title>
            <EmptyState.Description>
              Mail lands here when no SMTP server is configured or sending failed: invitations, welcome mails and password
              resets. Nothing is waiting now.
            </EmptyState.Description>
          </EmptyState>
        ) : (
          <>
            <Accordion variant="default" chevronPosition="left" multiple aria-label="Unsent mail" px="xs">
              {mails.map((m) => (
                <MailItem key={m.id} mail={m} />
              ))}
            </Accordion>
            {outbox.hasNextPage && (
              <Group justify="center" p="md">
                <Button variant="default" onClick={() => void outbox.fetchNextPage()} loading={outbox.isFetchingNextPage}>
                  Show older mail
                </Button>
              </Group>
            )}
          </>
        )}
      </Card>
    </Stack>
  )
}

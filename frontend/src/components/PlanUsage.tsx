import { Alert, Anchor, Box, Button, Group, Progress, Skeleton, Text } from '@mantine/core'
import { IconAlertTriangle, IconArrowRight } from '@tabler/icons-react'
import { Link } from 'react-router'
import { useUsage } from '../api/queries'
import { planLabel } from '../lib/format'
import { LEVEL_COLOR, planFullText, usageLevel } from '../lib/plan'
import { useCan } from './meContext'

/**
 * PlanUsageLine is the "3 of 10 active accounts · Trial plan" line shown near
 * page titles, linking to the plan page. Nothing for people without
 * tenant:usage.
 */
export function PlanUsageLine() {
  const canUsage = useCan('tenant:usage')
  const usage = useUsage(canUsage)
  if (!canUsage) return null
  if (!usage.data) return <Skeleton height={14} width={260} radius="sm" aria-hidden />
  const u = usage.data
  const level = usageLevel(u.accounts_used, u.accounts_limit)
  return (
    <Group gap={8} wrap="nowrap" className="plan-usage-line">
      <Box
        aria-hidden
        w={8}
        h={8}
        style={{ borderRadius: 8, background: `var(--mantine-color-${LEVEL_COLOR[level]}-6)`, flex: 'none' }}
      />
      <Text size="sm" c="dimmed">
        <Text span fw={600} c={level === 'full' ? 'red.8' : level === 'near' ? 'orange.8' : 'dark.6'}>
          {u.accounts_used} of {u.accounts_limit}
        </Text>{' '}
        active accounts ·{' '}
        <Anchor component={Link} to="/settings/license" size="sm" fw={500}>
          {planLabel(u.plan)} plan
        </Anchor>
        {level === 'full' && (
          <Text span c="red.8" fw={500}>
            {' '}
            · limit reached
          </Text>
        )}
      </Text>
    </Group>
  )
}

/** UsageBar is a thin bar of active accounts against the plan's cap. */
export function UsageBar({ used, limit, size = 8 }: { used: number; limit: number; size?: number }) {
  const level = usageLevel(used, limit)
  const pct = limit > 0 ? Math.min(100, (used / limit) * 100) : 100
  return (
    <Progress
      value={pct}
      color={LEVEL_COLOR[level]}
      size={size}
      radius="xl"
      aria-label={`${used} of ${limit} active accounts used`}
    />
  )
}

/**
 * PlanLimitNotice explains that the plan's cap on active accounts is reached,
 * with the numbers and the ways forward. `detail` is the server's own
 * sentence (409 plan_limit_reached) when there is one.
 */
export function PlanLimitNotice({
  usage,
  detail,
  onNavigate,
}: {
  usage?: { accounts_used: number; accounts_limit: number; plan: string }
  detail?: string
  onNavigate?: () => void
}) {
  const canLicense = useCan('tenant:license')
  const canUsage = useCan('tenant:usage')
  const text = usage ? planFullText(usage) : detail || 'Your plan’s limit of active client accounts is reached.'
  return (
    <Alert
      variant="light"
      color="orange"
      icon={<IconAlertTriangle size={20} aria-hidden />}
      title="Your plan is full"
      role="alert"
      data-testid="plan-limit"
    >
      <Text size="sm">{text}</Text>
      <Text size="sm" mt={6}>
        To add another client, deactivate an account you no longer serve (its history is kept and deactivated accounts
        don’t count), or {canLicense ? 'upload a license with more accounts' : 'ask your Tenant Admin for a license with more accounts'}.
      </Text>
      <Group gap="sm" mt="sm">
        {canUsage && (
          <Button
            component={Link}
            to="/settings/license"
            size="xs"
            color="orange"
            rightSection={<IconArrowRight size={14} aria-hidden />}
            onClick={onNavigate}
          >
            {canLicense ? 'Upload a license' : 'See plan & license'}
          </Button>
        )}
        <Button component={Link} to="/accounts?status=active" size="xs" variant="default" onClick={onNavigate}>
          Review active accounts
        </Button>
      </Group>
    </Alert>
  )
}

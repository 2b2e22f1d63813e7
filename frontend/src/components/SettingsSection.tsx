import { Badge, Button, Card, Grid, Group, Stack, Text, Title } from '@mantine/core'
import { IconDeviceFloppy } from '@tabler/icons-react'
import type { ReactNode } from 'react'

/**
 * SectionCard is one section of a settings page: its title and what it is
 * for on the left (with an "Unsaved changes" mark while edits are pending),
 * its form on the right. On a narrow screen the two stack.
 */
export function SectionCard({
  id,
  title,
  text,
  dirty,
  className,
  children,
}: {
  id: string
  title: string
  text: ReactNode
  dirty?: boolean
  className?: string
  children: ReactNode
}) {
  return (
    <Card aria-labelledby={id} padding="xl" className={className}>
      <Grid gap={{ base: 'lg', md: 48 }}>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Stack gap={6}>
            <Title order={2} fz="lg" id={id}>
              {title}
            </Title>
            <Text size="sm" c="dimmed">
              {text}
            </Text>
            {dirty && (
              <Badge color="orange" variant="light" size="md" role="status" mt={4}>
                Unsaved changes
              </Badge>
            )}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 8 }}>{children}</Grid.Col>
      </Grid>
    </Card>
  )
}

/** FormActions: "Discard changes" while dirty, and the save button (disabled until something changed). */
export function FormActions({
  dirty,
  saving,
  onReset,
  label,
}: {
  dirty: boolean
  saving: boolean
  onReset: () => void
  label: string
}) {
  return (
    <Group justify="flex-end" gap="sm" mt="xl">
      {dirty && (
        <Button variant="subtle" color="gray" onClick={onReset} disabled={saving}>
          Discard changes
        </Button>
      )}
      <Button type="submit" loading={saving} disabled={!dirty} leftSection={<IconDeviceFloppy size={16} aria-hidden />}>
        {label}
      </Button>
    </Group>
  )
}

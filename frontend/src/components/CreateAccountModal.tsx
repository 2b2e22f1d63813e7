import { Alert, Button, Code, Divider, Group, Modal, SimpleGrid, Stack, Text, TextInput, Textarea } from '@mantine/core'
import { useForm } from '@mantine/form'
import { notifications } from '@mantine/notifications'
import { IconInfoCircle, IconPlus } from '@tabler/icons-react'
import { useQueryClient } from '@tanstack/react-query'
import { useEffect, useState, type FormEvent } from 'react'
import { useNavigate } from 'react-router'
import { isApiError } from '../api/client'
import { createAccount } from '../api/endpoints'
import { accountsChanged, queryKeys, useUsage } from '../api/queries'
import {
  EMPTY_CREATE,
  EXTERNAL_REF_MAX,
  placeFieldErrors,
  toCreateRequest,
  validateCreate,
  type CreateField,
  type CreateValues,
} from '../lib/accountForm'
import { planLabel } from '../lib/format'
import { isPlanFull } from '../lib/plan'
import { cleanSlugInput, slugFromName } from '../lib/slug'
import { errorMessage } from './ErrorState'
import { useCan } from './meContext'
import { PlanLimitNotice } from './PlanUsage'
import { SlugCheckIcon, SlugCheckText, slugCheckError, useSlugCheck } from './SlugAvailability'
import { SlugInput } from './SlugInput'
import { FormProblem } from './FormProblem'

const FIELDS: CreateField[] = ['name', 'slug', 'contact_email', 'external_ref', 'notes']
const inputId = (f: CreateField) => `create-account-${f.replace(/_/g, '-')}`

/** CreateAccountModal is the "New client account" dialog. */
export function CreateAccountModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const [busy, setBusy] = useState(false)
  return (
    <Modal
      opened={opened}
      onClose={() => {
        if (!busy) onClose()
      }}
      title="New client account"
      size="lg"
      radius="lg"
      padding="xl"
      closeOnClickOutside={!busy}
      closeOnEscape={!busy}
      styles={{ title: { fontWeight: 650, fontSize: 'var(--mantine-font-size-lg)' } }}
    >
      {/* Mounted only while open: every opening starts with a blank form. */}
      {opened && <CreateAccountForm onClose={onClose} onBusy={setBusy} />}
    </Modal>
  )
}

function CreateAccountForm({ onClose, onBusy }: { onClose: () => void; onBusy: (b: boolean) => void }) {
  const qc = useQueryClient()
  const navigate = useNavigate()
  const canUsage = useCan('tenant:usage')
  const usage = useUsage(canUsage)
  const [slugEdited, setSlugEdited] = useState(false)
  const [submitting, setSubmitting] = useState(false)
  const [problem, setProblem] = useState<string | null>(null)
  const [limitDetail, setLimitDetail] = useState<string | null>(null)
  const form = useForm<CreateValues>({ mode: 'controlled', initialValues: EMPTY_CREATE })
  const v = form.values
  const check = useSlugCheck(v.slug)
  const origin = typeof window !== 'undefined' ? window.location.origin : ''

  // Focus moves to a refused field after the render that enables the form again.
  const [focusField, setFocusField] = useState<{ f: CreateField } | null>(null)
  useEffect(() => {
    if (focusField) document.getElementById(inputId(focusField.f))?.focus()
  }, [focusField])
  const focus = (f: CreateField) => setFocusField({ f })

  const u = usage.data
  // Say it before anyone types: the plan has no room for another account.
  if (u && isPlanFull(u) && !limitDetail) {
    return (
      <Stack gap="lg">
        <PlanLimitNotice usage={u} onNavigate={onClose} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Close
          </Button>
        </Group>
      </Stack>
    )
  }
  const lastOne = u && u.accounts_limit - u.accounts_used === 1

  const setBusy = (b: boolean) => {
    setSubmitting(b)
    onBusy(b)
  }

  const setName = (name: string) => {
    form.setFieldValue('name', name)
    form.clearFieldError('name')
    if (!slugEdited) {
      form.setFieldValue('slug', slugFromName(name))
      form.clearFieldError('slug')
    }
  }

  const setSlug = (raw: string) => {
    const cleaned = cleanSlugInput(raw)
    form.setFieldValue('slug', cleaned)
    form.clearFieldError('slug')
    // Typed by hand: stop following the name (until the field is emptied).
    setSlugEdited(cleaned !== '')
  }

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    if (submitting || limitDetail) return
    setProblem(null)
    const errs = validateCreate(form.values)
    const refused = slugCheckError(check, v.slug)
    if (!errs.slug && refused) errs.slug = refused
    if (Object.keys(errs).length > 0) {
      form.setErrors(errs)
      focus(FIELDS.find((f) => errs[f])!)
      return
    }
    setBusy(true)
    try {
      const account = await createAccount(toCreateRequest(form.values))
      qc.setQueryData(queryKeys.account(account.slug), account)
      void accountsChanged(qc)
      notifications.show({
        color: 'teal',
        title: 'Client account created',
        message: `${account.name} is ready at /${account.slug}.`,
        autoClose: 6000,
      })
      onBusy(false)
      onClose()
      navigate(`/${account.slug}`)
    } catch (err) {
      setBusy(false)
      if (isApiError(err)) {
        if (err.code === 'plan_limit_reached') {
          setLimitDetail(err.detail || 'Your plan’s limit of active client accounts is reached.')
          void qc.invalidateQueries({ queryKey: queryKeys.usage })
          return
        }
        if (Object.keys(err.fieldErrors).length > 0) {
          const placed = placeFieldErrors(err.fieldErrors, FIELDS)
          form.setErrors(placed.errors)
          if (placed.unplaced.length > 0) setProblem(placed.unplaced.join(' '))
          const first = FIELDS.find((f) => placed.errors[f])
          if (first) focus(first)
          if (placed.errors.slug) void qc.invalidateQueries({ queryKey: ['slug-availability'] })
          return
        }
      }
      setProblem(errorMessage(err))
    }
  }

  const field = (f: CreateField) => ({
    id: inputId(f),
    value: v[f],
    error: form.errors[f],
    onChange: (e: { currentTarget: { value: string } }) => {
      form.setFieldValue(f, e.currentTarget.value)
      form.clearFieldError(f)
    },
  })

  return (
    <form onSubmit={submit} noValidate aria-label="New client account">
      <Stack gap="md">
        {limitDetail && <PlanLimitNotice detail={limitDetail} onNavigate={onClose} />}
        {!limitDetail && (
          <Text size="sm" c="dimmed">
            The account starts empty: its people, RPA connection and data stay isolated from every other client.
          </Text>
        )}
        {lastOne && !limitDetail && (
          <Alert variant="light" color="orange" icon={<IconInfoCircle size={18} aria-hidden />} py="xs">
            <Text size="sm">
              This is the last account your {planLabel(u!.plan)} plan allows ({u!.accounts_used} of {u!.accounts_limit} in use).
            </Text>
          </Alert>
        )}
        {problem && (
          <FormProblem title="Could not create the account">
            {problem}
          </FormProblem>
        )}
        <TextInput
          {...field('name')}
          onChange={(e) => setName(e.currentTarget.value)}
          label="Client name"
          placeholder="Acme Corporation"
          autoComplete="off"
          required
          maxLength={200}
          data-autofocus
          disabled={submitting}
        />
        <SlugInput
          {...field('slug')}
          onChange={(e) => setSlug(e.currentTarget.value)}
          onBlur={() => {
            const t = v.slug.replace(/^-+|-+$/g, '')
            if (t !== v.slug) form.setFieldValue('slug', t)
          }}
          label="Slug"
          description="Used in the account’s address. It cannot be changed later."
          placeholder="acme-corporation"
          required
          disabled={submitting}
          rightSection={<SlugCheckIcon check={check} />}
          inputContainer={(input) => (
            <>
              {input}
              <SlugCheckText check={check} id="create-account-slug-check" />
            </>
          )}
        />
        <Text size="xs" c="dimmed" mt={-10}>
          Address: <Code>{origin}/{v.slug || 'client'}</Code>
        </Text>

        <Divider label="Optional details, seen only by your firm" labelPosition="left" mt={4} />
        <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="md">
          <TextInput
            {...field('contact_email')}
            label="Contact email"
            type="email"
            placeholder="it@acme.example"
            autoComplete="off"
            disabled={submitting}
          />
          <TextInput
            {...field('external_ref')}
            label="External reference"
            placeholder="CRM-1042"
            autoComplete="off"
            maxLength={EXTERNAL_REF_MAX}
            disabled={submitting}
          />
        </SimpleGrid>
        <Textarea
          {...field('notes')}
          label="Notes"
          placeholder="Anything your consultants should know about this client"
          autosize
          minRows={3}
          maxRows={8}
          disabled={submitting}
        />
        <Group justify="flex-end" mt="sm">
          <Button variant="default" onClick={onClose} disabled={submitting}>
            Cancel
          </Button>
          <Button type="submit" loading={submitting} disabled={!!limitDetail} leftSection={<IconPlus size={16} aria-hidden />}>
            Create client account
          </Button>
        </Group>
      </Stack>
    </form>
  )
}

// An account's RPA connection (SPEC §4, API.md "Connection, sync and data"):
// the providers Bureau can connect to and the form each one needs, the
// account's saved connection (secrets are write-only: the API says only
// that one is stored), rotating its secrets, and testing it.

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api } from './client'
import { queryKeys } from './queries'

// --- types ------------------------------------------------------------------

export type ProviderName =
  | 'uipath-cloud'
  | 'uipath-onprem'
  | 'blue-prism'
  | 'automation-anywhere'
  | 'power-automate'
  | 'robomotion'
  | 'demo'

/** Which input a field is drawn with. */
export type FieldKind = 'text' | 'url' | 'select' | 'bool' | 'pem'

/** ConnectorField is one setting or secret of a provider. Bool settings are the strings "true" and "false". */
export interface ConnectorField {
  key: string
  label: string
  kind: FieldKind
  /** write-only: never sent back by the API */
  secret: boolean
  required: boolean
  help: string
  placeholder?: string
  /** the choices of a select */
  options?: string[]
  default?: string
  /** required only while every one of these settings has this value (then `required` is ignored) */
  required_when?: Record<string, string>
  /** shown (and sent) only while every one of these settings has this value */
  shown_when?: Record<string, string>
}

/** ConnectorSpec describes a provider and the form it needs (GET /connectors). */
export interface ConnectorSpec {
  name: ProviderName | string
  label: string
  /** groups the providers of one vendor in the picker */
  vendor: string
  /** one paragraph: what to create in the vendor's console */
  help: string
  fields: ConnectorField[]
}

/** SecretState is what the API says of a stored secret: that it is there, never its value. */
export interface SecretState {
  configured: true
  updated_at: string
  /** stored for another account or under an old key: it cannot be read and must be entered again */
  needs_reentry: boolean
}

/** Why a connection test failed; `message` is the vendor's own words. */
export type ConnectionTestCode =
  | 'auth_failed'
  | 'forbidden'
  | 'not_found'
  | 'rate_limited'
  | 'vendor_unavailable'
  | 'invalid_request'
  | 'config_invalid'
  | 'secret_needs_reentry'

export interface ConnectionTestError {
  code: ConnectionTestCode | string
  message: string
}

/** ConnectionTestResult is POST …/connection/test. */
export interface ConnectionTestResult {
  ok: boolean
  details?: string
  error?: ConnectionTestError
}

/** LastTest is the connection's most recent test, as the API records it. */
export interface LastTest extends ConnectionTestResult {
  at: string
}

/** Connection is GET …/connection; provider null: nothing saved yet. */
export interface Connection {
  provider: ProviderName | string | null
  settings: Record<string, string>
  /** the stored secrets by key (never their values) */
  secrets: Record<string, SecretState>
  secrets_set: string[]
  updated_at: string | null
  last_test: LastTest | null
}

/**
 * ConnectionInput replaces the connection. A secret left out (or "") keeps
 * the stored one while the provider stays the same; changing the provider
 * drops the old secrets.
 */
export interface ConnectionInput {
  provider: string
  settings: Record<string, string>
  secrets: Record<string, string>
}

// --- endpoints ----------------------------------------------------------------

const path = (account: string) => `/accounts/${encodeURIComponent(account)}/connection`

export async function getConnectors(signal?: AbortSignal): Promise<ConnectorSpec[]> {
  const res = await api.get<{ items: ConnectorSpec[] }>('/connectors', { signal })
  return res?.items ?? []
}

export function getConnection(account: string, signal?: AbortSignal): Promise<Connection> {
  return api.get<Connection>(path(account), { signal })
}

export function putConnection(account: string, input: ConnectionInput): Promise<Connection> {
  return api.put<Connection>(path(account), input)
}

/** putConnectionSecrets rotates secrets only (Clients may too); 409 connection_missing when nothing is saved. */
export function putConnectionSecrets(account: string, secrets: Record<string, string>): Promise<Connection> {
  return api.put<Connection>(`${path(account)}/secrets`, { secrets })
}

/** testConnection calls the vendor with the saved connection; it may take up to half a minute. */
export function testConnection(account: string): Promise<ConnectionTestResult> {
  return api.post<ConnectionTestResult>(`${path(account)}/test`, {})
}

// --- queries -------------------------------------------------------------------

export const connectionKeys = {
  connectors: ['connectors'] as const,
  /** under the account's key, so that refreshing the account refreshes it too */
  connection: (account: string) => [...queryKeys.account(account), 'connection'] as const,
}

/** useConnectors lists the providers; they change only with a new Bureau version. */
export function useConnectors(enabled = true) {
  return useQuery({
    queryKey: connectionKeys.connectors,
    queryFn: ({ signal }) => getConnectors(signal),
    enabled,
    staleTime: Infinity,
  })
}

export function useConnection(account: string, enabled = true) {
  return useQuery({
    queryKey: connectionKeys.connection(account),
    queryFn: ({ signal }) => getConnection(account, signal),
    enabled,
  })
}

export function usePutConnection(account: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (input: ConnectionInput) => putConnection(account, input),
    onSuccess: (saved) => {
      qc.setQueryData(connectionKeys.connection(account), saved)
    },
  })
}

export function useRotateSecrets(account: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (secrets: Record<string, string>) => putConnectionSecrets(account, secrets),
    onSuccess: (saved) => {
      qc.setQueryData(connectionKeys.connection(account), saved)
    },
  })
}

/**
 * useTestConnection tests the saved connection. The result becomes the
 * connection's last test at once (the server records it too; the next read
 * brings its own time).
 */
export function useTestConnection(account: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: () => testConnection(account),
    onSuccess: (result) => {
      qc.setQueryData<Connection>(connectionKeys.connection(account), (c) => {
        if (!c) return c
        // Never before the save it tested, whatever this computer's clock says.
        const now = new Date().toISOString()
        const at = c.updated_at && Date.parse(c.updated_at) > Date.parse(now) ? c.updated_at : now
        return { ...c, last_test: { ...result, at } }
      })
    },
  })
}

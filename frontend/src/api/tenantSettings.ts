// The firm's own settings, which Tenant Admins manage: its name and
// branding, whether staff may sign in with a password, and staff single
// sign-on (OpenID Connect; Microsoft Entra ID first).

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api } from './client'
import { queryKeys } from './queries'
import type { StaffRole } from './self'
import type { Branding, Tenant } from './types'

// --- types ------------------------------------------------------------------

/** FirmSettings is GET /tenant: the tenant with its whole branding. */
export interface FirmSettings extends Tenant {
  branding: Required<Branding>
  staff_passwords_enabled: boolean
}

/** FirmPatch changes some of the firm's settings; branding is replaced as a whole. */
export interface FirmPatch {
  name?: string
  branding?: Required<Branding>
  staff_passwords_enabled?: boolean
}

/** SsoSettings is GET /tenant/sso: the client secret itself never comes back. */
export interface SsoSettings {
  configured: boolean
  issuer: string
  client_id: string
  client_secret_set: boolean
  allowed_domains: string[]
  groups_claim: string
  /** group object id or app role value → staff role; anything unmapped is denied */
  group_roles: Record<string, StaffRole>
  entra_tenant_ids: string[]
  last_success_at: string | null
  updated_at: string | null
  /** what to register at the provider */
  redirect_uri: string
}

/**
 * SsoInput replaces the settings. client_secret absent keeps the stored one;
 * "" removes it.
 */
export interface SsoInput {
  issuer: string
  client_id: string
  client_secret?: string
  allowed_domains: string[]
  groups_claim: string
  group_roles: Record<string, StaffRole>
  entra_tenant_ids: string[]
}

/**
 * SsoTestResult is GET /tenant/sso/tests/{id}: what a Tenant Admin's test
 * sign-in received from the identity provider, and what Bureau would make
 * of it. Nobody is signed in by a test; one that maps to a role counts as a
 * successful SSO sign-in (last_success_at).
 */
export interface SsoTestResult {
  ok: boolean
  /** why the person would be refused: sso_no_role, sso_token_invalid, sso_exchange_failed, … */
  code?: string
  message?: string
  issuer?: string
  subject?: string
  email?: string
  name?: string
  /** what the groups claim carried (group object ids or app role values) */
  groups: string[]
  role?: StaffRole
  /** every claim of the ID token */
  claims?: Record<string, unknown>
  at: string
}

// --- endpoints ----------------------------------------------------------------

export function getFirmSettings(signal?: AbortSignal): Promise<FirmSettings> {
  return api.get<FirmSettings>('/tenant', { signal })
}

export function updateFirmSettings(patch: FirmPatch): Promise<FirmSettings> {
  return api.patch<FirmSettings>('/tenant', patch)
}

export function getSsoSettings(signal?: AbortSignal): Promise<SsoSettings> {
  return api.get<SsoSettings>('/tenant/sso', { signal })
}

export function putSsoSettings(input: SsoInput): Promise<SsoSettings> {
  return api.put<SsoSettings>('/tenant/sso', input)
}

export function getSsoTest(id: string, signal?: AbortSignal): Promise<SsoTestResult> {
  return api.get<SsoTestResult>(`/tenant/sso/tests/${encodeURIComponent(id)}`, { signal })
}

// --- queries -------------------------------------------------------------------

export const tenantSettingsKeys = {
  firm: ['tenant', 'settings'] as const,
  sso: ['tenant', 'sso'] as const,
  /** not under `sso`, so that refreshing the settings leaves the result alone */
  ssoTest: (id: string) => ['tenant', 'sso-test', id] as const,
}

export function useFirmSettings(enabled = true) {
  return useQuery({
    queryKey: tenantSettingsKeys.firm,
    queryFn: ({ signal }) => getFirmSettings(signal),
    enabled,
  })
}

/**
 * useUpdateFirmSettings saves a change; the shell's name and brand come
 * from /me, which is asked again.
 */
export function useUpdateFirmSettings() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (patch: FirmPatch) => updateFirmSettings(patch),
    onSuccess: (saved) => {
      qc.setQueryData(tenantSettingsKeys.firm, saved)
      void qc.invalidateQueries({ queryKey: queryKeys.me })
    },
  })
}

export function useSsoSettings(enabled = true) {
  return useQuery({
    queryKey: tenantSettingsKeys.sso,
    queryFn: ({ signal }) => getSsoSettings(signal),
    enabled,
  })
}

export function usePutSsoSettings() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (input: SsoInput) => putSsoSettings(input),
    onSuccess: (saved) => {
      qc.setQueryData(tenantSettingsKeys.sso, saved)
    },
  })
}

/** useSsoTest reads a test sign-in's result; a result never changes. */
export function useSsoTest(id: string | null) {
  return useQuery({
    queryKey: tenantSettingsKeys.ssoTest(id ?? ''),
    queryFn: ({ signal }) => getSsoTest(id ?? '', signal),
    enabled: !!id,
    staleTime: Infinity,
    refetchOnWindowFocus: false,
  })
}

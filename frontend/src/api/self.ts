// The person's own side of Bureau (issue 4): invitations they accept,
// passwords they reset or change, their sessions and tenants; and the firm's
// staff and outbox, which Tenant Admins manage. Shapes follow the people API
// contract; bodies may grow fields, only what the web app reads is typed.

import { useInfiniteQuery, useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query'
import { api, setCsrfToken } from './client'
import { getMe } from './endpoints'
import { queryKeys } from './queries'
import type { AuthMethod, Branding, Me, Page, Role, Tenant, TenantRef, User } from './types'

// --- types ------------------------------------------------------------------

export type StaffRole = 'tenant_admin' | 'consultant'
export type MemberStatus = 'active' | 'pending' | 'expired'

/** Invitation is what GET /invitations/{token} tells the invitee. */
export interface Invitation {
  email: string
  role: Role
  /** null: a staff invitation (the whole firm) */
  account: { name: string } | null
  tenant: { name: string; slug?: string; branding?: Branding }
  expires_at: string
  /** the email already has a Bureau password: ask for it, not for a name */
  existing_user: boolean
  /** a staff invitation in a firm with single sign-on set up: it may be accepted by signing in with SSO */
  sso?: boolean
  /** false: the firm's staff sign in only with SSO, accepting with a password is refused (absent: true) */
  staff_passwords_enabled?: boolean
}

export interface AcceptInvitationInput {
  name: string
  password: string
}

export interface AcceptInvitationResult {
  user: User
  tenant: Tenant
  csrf_token: string
}

export interface Session {
  id: string
  current: boolean
  ip: string
  user_agent: string
  auth_method: AuthMethod
  created_at: string
  last_seen_at: string
  tenant?: TenantRef
}

export interface ChangePasswordInput {
  current_password: string
  new_password: string
}

export interface StaffMember {
  user_id: string
  invitation_id: string | null
  email: string
  /** "" while pending */
  name: string
  role: StaffRole
  status: MemberStatus
  last_active: string | null
  invited_at: string | null
  expires_at: string | null
}

export interface StaffInvite {
  email: string
  role: StaffRole
}

/** InviteResult answers an invitation batch: who was invited, and how their mail left. */
export interface InviteResult<T> {
  items: T[]
  /** sent over SMTP */
  emailed: number
  /** kept in the outbox: no SMTP server, or sending failed */
  outbox: number
}

export type OutboxKind = 'invitation' | 'reset' | 'welcome'

export interface OutboxMail {
  id: string
  to: string
  subject: string
  body: string
  /** the link in the mail; empty for password resets, which are kept without it */
  link: string
  kind: OutboxKind | string
  reason: string
  created_at: string
}

// --- endpoints ----------------------------------------------------------------

const enc = encodeURIComponent

export function getInvitation(token: string, signal?: AbortSignal): Promise<Invitation> {
  return api.get<Invitation>(`/invitations/${enc(token)}`, { signal })
}

/** acceptInvitation signs the invitee in, like login: the session, and its token, are new. */
export async function acceptInvitation(token: string, input: AcceptInvitationInput): Promise<AcceptInvitationResult> {
  const res = await api.post<AcceptInvitationResult>(`/invitations/${enc(token)}/accept`, input)
  setCsrfToken(res.csrf_token || null)
  return res
}

/** requestPasswordReset always answers the same, whether the address is known or not. */
export function requestPasswordReset(email: string): Promise<void> {
  return api.post<void>('/auth/password-reset', { email })
}

/** completePasswordReset sets a new password; every session of the person ends. */
export async function completePasswordReset(token: string, password: string): Promise<void> {
  await api.post<void>(`/auth/password-reset/${enc(token)}`, { password })
}

export function listSessions(signal?: AbortSignal): Promise<Page<Session>> {
  return api.get<Page<Session>>('/me/sessions', { signal })
}

export function deleteSession(id: string): Promise<void> {
  return api.delete<void>(`/me/sessions/${enc(id)}`)
}

/** changePassword sets a new password and ends every other session of the person. */
export function changePassword(input: ChangePasswordInput): Promise<void> {
  return api.post<void>('/me/password', input)
}

/** switchTenant makes another of the person's tenants the active one. */
export function switchTenant(slug: string): Promise<Me> {
  return api.post<Me>('/me/tenant', { tenant: slug })
}

/** The most pages a list follows (500 rows each): a safety stop, not a limit anyone meets. */
const MAX_PAGES = 20

export async function listStaff(signal?: AbortSignal): Promise<Page<StaffMember>> {
  const items: StaffMember[] = []
  let cursor: string | null = null
  for (let i = 0; i < MAX_PAGES; i++) {
    const q: string = cursor ? `&cursor=${enc(cursor)}` : ''
    const page: Page<StaffMember> = await api.get<Page<StaffMember>>(`/tenant/staff?limit=500${q}`, { signal })
    items.push(...page.items)
    cursor = page.next_cursor
    if (!cursor) break
  }
  return { items, next_cursor: null }
}

export function inviteStaff(invites: StaffInvite[]): Promise<InviteResult<StaffMember>> {
  return api.post<InviteResult<StaffMember>>('/tenant/staff', { invites })
}

export function updateStaffRole(userId: string, role: StaffRole): Promise<StaffMember> {
  return api.patch<StaffMember>(`/tenant/staff/${enc(userId)}`, { role })
}

export function removeStaff(userId: string): Promise<void> {
  return api.delete<void>(`/tenant/staff/${enc(userId)}`)
}

export function resendStaffInvitation(invitationId: string): Promise<StaffMember> {
  return api.post<StaffMember>(`/tenant/staff/invitations/${enc(invitationId)}/resend`, {})
}

export function revokeStaffInvitation(invitationId: string): Promise<void> {
  return api.delete<void>(`/tenant/staff/invitations/${enc(invitationId)}`)
}

export const OUTBOX_PAGE_SIZE = 50

export function listOutbox(cursor: string | null, signal?: AbortSignal): Promise<Page<OutboxMail>> {
  const q = cursor ? `&cursor=${enc(cursor)}` : ''
  return api.get<Page<OutboxMail>>(`/tenant/outbox?limit=${OUTBOX_PAGE_SIZE}${q}`, { signal })
}

// --- queries -------------------------------------------------------------------

export const selfKeys = {
  invitation: (token: string) => ['invitation', token] as const,
  sessions: ['self', 'sessions'] as const,
  staff: ['tenant', 'staff'] as const,
  outbox: ['tenant', 'outbox'] as const,
}

export function useInvitation(token: string) {
  return useQuery({
    queryKey: selfKeys.invitation(token),
    queryFn: ({ signal }) => getInvitation(token, signal),
    enabled: token !== '',
    staleTime: Infinity,
    refetchOnWindowFocus: false,
    retry: false,
  })
}

export function useSessions() {
  return useQuery({
    queryKey: selfKeys.sessions,
    queryFn: ({ signal }) => listSessions(signal),
  })
}

export function useStaff(enabled = true) {
  return useQuery({
    queryKey: selfKeys.staff,
    queryFn: ({ signal }) => listStaff(signal),
    enabled,
  })
}

export function useOutbox(enabled = true) {
  return useInfiniteQuery({
    queryKey: selfKeys.outbox,
    queryFn: ({ pageParam, signal }) => listOutbox(pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor || undefined,
    enabled,
  })
}

/**
 * signedInAs makes the cache belong to a newly signed-in person: nothing
 * of an earlier session stays, and the person is loaded afresh.
 */
export async function signedInAs(qc: QueryClient): Promise<Me | null> {
  qc.removeQueries({ predicate: (q) => q.queryKey[0] !== 'setup' && q.queryKey[0] !== 'invitation' })
  return qc.fetchQuery({
    queryKey: queryKeys.me,
    queryFn: ({ signal }) => getMe(signal),
    staleTime: 0,
  })
}

export function useAcceptInvitation(token: string) {
  return useMutation({ mutationFn: (input: AcceptInvitationInput) => acceptInvitation(token, input) })
}

export function useRequestPasswordReset() {
  return useMutation({ mutationFn: (email: string) => requestPasswordReset(email) })
}

export function useCompletePasswordReset(token: string) {
  return useMutation({ mutationFn: (password: string) => completePasswordReset(token, password) })
}

export function useDeleteSession() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (id: string) => deleteSession(id),
    onSettled: () => qc.invalidateQueries({ queryKey: selfKeys.sessions }),
  })
}

/** useSignOutOtherSessions ends every session but this one, one request each. */
export function useSignOutOtherSessions() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: async (sessions: Session[]) => {
      const others = sessions.filter((s) => !s.current)
      const results = await Promise.allSettled(others.map((s) => deleteSession(s.id)))
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')
      if (failed) throw failed.reason
      return others.length
    },
    onSettled: () => qc.invalidateQueries({ queryKey: selfKeys.sessions }),
  })
}

export function useChangePassword() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (input: ChangePasswordInput) => changePassword(input),
    // Every other session ended.
    onSuccess: () => qc.invalidateQueries({ queryKey: selfKeys.sessions }),
  })
}

/** useSwitchTenant makes another tenant active; nothing of the old one stays in the cache. */
export function useSwitchTenant() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (slug: string) => switchTenant(slug),
    onSuccess: async (me) => {
      qc.removeQueries({ predicate: (q) => q.queryKey[0] !== 'setup' && q.queryKey[0] !== 'me' })
      qc.setQueryData(queryKeys.me, me)
      await qc.invalidateQueries({ queryKey: queryKeys.me })
    },
  })
}

export function useInviteStaff() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (invites: StaffInvite[]) => inviteStaff(invites),
    onSuccess: () => staffChanged(qc),
  })
}

export function useUpdateStaffRole() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: ({ userId, role }: { userId: string; role: StaffRole }) => updateStaffRole(userId, role),
    onSettled: () => qc.invalidateQueries({ queryKey: selfKeys.staff }),
  })
}

export function useRemoveStaff() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (userId: string) => removeStaff(userId),
    onSettled: () => staffChanged(qc),
  })
}

export function useResendStaffInvitation() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (invitationId: string) => resendStaffInvitation(invitationId),
    onSettled: () => staffChanged(qc),
  })
}

export function useRevokeStaffInvitation() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (invitationId: string) => revokeStaffInvitation(invitationId),
    onSettled: () => staffChanged(qc),
  })
}

/** staffChanged refreshes what depends on the staff list: the list, the outbox, the people count. */
function staffChanged(qc: QueryClient): Promise<unknown> {
  return Promise.all([
    qc.invalidateQueries({ queryKey: selfKeys.staff }),
    qc.invalidateQueries({ queryKey: selfKeys.outbox }),
    qc.invalidateQueries({ queryKey: queryKeys.usage }),
  ])
}

// The people of an account: members, invitations and groups (issue 4).
// Shapes follow the people contract; only what the web app reads is typed.

import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query'
import { api, RawBody } from './client'
import { queryKeys as baseKeys } from './queries'
import type { Page } from './types'

/** The roles a person of an account can have (staff roles are never given here). */
export type AccountRole = 'account_admin' | 'account_user' | 'client'

export const ACCOUNT_ROLES: readonly AccountRole[] = ['account_admin', 'account_user', 'client']

export function isAccountRole(v: unknown): v is AccountRole {
  return typeof v === 'string' && (ACCOUNT_ROLES as readonly string[]).includes(v)
}

export type MemberStatus = 'active' | 'pending' | 'expired'

export interface GroupRef {
  id: string
  name: string
}

/** Member is a person of the account, or someone invited and not yet in (pending, expired). */
export interface Member {
  user_id: string
  invitation_id: string | null
  email: string
  /** "" while pending */
  name: string
  role: AccountRole
  groups: GroupRef[]
  status: MemberStatus
  last_active: string | null
  invited_at: string | null
  expires_at: string | null
}

export type BuiltinGroup = 'everyone' | 'administrators'

export interface GroupMember {
  user_id: string
  name: string
  email: string
}

export interface Group {
  id: string
  name: string
  role: AccountRole | null
  builtin: BuiltinGroup | null
  member_count: number
  /** Everyone: every member, implicitly */
  members: GroupMember[]
  created_at: string
}

export interface InviteInput {
  email: string
  role: AccountRole
  /** group ids; Everyone is implicit */
  groups: string[]
}

/** InviteResult answers an invitation or a CSV import: who was invited and how the mails went. */
export interface InviteResult {
  items: Member[]
  emailed: number
  /** how many mails landed in the outbox because they could not be sent */
  outbox: number
}

export interface MemberPatch {
  role?: AccountRole
  groups?: string[]
}

export interface GroupInput {
  name: string
  role?: AccountRole | null
}

export interface GroupPatch {
  name?: string
  /** null clears the role */
  role?: AccountRole | null
  members?: string[]
}

/** The most addresses one invitation request takes (server: too_many_invites). */
export const MAX_INVITES = 20
/** The most data rows a CSV import takes. */
export const MAX_CSV_ROWS = 1000

// --- endpoints ---------------------------------------------------------------

const base = (account: string) => `/accounts/${encodeURIComponent(account)}`
const seg = encodeURIComponent

/** The most pages listMembers follows (500 members each): a safety stop. */
const MAX_PAGES = 20

/** listMembers returns every member and invitee of the account, following the cursor. */
export async function listMembers(account: string, signal?: AbortSignal): Promise<Page<Member>> {
  const items: Member[] = []
  let cursor: string | null = null
  for (let i = 0; i < MAX_PAGES; i++) {
    const q: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''
    const page: Page<Member> = await api.get<Page<Member>>(`${base(account)}/members?limit=500${q}`, { signal })
    items.push(...page.items)
    cursor = page.next_cursor
    if (!cursor) break
  }
  return { items, next_cursor: null }
}

export function inviteMembers(account: string, invites: InviteInput[]): Promise<InviteResult> {
  return api.post<InviteResult>(`${base(account)}/invitations`, { invites })
}

/** importInvitations sends a CSV file's text as is (text/csv); role applies to every row. */
export function importInvitations(account: string, csv: string, role: AccountRole): Promise<InviteResult> {
  return api.post<InviteResult>(
    `${base(account)}/invitations/import?role=${encodeURIComponent(role)}`,
    new RawBody('text/csv; charset=utf-8', csv),
  )
}

export function resendInvitation(account: string, invitationId: string): Promise<Member> {
  return api.post<Member>(`${base(account)}/invitations/${seg(invitationId)}/resend`, {})
}

export function revokeInvitation(account: string, invitationId: string): Promise<void> {
  return api.delete<void>(`${base(account)}/invitations/${seg(invitationId)}`)
}

export function updateMember(account: string, userId: string, patch: MemberPatch): Promise<Member> {
  return api.patch<Member>(`${base(account)}/members/${seg(userId)}`, patch)
}

export function removeMember(account: string, userId: string): Promise<void> {
  return api.delete<void>(`${base(account)}/members/${seg(userId)}`)
}

export function removeMembers(account: string, userIds: string[]): Promise<{ removed: number }> {
  return api.post<{ removed: number }>(`${base(account)}/members/remove`, { user_ids: userIds })
}

export async function listGroups(account: string, signal?: AbortSignal): Promise<Page<Group>> {
  return api.get<Page<Group>>(`${base(account)}/groups`, { signal })
}

export function createGroup(account: string, input: GroupInput): Promise<Group> {
  return api.post<Group>(`${base(account)}/groups`, input)
}

export function updateGroup(account: string, id: string, patch: GroupPatch): Promise<Group> {
  return api.patch<Group>(`${base(account)}/groups/${seg(id)}`, patch)
}

export function deleteGroup(account: string, id: string): Promise<void> {
  return api.delete<void>(`${base(account)}/groups/${seg(id)}`)
}

// --- queries -----------------------------------------------------------------

export const peopleKeys = {
  members: (account: string) => ['account', account, 'members'] as const,
  groups: (account: string) => ['account', account, 'groups'] as const,
}

export function useMembers(account: string, enabled = true) {
  return useQuery({
    queryKey: peopleKeys.members(account),
    queryFn: ({ signal }) => listMembers(account, signal),
    enabled,
  })
}

export function useGroups(account: string, enabled = true) {
  return useQuery({
    queryKey: peopleKeys.groups(account),
    queryFn: ({ signal }) => listGroups(account, signal),
    enabled,
  })
}

/**
 * peopleChanged refreshes what depends on an account's people: its members,
 * its groups (counts and member lists), and the accounts list (people counts).
 */
export function peopleChanged(qc: QueryClient, account: string): Promise<unknown> {
  return Promise.all([
    qc.invalidateQueries({ queryKey: peopleKeys.members(account) }),
    qc.invalidateQueries({ queryKey: peopleKeys.groups(account) }),
    qc.invalidateQueries({ queryKey: baseKeys.accounts }),
  ])
}

/** Puts a changed member into the cached list at once (the refetch follows). */
function storeMember(qc: QueryClient, account: string, m: Member) {
  qc.setQueryData<Page<Member>>(peopleKeys.members(account), (page) =>
    page ? { ...page, items: page.items.map((i) => (i.user_id === m.user_id ? m : i)) } : page,
  )
}

function dropMembers(qc: QueryClient, account: string, keep: (m: Member) => boolean) {
  qc.setQueryData<Page<Member>>(peopleKeys.members(account), (page) =>
    page ? { ...page, items: page.items.filter(keep) } : page,
  )
}

export function useInviteMembers(account: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (invites: InviteInput[]) => inviteMembers(account, invites),
    onSuccess: () => peopleChanged(qc, account),
  })
}

export function useImportInvitations(account: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: ({ csv, role }: { csv: string; role: AccountRole }) => importInvitations(account, csv, role),
    onSuccess: () => peopleChanged(qc, account),
  })
}

export function useResendInvitation(account: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (invitationId: string) => resendInvitation(account, invitationId),
    onSuccess: (m) => {
      storeMember(qc, account, m)
      return qc.invalidateQueries({ queryKey: peopleKeys.members(account) })
    },
    // 409 invitation_used: the person accepted meanwhile; show the list as it is.
    onError: () => qc.invalidateQueries({ queryKey: peopleKeys.members(account) }),
  })
}

export function useRevokeInvitation(account: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (invitationId: string) => revokeInvitation(account, invitationId),
    onSuccess: (_v, invitationId) => {
      dropMembers(qc, account, (m) => m.invitation_id !== invitationId)
      return peopleChanged(qc, account)
    },
  })
}

export function useUpdateMember(account: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: ({ userId, patch }: { userId: string; patch: MemberPatch }) => updateMember(account, userId, patch),
    onSuccess: (m) => {
      storeMember(qc, account, m)
      return peopleChanged(qc, account)
    },
  })
}

export function useRemoveMember(account: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (userId: string) => removeMember(account, userId),
    onSuccess: (_v, userId) => {
      dropMembers(qc, account, (m) => m.user_id !== userId)
      return peopleChanged(qc, account)
    },
  })
}

export function useRemoveMembers(account: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (userIds: string[]) => removeMembers(account, userIds),
    onSuccess: (_v, userIds) => {
      const gone = new Set(userIds)
      dropMembers(qc, account, (m) => !gone.has(m.user_id))
      return peopleChanged(qc, account)
    },
  })
}

function storeGroup(qc: QueryClient, account: string, g: Group) {
  qc.setQueryData<Page<Group>>(peopleKeys.groups(account), (page) => {
    if (!page) return page
    const exists = page.items.some((i) => i.id === g.id)
    return { ...page, items: exists ? page.items.map((i) => (i.id === g.id ? g : i)) : [...page.items, g] }
  })
}

export function useCreateGroup(account: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (input: GroupInput) => createGroup(account, input),
    onSuccess: (g) => {
      storeGroup(qc, account, g)
      return qc.invalidateQueries({ queryKey: peopleKeys.groups(account) })
    },
  })
}

export function useUpdateGroup(account: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: ({ id, patch }: { id: string; patch: GroupPatch }) => updateGroup(account, id, patch),
    onSuccess: (g) => {
      storeGroup(qc, account, g)
      // Members show their groups: a rename or new members change those rows.
      return peopleChanged(qc, account)
    },
  })
}

export function useDeleteGroup(account: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (id: string) => deleteGroup(account, id),
    onSuccess: (_v, id) => {
      qc.setQueryData<Page<Group>>(peopleKeys.groups(account), (page) =>
        page ? { ...page, items: page.items.filter((g) => g.id !== id) } : page,
      )
      return peopleChanged(qc, account)
    },
  })
}

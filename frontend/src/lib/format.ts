import type { Role } from '../api/types'

const ROLE_LABELS: Record<Role, string> = {
  tenant_admin: 'Tenant Admin',
  consultant: 'Consultant',
  account_admin: 'Account Admin',
  account_user: 'Account User',
  client: 'Client',
}

export function roleLabel(role: Role | null | undefined): string {
  if (!role) return 'No role'
  return ROLE_LABELS[role] ?? role
}

/** initials of a person or firm: "Ada Lovelace" → "AL", "northwind" → "NO". */
export function initials(name: string, fallback = '?'): string {
  const words = name
    .trim()
    .split(/[\s\-_.@]+/)
    .filter(Boolean)
  if (words.length === 0) return fallback
  if (words.length === 1) return Array.from(words[0]).slice(0, 2).join('').toUpperCase()
  return (Array.from(words[0])[0] + Array.from(words[words.length - 1])[0]).toUpperCase()
}

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' })
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' })

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—'
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return '—'
  return dateFormat.format(d)
}

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—'
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return '—'
  return dateTimeFormat.format(d)
}

export function planLabel(plan: string): string {
  if (!plan) return 'Unknown plan'
  return plan.charAt(0).toUpperCase() + plan.slice(1)
}

export function greeting(now: Date = new Date()): string {
  const h = now.getHours()
  if (h < 5) return 'Good evening'
  if (h < 12) return 'Good morning'
  if (h < 18) return 'Good afternoon'
  return 'Good evening'
}

export function firstName(name: string): string {
  return name.trim().split(/\s+/)[0] || name
}

/** A CSS colour from the tenant's branding, or the fallback when it is not a plain hex colour. */
export function brandColor(color: string | undefined, fallback: string): string {
  if (color && /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.test(color.trim())) return color.trim()
  return fallback
}

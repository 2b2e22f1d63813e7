// Plan usage: how close the firm is to its plan's cap on active accounts.
import type { Usage } from '../api/types'
import { planLabel, plural } from './format'

export type UsageLevel = 'ok' | 'near' | 'full'

/** usageLevel: full at (or over) the cap, near from 80 % (or when one account is left of several). */
export function usageLevel(used: number, limit: number): UsageLevel {
  if (limit <= 0 || used >= limit) return 'full'
  if (used / limit >= 0.8 || (limit > 1 && limit - used === 1)) return 'near'
  return 'ok'
}

export const LEVEL_COLOR: Record<UsageLevel, string> = { ok: 'teal', near: 'orange', full: 'red' }

export function isPlanFull(u: Pick<Usage, 'accounts_used' | 'accounts_limit'> | undefined): boolean {
  return !!u && u.accounts_used >= u.accounts_limit
}

/** usageSummary: "3 of 10 active accounts · Trial plan". */
export function usageSummary(u: Pick<Usage, 'accounts_used' | 'accounts_limit' | 'plan'>): string {
  return `${u.accounts_used} of ${u.accounts_limit} active accounts · ${planLabel(u.plan)} plan`
}

/** planFullText explains a full plan with its numbers. */
export function planFullText(u: Pick<Usage, 'accounts_used' | 'accounts_limit' | 'plan'>): string {
  const allowed = plural(u.accounts_limit, 'active client account')
  let inUse: string
  if (u.accounts_used !== u.accounts_limit) inUse = `${u.accounts_used} are in use`
  else if (u.accounts_limit === 1) inUse = 'it is in use'
  else inUse = `all ${u.accounts_used} are in use`
  return `The ${planLabel(u.plan)} plan allows ${allowed}, and ${inUse}.`
}

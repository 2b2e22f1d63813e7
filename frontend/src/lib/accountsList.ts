// Sorting and filtering of the client accounts table. Pure, so the table's
// behaviour is tested without rendering it.
import type { AccountListItem, AccountStatus } from '../api/types'

export type SortKey = 'name' | 'contact' | 'external_ref' | 'people' | 'clients' | 'status' | 'last_activity'
export type SortDir = 'asc' | 'desc'
export interface Sort {
  key: SortKey
  dir: SortDir
}
export type StatusFilter = AccountStatus | 'all'

export const STATUS_FILTERS: StatusFilter[] = ['all', 'active', 'deactivated']

export function isStatusFilter(s: string | null): s is StatusFilter {
  return s === 'all' || s === 'active' || s === 'deactivated'
}

/** The direction a column sorts in first: numbers and dates newest/biggest first. */
export function firstDir(key: SortKey): SortDir {
  return key === 'people' || key === 'clients' || key === 'last_activity' ? 'desc' : 'asc'
}

/** nextSort is the sort after clicking the header of key. */
export function nextSort(current: Sort, key: SortKey): Sort {
  if (current.key !== key) return { key, dir: firstDir(key) }
  return { key, dir: current.dir === 'asc' ? 'desc' : 'asc' }
}

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true })

/** fold makes text comparable for search: lower case, accents removed. */
function fold(s: string): string {
  return s.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase()
}

/**
 * filterAccounts keeps the accounts whose name, slug or external reference
 * contains the query (case and accents ignored), with the given status.
 */
export function filterAccounts<T extends AccountListItem>(items: T[], query: string, status: StatusFilter): T[] {
  const q = fold(query.trim())
  return items.filter((a) => {
    if (status !== 'all' && a.status !== status) return false
    if (q === '') return true
    return [a.name, a.slug, a.external_ref ?? ''].some((f) => fold(f).includes(q))
  })
}

type Value = string | number | null

function valueOf(a: AccountListItem, key: SortKey): Value {
  switch (key) {
    case 'name':
      return a.name
    case 'contact':
      return a.contact_email || null
    case 'external_ref':
      return a.external_ref || null
    case 'people':
      return a.people ?? 0
    case 'clients':
      return a.clients ?? 0
    case 'status':
      return a.status === 'active' ? 0 : 1
    case 'last_activity': {
      const t = a.last_activity ? Date.parse(a.last_activity) : NaN
      return Number.isNaN(t) ? null : t
    }
  }
}

/**
 * sortAccounts returns a sorted copy. Empty values (no contact, no activity)
 * go last in either direction; ties are broken by name, then slug.
 */
export function sortAccounts<T extends AccountListItem>(items: T[], sort: Sort): T[] {
  const sign = sort.dir === 'asc' ? 1 : -1
  const byName = (a: T, b: T) => collator.compare(a.name, b.name) || (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0)
  return [...items].sort((a, b) => {
    const va = valueOf(a, sort.key)
    const vb = valueOf(b, sort.key)
    if (va === null && vb !== null) return 1
    if (vb === null && va !== null) return -1
    let c = 0
    if (va !== null && vb !== null) {
      c = typeof va === 'number' && typeof vb === 'number' ? va - vb : collator.compare(String(va), String(vb))
    }
    if (c !== 0) return c * sign
    return sort.key === 'name' ? byName(a, b) * sign : byName(a, b)
  })
}

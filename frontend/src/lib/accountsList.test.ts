import { describe, expect, it } from 'vitest'
import { account } from '../test/fixtures'
import { filterAccounts, firstDir, nextSort, sortAccounts } from './accountsList'

const items = [
  account({ slug: 'globex', name: 'Globex', people: 12, clients: 3, last_activity: '2026-11-20T10:00:00Z', contact_email: 'hank@globex.example', external_ref: 'CRM-2' }),
  account({ slug: 'acme', name: 'acme', people: 4, clients: 0, last_activity: null, contact_email: '', external_ref: 'CRM-10' }),
  account({ slug: 'zurich', name: 'Zürich Robotik', people: 4, clients: 1, last_activity: '2026-11-24T08:00:00Z', status: 'deactivated', contact_email: 'ops@zr.example', external_ref: '' }),
  account({ slug: 'initech', name: 'Initech 10', people: 0, clients: 0, last_activity: '2026-11-22T10:00:00Z', contact_email: 'bill@initech.example', external_ref: '' }),
  account({ slug: 'initech-2', name: 'Initech 9', people: 1, clients: 0, last_activity: '2026-11-21T10:00:00Z', contact_email: '', external_ref: '' }),
]
const slugs = (xs: { slug: string }[]) => xs.map((x) => x.slug)

describe('sortAccounts', () => {
  it('sorts names case-insensitively and numbers in names by value', () => {
    expect(slugs(sortAccounts(items, { key: 'name', dir: 'asc' }))).toEqual(['acme', 'globex', 'initech-2', 'initech', 'zurich'])
    expect(slugs(sortAccounts(items, { key: 'name', dir: 'desc' }))).toEqual(['zurich', 'initech', 'initech-2', 'globex', 'acme'])
  })

  it('sorts counts, breaking ties by name', () => {
    expect(slugs(sortAccounts(items, { key: 'people', dir: 'desc' }))).toEqual(['globex', 'acme', 'zurich', 'initech-2', 'initech'])
    expect(slugs(sortAccounts(items, { key: 'clients', dir: 'asc' }))).toEqual(['acme', 'initech-2', 'initech', 'zurich', 'globex'])
  })

  it('puts accounts without activity or contact last, in both directions', () => {
    expect(slugs(sortAccounts(items, { key: 'last_activity', dir: 'desc' }))).toEqual(['zurich', 'initech', 'initech-2', 'globex', 'acme'])
    expect(slugs(sortAccounts(items, { key: 'last_activity', dir: 'asc' })).at(-1)).toBe('acme')
    expect(slugs(sortAccounts(items, { key: 'contact', dir: 'asc' }))).toEqual(['initech', 'globex', 'zurich', 'acme', 'initech-2'])
    expect(slugs(sortAccounts(items, { key: 'contact', dir: 'desc' })).slice(-2)).toEqual(['acme', 'initech-2'])
  })

  it('sorts active before deactivated', () => {
    expect(slugs(sortAccounts(items, { key: 'status', dir: 'asc' })).at(-1)).toBe('zurich')
    expect(slugs(sortAccounts(items, { key: 'status', dir: 'desc' }))[0]).toBe('zurich')
  })

  it('does not change its input', () => {
    const copy = [...items]
    sortAccounts(items, { key: 'people', dir: 'asc' })
    expect(items).toEqual(copy)
  })
})

describe('filterAccounts', () => {
  it('matches name, slug and external reference, ignoring case and accents', () => {
    expect(slugs(filterAccounts(items, 'zurich', 'all'))).toEqual(['zurich'])
    expect(slugs(filterAccounts(items, 'ROBOTIK', 'all'))).toEqual(['zurich'])
    expect(slugs(filterAccounts(items, 'crm-1', 'all'))).toEqual(['acme'])
    expect(slugs(filterAccounts(items, 'initech-2', 'all'))).toEqual(['initech-2'])
    expect(slugs(filterAccounts(items, '  ', 'all'))).toHaveLength(5)
  })

  it('does not search the contact email (it is not shown to everyone)', () => {
    expect(filterAccounts(items, 'hank@', 'all')).toHaveLength(0)
  })

  it('filters by status', () => {
    expect(slugs(filterAccounts(items, '', 'deactivated'))).toEqual(['zurich'])
    expect(filterAccounts(items, '', 'active')).toHaveLength(4)
    expect(filterAccounts(items, 'zur', 'active')).toHaveLength(0)
  })
})

describe('nextSort', () => {
  it('toggles the direction of the same column, and starts a new one in its natural direction', () => {
    expect(nextSort({ key: 'name', dir: 'asc' }, 'name')).toEqual({ key: 'name', dir: 'desc' })
    expect(nextSort({ key: 'name', dir: 'desc' }, 'name')).toEqual({ key: 'name', dir: 'asc' })
    expect(nextSort({ key: 'name', dir: 'asc' }, 'people')).toEqual({ key: 'people', dir: 'desc' })
    expect(nextSort({ key: 'people', dir: 'desc' }, 'status')).toEqual({ key: 'status', dir: 'asc' })
    expect(firstDir('last_activity')).toBe('desc')
  })
})

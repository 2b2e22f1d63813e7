import { describe, expect, it } from 'vitest'
import { ApiError } from '../api/client'
import {
  checkAddresses,
  csvProblems,
  csvSummary,
  csvTemplate,
  filterMembers,
  itemField,
  looksLikeEmail,
  mapInviteErrors,
  parseAddresses,
  serverAddressProblems,
} from './people'
import { members } from '../test/people'

describe('parseAddresses', () => {
  it('splits on commas, semicolons, spaces and new lines, and drops duplicates', () => {
    expect(parseAddresses(' a@x.io, b@x.io;c@x.io\n\nd@x.io  A@X.io,,')).toEqual(['a@x.io', 'b@x.io', 'c@x.io', 'd@x.io'])
    expect(parseAddresses('a@x.io, b@x.io;c@x.io\n d@x.io  e@x.io\n\n')).toEqual(['a@x.io', 'b@x.io', 'c@x.io', 'd@x.io', 'e@x.io'])
  })
  it('keeps only the addresses of a mail-client list', () => {
    expect(parseAddresses('Ada Lovelace <ada@x.io>; "Hopper, Grace" <grace@x.io>, <alan@x.io>, mailto:bob@x.io')).toEqual([
      'ada@x.io',
      'grace@x.io',
      'alan@x.io',
      'bob@x.io',
    ])
  })
  it('drops a quoted name that has no address in angle brackets', () => {
    expect(parseAddresses('"Hopper, Grace" grace@x.io, "Ada" ada@x.io')).toEqual(['grace@x.io', 'ada@x.io'])
  })
  it('keeps what is not an address, for looksLikeEmail to report', () => {
    expect(parseAddresses('ada@x.io nope, @x.io')).toEqual(['ada@x.io', 'nope', '@x.io'])
  })
  it('is empty for blank input', () => {
    expect(parseAddresses('  \n ')).toEqual([])
    expect(parseAddresses('')).toEqual([])
  })
})

describe('looksLikeEmail', () => {
  it('accepts ordinary addresses and refuses the rest', () => {
    expect(looksLikeEmail('ada.lovelace+bureau@client.example')).toBe(true)
    for (const bad of ['nope', 'nope@', '@x.io', 'a@b', 'a@b.c', 'a b@x.io', 'a@@x.io', 'a@x..io']) {
      expect(looksLikeEmail(bad)).toBe(false)
    }
  })
})

describe('checkAddresses', () => {
  it('reports the addresses that are not shaped like one, by position', () => {
    expect(checkAddresses(['a@x.io', 'nope', 'A@x.io', 'a@b.c'])).toEqual([
      { index: 1, email: 'nope', message: 'This is not an email address.' },
      { index: 3, email: 'a@b.c', message: 'This is not an email address.' },
    ])
    expect(checkAddresses(parseAddresses('new@x.io, nope, NEW@x.io'))).toEqual([{ index: 1, email: 'nope', message: 'This is not an email address.' }])
  })
})

describe('serverAddressProblems', () => {
  it('puts each item error on the address that was sent', () => {
    const e = new ApiError({
      status: 409,
      code: 'already_invited',
      fieldErrors: { 'invites[2].email': 'Already invited.', 'invites[0].role': 'Not a staff role.', other: 'x' },
    })
    expect(serverAddressProblems(e, ['a@x.io', 'b@x.io', 'c@x.io'])).toEqual([
      { index: 0, email: 'a@x.io', message: 'Not a staff role.' },
      { index: 2, email: 'c@x.io', message: 'Already invited.' },
    ])
    expect(serverAddressProblems(new Error('x'), [])).toEqual([])
  })
  it('prefers the email’s own message, and names an address it was not sent', () => {
    const e = new ApiError({
      status: 422,
      code: 'validation_failed',
      fieldErrors: { 'invites[0].role': 'Not a staff role.', 'invites[0].email': 'Not valid.', 'invites[4].email': 'Gone.' },
    })
    expect(serverAddressProblems(e, ['a@x.io'])).toEqual([
      { index: 0, email: 'a@x.io', message: 'Not valid.' },
      { index: 4, email: 'Address 5', message: 'Gone.' },
    ])
  })
})

describe('mapInviteErrors', () => {
  it('maps invites[i] back to the i-th address sent', () => {
    const sent = ['a@x.io', 'B@x.io', 'c@x.io']
    const p = mapInviteErrors(
      [
        { field: 'invites[1].email', code: 'already_member', message: 'Already a member.' },
        { field: 'invites[2].email', code: 'email_invalid', message: 'Not valid.' },
        { field: 'invites[2].email', code: 'email_invalid', message: 'Not valid.' },
        { field: 'invites[0].role', code: 'role_invalid', message: 'Pick a role.' },
        { field: 'invites[0].groups', code: 'group_not_found', message: 'No such group.' },
        { field: 'invites[9].email', code: 'x', message: 'Out of range.' },
        { code: 'too_many_invites', message: 'Too many.' },
      ],
      sent,
    )
    expect([...p.byAddress.entries()]).toEqual([
      ['b@x.io', ['Already a member.']],
      ['c@x.io', ['Not valid.']],
    ])
    expect(p.role).toBe('Pick a role.')
    expect(p.groups).toBe('No such group.')
    expect(p.other).toEqual(['Out of range.', 'Too many.'])
  })
  it('reads item field names', () => {
    expect(itemField('invites[12].email')).toEqual({ index: 12, field: 'email' })
    expect(itemField('members[0]', 'members')).toEqual({ index: 0, field: '' })
    expect(itemField('name')).toBeNull()
  })
})

describe('CSV helpers', () => {
  it('makes a template with the header and a quoted cell of several groups', () => {
    const lines = csvTemplate().trimEnd().split('\r\n')
    expect(lines).toHaveLength(3)
    expect(lines[0]).toBe('email,group membership')
    expect(lines[2]).toMatch(/^grace\.hopper@client\.example,"Finance, Operations"$/)
  })
  it('orders problems by line and counts the rows', () => {
    const p = csvProblems([
      { line: 7, field: 'email', message: 'b' },
      { line: 2, field: 'group membership', message: 'a' },
      { line: 7, field: 'group membership', message: 'c' },
    ])
    expect(p.map((x) => x.line)).toEqual([2, 7, 7])
    expect(csvSummary(p)).toBe('2 rows have problems; nothing was imported. Fix them and upload again.')
    expect(csvSummary(p.slice(0, 1))).toBe('1 row has problems; nothing was imported. Fix them and upload again.')
    expect(csvSummary(csvProblems([{ field: 'file', message: 'No email column.' }]))).toBe(
      'The file has problems; nothing was imported. Fix it and upload again.',
    )
  })
})

describe('filterMembers', () => {
  it('matches name or email, ignoring case', () => {
    expect(filterMembers(members, 'ROAD').map((m) => m.user_id)).toEqual(['u11'])
    expect(filterMembers(members, 'late@').map((m) => m.user_id)).toEqual(['u13'])
    expect(filterMembers(members, '  ')).toHaveLength(members.length)
  })
})

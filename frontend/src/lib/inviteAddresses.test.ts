import { describe, expect, it } from 'vitest'
import { ApiError } from '../api/client'
import { checkAddresses, parseAddresses, serverAddressProblems } from './inviteAddresses'

describe('parseAddresses', () => {
  it('splits on commas, semicolons, spaces and lines', () => {
    expect(parseAddresses('a@x.io, b@x.io;c@x.io\n d@x.io  e@x.io\n\n')).toEqual(['a@x.io', 'b@x.io', 'c@x.io', 'd@x.io', 'e@x.io'])
    expect(parseAddresses('')).toEqual([])
  })
  it('takes addresses out of "Name <address>" forms', () => {
    expect(parseAddresses('Ada Lovelace <ada@x.io>, "Hopper, Grace" <grace@x.io>, mailto:alan@x.io')).toEqual([
      'ada@x.io',
      'grace@x.io',
      'alan@x.io',
    ])
  })
})

describe('checkAddresses', () => {
  it('reports bad shapes and repeats, by position', () => {
    expect(checkAddresses(['a@x.io', 'nope', 'A@x.io'])).toEqual([
      { index: 1, email: 'nope', message: 'This is not an email address.' },
      { index: 2, email: 'A@x.io', message: 'This address is in the list twice.' },
    ])
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
})

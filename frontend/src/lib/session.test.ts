import { describe, expect, it } from 'vitest'
import { initials, brandColor } from './format'
import { safeNext, sessionFlags } from './session'

describe('safeNext', () => {
  it.each([
    [null, '/'],
    ['', '/'],
    ['/accounts', '/accounts'],
    ['/acme/jobs?state=faulted#top', '/acme/jobs?state=faulted#top'],
    ['//evil.example/x', '/'],
    ['/\\evil.example', '/'],
    ['https://evil.example/', '/'],
    ['javascript:alert(1)', '/'],
    ['/login?next=/x', '/'],
    ['/setup', '/'],
  ])('%j → %j', (raw, want) => {
    expect(safeNext(raw)).toBe(want)
  })
})

describe('sessionFlags', () => {
  it('tells a chosen sign-out from an expired session', () => {
    sessionFlags.reset()
    expect(sessionFlags.endReason()).toBeNull()
    sessionFlags.markSignedIn()
    expect(sessionFlags.endReason()).toBe('expired')
    sessionFlags.markSigningOut()
    expect(sessionFlags.endReason()).toBe('signed_out')
    // Reading is pure: the answer stays until the sign-in page resets it.
    expect(sessionFlags.endReason()).toBe('signed_out')
    sessionFlags.reset()
    expect(sessionFlags.endReason()).toBeNull()
  })
})

describe('format helpers', () => {
  it('makes initials', () => {
    expect(initials('Ada Lovelace')).toBe('AL')
    expect(initials('Wile E. Coyote')).toBe('WC')
    expect(initials('northwind')).toBe('NO')
    expect(initials('  ')).toBe('?')
  })
  it('accepts only plain hex brand colours', () => {
    expect(brandColor('#aa3366', '#000')).toBe('#aa3366')
    expect(brandColor('red; background:url(x)', '#000')).toBe('#000')
    expect(brandColor(undefined, '#000')).toBe('#000')
  })
})

import { describe, expect, it } from 'vitest'
import { cleanSlugInput, slugFromName, slugProblem, validateSlug } from './slug'

describe('slugFromName', () => {
  it.each([
    ['Northwind Automation', 'northwind-automation'],
    ['Acme Corporation', 'acme-corporation'],
    ['  Acme   Corp.  ', 'acme-corp'],
    ['Société Générale', 'societe-generale'],
    ['Crème Brûlée & Co', 'creme-brulee-co'],
    ['Müller GmbH', 'muller-gmbh'],
    ['Straße 42', 'strasse-42'],
    ['Ørsted A/S', 'orsted-a-s'],
    ['ACME---Robots!!!', 'acme-robots'],
    ['--leading and trailing--', 'leading-and-trailing'],
    ['Ｆｕｌｌｗｉｄｔｈ', 'fullwidth'],
    ['東京', ''],
    ['', ''],
  ])('%j → %j', (name, slug) => {
    expect(slugFromName(name)).toBe(slug)
  })

  it('cuts to 50 characters without a trailing hyphen', () => {
    const s = slugFromName('a'.repeat(49) + ' b c d e')
    expect(s).toBe('a'.repeat(49))
    expect(s.length).toBeLessThanOrEqual(50)
    const t = slugFromName('word '.repeat(20))
    expect(t.length).toBeLessThanOrEqual(50)
    expect(t.endsWith('-')).toBe(false)
    expect(slugProblem(t)).toBeNull()
  })

  it('always produces something valid or too short', () => {
    for (const name of ['X', 'Ab', 'Zürich Robotics AG', '1 2 3', 'a_b_c', 'İstanbul Otomasyon']) {
      const s = slugFromName(name)
      expect(['too_short', 'required', null]).toContain(slugProblem(s))
    }
  })
})

describe('slug validation', () => {
  it.each([
    ['ab', null],
    ['acme-corp', null],
    ['a1-b2-c3', null],
    ['', 'required'],
    ['a', 'too_short'],
    ['a'.repeat(51), 'too_long'],
    ['Acme', 'invalid'],
    ['-acme', 'invalid'],
    ['acme-', 'invalid'],
    ['ac--me', 'invalid'],
    ['ac_me', 'invalid'],
    ['api', 'reserved'],
    ['login', 'reserved'],
    ['accounts', 'reserved'],
  ])('%j → %j', (s, problem) => {
    expect(slugProblem(s)).toBe(problem)
  })

  it('explains the problem', () => {
    expect(validateSlug('setup')).toMatch(/reserved/)
    expect(validateSlug('a')).toMatch(/at least 2/)
    expect(validateSlug('ok-slug')).toBeNull()
  })
})

describe('cleanSlugInput', () => {
  it('tidies typing without fighting the cursor', () => {
    expect(cleanSlugInput('Acme Corp')).toBe('acme-corp')
    expect(cleanSlugInput('acme-')).toBe('acme-')
    expect(cleanSlugInput('a__b  c')).toBe('a-b-c')
    expect(cleanSlugInput('a--b')).toBe('a-b')
    expect(cleanSlugInput('ä!b')).toBe('b')
  })
})

import { describe, expect, it } from 'vitest'
import { passwordBytes, passwordChars, passwordStrength, validatePassword } from './password'

describe('password rules', () => {
  it('counts characters as code points and bytes as UTF-8', () => {
    expect(passwordChars('😀😀')).toBe(2)
    expect(passwordBytes('😀😀')).toBe(8)
    expect(passwordChars('héllo')).toBe(5)
  })

  it('needs at least 15 characters', () => {
    expect(validatePassword('')).toMatch(/Choose/)
    expect(validatePassword('short password')).toMatch(/at least 15/)
    expect(validatePassword('plum orbit canvas')).toBeNull()
    // 15 emoji are 15 characters, even though they are 60 bytes.
    expect(validatePassword('😀🍋🚀🎈🌵🐙🎲🧩🍩🦊🌈🔑🎻🛶🪁')).toBeNull()
  })

  it('allows at most 1024 bytes', () => {
    expect(validatePassword('a b c d e f g h '.repeat(64))).toBeNull()
    expect(validatePassword('é'.repeat(513))).toMatch(/1024 bytes/)
  })

  it('refuses passwords of very few distinct characters', () => {
    expect(validatePassword('aaaaaaaaaaaaaaaaaa')).toMatch(/too easy/)
  })

  it('gives a live strength hint', () => {
    expect(passwordStrength('').label).toBe('')
    expect(passwordStrength('short').ok).toBe(false)
    expect(passwordStrength('plum orbit canvas').ok).toBe(true)
    expect(passwordStrength('plum orbit canvas tundra ninety').label).toBe('Very strong')
  })
})

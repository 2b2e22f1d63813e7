import { describe, expect, it } from 'vitest'
import { curlExample, keyInput, maskedKey, validateKeyForm } from './apiKeys'

describe('api key helpers', () => {
  it('shows a stored key by its prefix only', () => {
    expect(maskedKey('a1b2c3d4')).toBe('bur_a1b2c3d4_…')
  })

  it('checks the name and the optional expiry', () => {
    expect(validateKeyForm({ name: '  ', days: '' })).toEqual({ name: 'Name the key after what will use it.' })
    expect(validateKeyForm({ name: 'x'.repeat(101), days: '' }).name).toMatch(/at most 100/)
    expect(validateKeyForm({ name: 'Jenkins', days: '' })).toEqual({})
    expect(validateKeyForm({ name: 'Jenkins', days: 30 })).toEqual({})
    expect(validateKeyForm({ name: 'Jenkins', days: 365 })).toEqual({})
    for (const bad of [0, 366, 1.5, -3, 'abc']) {
      expect(validateKeyForm({ name: 'Jenkins', days: bad }).expires_in_days).toMatch(/1 to 365/)
    }
  })

  it('sends the expiry only when one is given', () => {
    expect(keyInput({ name: ' Jenkins ', days: '' })).toEqual({ name: 'Jenkins' })
    expect(keyInput({ name: 'Jenkins', days: 90 })).toEqual({ name: 'Jenkins', expires_in_days: 90 })
  })

  it('writes a curl command that works as pasted', () => {
    const cmd = curlExample('https://bureau.example', "bur_ab_it's", new Date('2026-11-24T10:00:30Z'))
    expect(cmd).toContain("curl -X POST 'https://bureau.example/api/v1/ingest/jobs'")
    // A quote in the key is escaped for the shell.
    expect(cmd).toContain(`-H 'Authorization: Bearer bur_ab_it'\\''s'`)
    const body = cmd.match(/-d '([\s\S]*)'$/)![1]
    expect(JSON.parse(body)).toEqual({
      items: [
        {
          ref: 'job-1001',
          process_ref: 'invoice-intake',
          robot_ref: 'robot-01',
          state: 'successful',
          started_at: '2026-11-24T09:56:00Z',
          ended_at: '2026-11-24T10:00:00Z',
        },
      ],
    })
  })
})

import { describe, expect, it } from 'vitest'
import { describeUserAgent } from './userAgent'

const d = (ua: string) => describeUserAgent(ua).label

describe('describeUserAgent', () => {
  it('names common browsers and systems', () => {
    expect(
      d('Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36'),
    ).toBe('Chrome on macOS')
    expect(d('Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0')).toBe('Firefox on Windows')
    expect(
      d('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0'),
    ).toBe('Edge on Windows')
    expect(
      d('Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1'),
    ).toBe('Safari on iPhone')
    expect(
      d('Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15'),
    ).toBe('Safari on macOS')
    expect(d('Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0')).toBe('Firefox on Linux')
    expect(
      d('Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36'),
    ).toBe('Chrome on Android')
    expect(describeUserAgent('Mozilla/5.0 (Linux; Android 14; Pixel 8) Chrome/131.0 Mobile Safari/537.36').mobile).toBe(true)
  })

  it('names tools, and falls back to the raw string or a plain phrase', () => {
    expect(d('curl/8.5.0')).toBe('curl')
    expect(d('')).toBe('Unknown device')
    expect(d('SomethingElse/1.0')).toBe('SomethingElse/1.0')
    expect(d('x'.repeat(80))).toHaveLength(58)
  })
})

// A readable summary of a browser's User-Agent string for the sessions list:
// "Chrome on macOS", "Safari on iPhone", "Firefox on Windows". A guess from a
// header anyone can set: good enough to recognise one's own devices, never a
// security decision.

export interface DeviceSummary {
  browser: string
  os: string
  mobile: boolean
  /** "Chrome on macOS", or the raw string cut short when nothing is recognised */
  label: string
}

const BROWSERS: Array<[RegExp, string]> = [
  [/\bEdg(?:e|A|iOS)?\/(\d+)/, 'Edge'],
  [/\bOPR\/(\d+)|\bOpera\/(\d+)/, 'Opera'],
  [/\bSamsungBrowser\/(\d+)/, 'Samsung Internet'],
  [/\bVivaldi\/(\d+)/, 'Vivaldi'],
  [/\bFirefox\/(\d+)|\bFxiOS\/(\d+)/, 'Firefox'],
  [/\bCriOS\/(\d+)/, 'Chrome'],
  [/\bChrom(?:e|ium)\/(\d+)/, 'Chrome'],
  [/\bVersion\/(\d+)[^ ]* (?:Mobile\/\S+ )?Safari\//, 'Safari'],
  [/\bcurl\/(\d+)/, 'curl'],
  [/\bWget\/(\d+)/, 'Wget'],
  [/\bPostmanRuntime\/(\d+)/, 'Postman'],
  [/\bpython-requests\/(\d+)/i, 'Python requests'],
  [/\bGo-http-client\/(\d+)/, 'Go HTTP client'],
  [/\bHeadlessChrome\/(\d+)/, 'Headless Chrome'],
]

const SYSTEMS: Array<[RegExp, string, boolean]> = [
  [/\biPhone\b/, 'iPhone', true],
  [/\biPad\b/, 'iPad', true],
  [/\bAndroid\b/, 'Android', true],
  [/\bCrOS\b/, 'ChromeOS', false],
  [/\bWindows Phone\b/, 'Windows Phone', true],
  [/\bWindows\b/, 'Windows', false],
  [/\bMac OS X\b|\bMacintosh\b/, 'macOS', false],
  [/\bLinux\b/, 'Linux', false],
]

export function describeUserAgent(ua: string | null | undefined): DeviceSummary {
  const s = (ua ?? '').trim()
  if (s === '') return { browser: '', os: '', mobile: false, label: 'Unknown device' }
  // Headless Chrome names itself; check it before plain Chrome.
  let browser = /\bHeadlessChrome\//.test(s) ? 'Headless Chrome' : ''
  if (!browser) {
    for (const [re, name] of BROWSERS) {
      if (re.test(s)) {
        browser = name
        break
      }
    }
  }
  let os = ''
  let mobile = false
  for (const [re, name, m] of SYSTEMS) {
    if (re.test(s)) {
      os = name
      mobile = m
      break
    }
  }
  let label: string
  if (browser && os) label = `${browser} on ${os}`
  else if (browser) label = browser
  else if (os) label = `Browser on ${os}`
  else label = s.length > 60 ? s.slice(0, 57) + '…' : s
  return { browser, os, mobile, label }
}

import { describe, expect, it } from 'vitest'
import type { Connection } from '../api/connection'
import { bluePrism, cloudConnection, demo, noConnection, specs, uipathCloud, uipathOnprem } from '../test/connection'
import {
  connectionDirty,
  connectionInput,
  connectionValues,
  firstErrorKey,
  isRequired,
  isShown,
  placeConnectionErrors,
  providerLabel,
  rotationFields,
  secretMode,
  sortSpecs,
  testAdvice,
  testTitle,
  validUrl,
  validateConnection,
  vendorName,
  withProvider,
} from './connectionForm'

const field = (key: string) => uipathOnprem.fields.find((f) => f.key === key)!

describe('connection form', () => {
  it('orders the picker by vendor, the demo last', () => {
    const extra = { name: 'robomotion', label: 'Robomotion', vendor: 'Robomotion', help: '', fields: [] }
    expect(sortSpecs([...specs, extra]).map((s) => s.name)).toEqual(['uipath-cloud', 'uipath-onprem', 'blue-prism', 'robomotion', 'demo'])
    expect(providerLabel(demo)).toBe('Demo estate (no credentials)')
    expect(providerLabel(bluePrism)).toBe('Blue Prism')
    expect(vendorName(uipathOnprem)).toBe('UiPath')
    expect(vendorName(demo)).toBe('the demo estate')
  })

  it('shows and requires fields by the other settings', () => {
    const cc = { auth: 'client_credentials' }
    const pw = { auth: 'password' }
    expect(isShown(field('client_secret'), cc)).toBe(true)
    expect(isShown(field('client_secret'), pw)).toBe(false)
    expect(isShown(field('username'), cc)).toBe(true)
    expect(isRequired(field('username'), cc)).toBe(false)
    expect(isRequired(field('username'), pw)).toBe(true)
    expect(isRequired(field('url'), pw)).toBe(true)
    expect(isRequired(field('ca_bundle'), pw)).toBe(false)
  })

  it('prefills defaults for a new connection, the saved settings for the saved provider', () => {
    expect(withProvider(uipathOnprem, cloudConnection).settings).toEqual({
      url: '',
      tenant: 'Default',
      auth: 'client_credentials',
      client_id: '',
      username: '',
      ca_bundle: '',
      skip_verify: 'false',
    })
    const v = connectionValues(cloudConnection, specs)
    expect(v.settings.client_id).toBe('bureau-app')
    expect(v.secrets).toEqual({})
    expect(withProvider(uipathCloud, cloudConnection).settings).toEqual(v.settings)
  })

  it('keeps stored secrets only for the saved provider', () => {
    const v = connectionValues(cloudConnection, specs)
    expect(secretMode(cloudConnection, v, 'client_secret')).toBe('stored')
    expect(secretMode(cloudConnection, { ...v, replacing: ['client_secret'] }, 'client_secret')).toBe('replace')
    expect(secretMode(cloudConnection, withProvider(bluePrism, cloudConnection), 'client_secret')).toBe('new')
    const unreadable: Connection = {
      ...cloudConnection,
      secrets: { client_secret: { configured: true, updated_at: '2026-01-01T00:00:00Z', needs_reentry: true } },
    }
    expect(secretMode(unreadable, v, 'client_secret')).toBe('reentry')
    expect(validateConnection(uipathCloud, v, unreadable).secrets.client_secret).toMatch(/Re-enter/)
    expect(validateConnection(uipathCloud, v, cloudConnection)).toEqual({ settings: {}, secrets: {} })
  })

  it('checks required fields, addresses and options before the server does', () => {
    const v = withProvider(uipathOnprem, noConnection)
    v.settings.url = 'ftp://orchestrator'
    v.settings.ca_bundle = 'not a certificate'
    const e = validateConnection(uipathOnprem, v, noConnection)
    expect(e.settings).toEqual({
      url: 'Must start with https:// (or http:// for a local server).',
      client_id: 'Client ID is required.',
      ca_bundle: expect.stringMatching(/PEM/),
    })
    expect(e.secrets).toEqual({ client_secret: 'Client secret is required.' })
    expect(firstErrorKey(e, uipathOnprem)).toBe('url')
    expect(validUrl('https://cloud.uipath.com/')).toBe(true)
    expect(validUrl('https://cloud.uipath.com/?x=1')).toBe(false)
    expect(validUrl('https://user:pw@cloud.uipath.com')).toBe(false)
    expect(validUrl('cloud.uipath.com')).toBe(false)
  })

  it('sends the shown settings trimmed, and only the secrets typed now', () => {
    const v = connectionValues(cloudConnection, specs)
    v.settings.organization = '  acme  '
    expect(connectionInput(uipathCloud, v)).toEqual({
      provider: 'uipath-cloud',
      settings: { url: 'https://cloud.uipath.com', organization: 'acme', tenant: 'DefaultTenant', folder: '', client_id: 'bureau-app' },
      secrets: {},
    })
    v.secrets.client_secret = ' s3cret '
    expect(connectionInput(uipathCloud, v).secrets).toEqual({ client_secret: ' s3cret ' })

    const pw = withProvider(uipathOnprem, noConnection)
    pw.settings.auth = 'password'
    pw.secrets = { client_secret: 'left over', password: 'pw' }
    const body = connectionInput(uipathOnprem, pw)
    expect(body.secrets).toEqual({ password: 'pw' })
    expect('client_id' in body.settings).toBe(false)
  })

  it('is dirty only when saving would change something', () => {
    const base = connectionValues(cloudConnection, specs)
    expect(connectionDirty({ ...base, replacing: ['client_secret'] }, base)).toBe(false)
    expect(connectionDirty({ ...base, secrets: { client_secret: '' } }, base)).toBe(false)
    expect(connectionDirty({ ...base, secrets: { client_secret: 'x' } }, base)).toBe(true)
    expect(connectionDirty({ ...base, settings: { ...base.settings, folder: 'F' } }, base)).toBe(true)
    expect(connectionDirty(withProvider(demo, cloudConnection), base)).toBe(true)
  })

  it('places the server’s field errors', () => {
    const placed = placeConnectionErrors(
      {
        provider: 'Unknown provider.',
        'settings.url': 'Bad URL.',
        'secrets.client_secret': 'Required.',
        client_id: 'Bare key.',
        'settings.client_secret': 'Not a setting.',
        other: 'Elsewhere.',
      },
      uipathCloud,
    )
    expect(placed.errors).toEqual({
      provider: 'Unknown provider.',
      settings: { url: 'Bad URL.', client_id: 'Bare key.' },
      secrets: { client_secret: 'Required.' },
    })
    expect(placed.unplaced).toEqual(['Not a setting.', 'Elsewhere.'])
  })

  it('rotates the current provider’s secrets, or what is stored when the provider is unknown', () => {
    expect(rotationFields(uipathCloud, cloudConnection).map((f) => f.label)).toEqual(['Client secret'])
    const odd: Connection = { ...cloudConnection, provider: 'legacy', secrets_set: ['api_token'], secrets: {} }
    expect(rotationFields(undefined, odd).map((f) => [f.key, f.label])).toEqual([['api_token', 'Api token']])
  })

  it('says what to do after each kind of failed test', () => {
    const codes = ['auth_failed', 'forbidden', 'not_found', 'rate_limited', 'vendor_unavailable', 'invalid_request', 'config_invalid', 'secret_needs_reentry']
    const advice = new Set(codes.map(testAdvice))
    expect(advice.size).toBe(codes.length)
    expect(advice.has(testAdvice(undefined))).toBe(false)
    expect(testAdvice('auth_failed')).toBe('Check the client ID and secret; re-enter the secret if it was rotated in the vendor’s console.')
    expect(testTitle('something_new')).toBe('The connection test failed')
  })
})

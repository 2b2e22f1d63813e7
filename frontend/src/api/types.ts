// Shapes of the API's JSON (API.md). Bodies may grow fields; only what the
// web app reads is typed here.

export type Role = 'tenant_admin' | 'consultant' | 'account_admin' | 'account_user' | 'client'

export interface User {
  id: string
  email: string
  name: string
}

export interface Branding {
  display_name?: string
  color?: string
  logo?: string
  support_email?: string
}

export interface Tenant {
  id: string
  slug: string
  name: string
  plan: string
  branding?: Branding
  /** staff may sign in with a password (GET /tenant; off once SSO is the only way in) */
  staff_passwords_enabled?: boolean
}

export interface AccountRef {
  slug: string
  name: string
}

export interface TenantRef {
  slug: string
  name: string
}

export type AuthMethod = 'password' | 'oidc'

/**
 * Me is the signed-in person in the active tenant. membership.role is null
 * when their membership is gone (removed, or their account deactivated):
 * the web app then shows only a plain "no access" screen.
 */
export interface Me {
  user: User
  tenant: Tenant
  membership: {
    role: Role | null
    /** effective roles: their own and their groups' (absent from older servers) */
    roles?: Role[]
    account: AccountRef | null
  }
  /** the union over roles */
  permissions: string[]
  auth_method: AuthMethod
  /** may use POST /me/password (false for SSO-only people) */
  has_password: boolean
  /** every tenant where the person has an accepted membership */
  tenants: TenantRef[]
}

export type AccountStatus = 'active' | 'deactivated'

/**
 * Account is one client account. contact_email, external_ref and notes are
 * agency-only: the server leaves them out (absent, not null) for
 * account-level people.
 */
export interface Account {
  id: string
  slug: string
  name: string
  status: AccountStatus
  created_at: string
  updated_at?: string
  deactivated_at?: string | null
  contact_email?: string
  external_ref?: string
  notes?: string
}

/** AccountListItem is a row of GET /accounts: the account with its counts. */
export interface AccountListItem extends Account {
  people: number
  clients: number
  last_activity: string | null
}

export interface CreateAccountInput {
  name: string
  slug: string
  contact_email?: string
  external_ref?: string
  notes?: string
}

export interface AccountPatch {
  name?: string
  contact_email?: string
  external_ref?: string
  notes?: string
}

export type SlugUnavailableReason = 'slug_taken' | 'slug_invalid' | 'slug_reserved'

export interface SlugAvailability {
  available: boolean
  reason?: SlugUnavailableReason | string
}

export interface AccountSettings {
  beta_features: boolean
  approval_timeout_seconds: number
  require_run_approval: boolean
  sync_interval: string
}

export type LicenseState = 'none' | 'valid' | 'expired' | 'invalid'

export interface Usage {
  plan: string
  accounts_used: number
  accounts_limit: number
  accounts_deactivated: number
  people: number
  api_keys: number
  jobs: number
  /** Absent on installations that host several firms. */
  db_bytes?: number
  license_state: LicenseState
  license_expires?: string
  message?: string
}

export interface LicenseInfo {
  plan: string
  accounts_limit: number
  state: LicenseState
  message?: string
  tenant?: string
  max_accounts?: number
  issued?: string
  expires?: string
  uploaded_at?: string
}

export interface Page<T> {
  items: T[]
  next_cursor: string | null
}

export interface SetupStatus {
  needed: boolean
}

export interface SetupInput {
  tenant_name: string
  tenant_slug: string
  owner_name: string
  owner_email: string
  owner_password: string
  account_name?: string
  account_slug?: string
  /** also create demo clients with a simulated RPA estate */
  sample_data?: boolean
}

export interface SetupResult {
  tenant: Tenant
  account: { id: string; slug: string; name: string; status: AccountStatus }
  user: User
  csrf_token: string
}

export interface LoginInput {
  email: string
  password: string
}

export interface LoginResult {
  user: User
  tenant: Tenant
  csrf_token: string
}

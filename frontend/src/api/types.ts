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
}

export interface AccountRef {
  slug: string
  name: string
}

export interface Me {
  user: User
  tenant: Tenant
  membership: {
    role: Role | null
    account: AccountRef | null
  }
  permissions: string[]
}

export type AccountStatus = 'active' | 'deactivated'

export interface Account {
  id: string
  slug: string
  name: string
  status: AccountStatus
  created_at: string
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

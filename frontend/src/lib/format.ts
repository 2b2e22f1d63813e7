/** initials of a person or firm: "Ada Lovelace" → "AL", "northwind" → "NO". */
export function initials(name: string, fallback = '?'): string {
  const words = name
    .trim()
    .split(/[\s\-_.@]+/)
    .filter(Boolean)
  if (words.length === 0) return fallback
  if (words.length === 1) return Array.from(words[0]).slice(0, 2).join('').toUpperCase()
  return (Array.from(words[0])[0] + Array.from(words[words.length - 1])[0]).toUpperCase()
}

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' })
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' })

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—'
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return '—'
  return dateFormat.format(d)
}

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—'
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return '—'
  return dateTimeFormat.format(d)
}

export function planLabel(plan: string): string {
  if (!plan) return 'Unknown plan'
  return plan.charAt(0).toUpperCase() + plan.slice(1)
}

export function greeting(now: Date = new Date()): string {
  const h = now.getHours()
  if (h < 5) return 'Good evening'
  if (h < 12) return 'Good morning'
  if (h < 18) return 'Good afternoon'
  return 'Good evening'
}

export function firstName(name: string): string {
  return name.trim().split(/\s+/)[0] || name
}

/** A CSS colour from the tenant's branding, or the fallback when it is not a plain hex colour. */
export function brandColor(color: string | undefined, fallback: string): string {
  if (color && /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.test(color.trim())) return color.trim()
  return fallback
}

const relativeFormat = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' })

const RELATIVE_STEPS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['second', 60],
  ['minute', 60],
  ['hour', 24],
  ['day', 7],
  ['week', 4.35],
  ['month', 12],
  ['year', Infinity],
]

/**
 * relativeTime says how long ago (or ahead) iso is: "just now",
 * "5 minutes ago", "yesterday", "in 3 days". '—' when there is no time.
 */
export function relativeTime(iso: string | null | undefined, now: number = Date.now()): string {
  if (!iso) return '—'
  const t = Date.parse(iso)
  if (Number.isNaN(t)) return '—'
  let delta = (t - now) / 1000
  if (Math.abs(delta) < 45) return 'just now'
  for (const [unit, size] of RELATIVE_STEPS) {
    if (Math.abs(delta) < size) return relativeFormat.format(Math.round(delta), unit)
    delta /= size
  }
  return formatDate(iso)
}

/** formatBytes writes a size in human units: 0 B, 812 B, 4.2 MB. */
export function formatBytes(n: number | null | undefined): string {
  if (n == null || !Number.isFinite(n) || n < 0) return '—'
  const units = ['B', 'KB', 'MB', 'GB', 'TB']
  let v = n
  let i = 0
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024
    i++
  }
  const digits = i === 0 || v >= 100 ? 0 : 1
  return `${v.toFixed(digits).replace(/\.0$/, '')} ${units[i]}`
}

/** plural: plural(1, 'account') → "1 account", plural(3, 'account') → "3 accounts". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString()} ${n === 1 ? one : many}`
}

import { Box } from '@mantine/core'
import { brandColor, initials } from '../lib/format'
import { DEFAULT_BRAND_COLOR } from '../theme'

/** Only same-origin or data: images may load under the CSP. */
function safeLogo(logo: string | undefined): string | null {
  if (!logo) return null
  const l = logo.trim()
  if (/^data:image\/(png|jpeg|gif|webp|svg\+xml);/i.test(l)) return l
  if (l.startsWith('/') && !l.startsWith('//')) return l
  return null
}

/**
 * BrandMark is the small square logo of a firm: its logo image when it has a
 * usable one, else its initials on its brand colour.
 */
export function BrandMark({
  name,
  color,
  logo,
  size = 32,
}: {
  name: string
  color?: string
  logo?: string
  size?: number
}) {
  const src = safeLogo(logo)
  const radius = Math.round(size * 0.24)
  if (src) {
    return (
      <Box
        component="img"
        src={src}
        alt=""
        width={size}
        height={size}
        style={{ borderRadius: radius, objectFit: 'contain', flex: 'none' }}
      />
    )
  }
  const bg = brandColor(color, DEFAULT_BRAND_COLOR)
  return (
    <Box
      className="logo-mark"
      aria-hidden
      style={{
        width: size,
        height: size,
        borderRadius: radius,
        background: `linear-gradient(135deg, ${bg}, color-mix(in srgb, ${bg} 70%, #000))`,
        fontSize: Math.round(size * 0.4),
      }}
    >
      {initials(name, 'B')}
    </Box>
  )
}

/** BureauMark is the product's own mark (the favicon's "B"). */
export function BureauMark({ size = 36 }: { size?: number }) {
  return (
    <Box
      component="svg"
      viewBox="0 0 32 32"
      width={size}
      height={size}
      aria-hidden
      style={{ flex: 'none', display: 'block' }}
    >
      <rect width="32" height="32" rx="7" fill={DEFAULT_BRAND_COLOR} />
      <path
        d="M10 8h7.2c3.3 0 5.3 1.6 5.3 4.2 0 1.7-.9 2.9-2.4 3.4 1.9.4 3.1 1.8 3.1 3.8 0 2.9-2.2 4.6-5.8 4.6H10V8zm3.2 6.5h3.4c1.6 0 2.5-.7 2.5-1.9s-.9-1.9-2.5-1.9h-3.4v3.8zm0 6.8h3.8c1.8 0 2.8-.8 2.8-2.1 0-1.3-1-2.1-2.8-2.1h-3.8v4.2z"
        fill="#fff"
      />
    </Box>
  )
}

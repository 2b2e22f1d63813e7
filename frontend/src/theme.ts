import { createTheme, type MantineColorsTuple } from '@mantine/core'

// Bureau's own blue: calm, professional, readable on white.
const bureau: MantineColorsTuple = [
  '#eef1ff',
  '#dadffc',
  '#b1bcf4',
  '#8696ed',
  '#6276e7',
  '#4b62e3',
  '#3e57e2',
  '#3048c9',
  '#283fb5',
  '#1c35a0',
]

export const theme = createTheme({
  primaryColor: 'bureau',
  primaryShade: 7,
  colors: { bureau },
  // System fonts only: the CSP allows no external font sources.
  fontFamily:
    '-apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif, "Apple Color Emoji", "Segoe UI Emoji"',
  fontFamilyMonospace: 'ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace',
  headings: { fontWeight: '650' },
  defaultRadius: 'md',
  cursorType: 'pointer',
  focusRing: 'auto',
  components: {
    Card: { defaultProps: { withBorder: true, radius: 'lg', padding: 'lg' } },
    Paper: { defaultProps: { radius: 'lg' } },
    Badge: { defaultProps: { radius: 'sm' } },
  },
})

/** The brand colour of the default logo mark, when the tenant set none. */
export const DEFAULT_BRAND_COLOR = '#3048c9'

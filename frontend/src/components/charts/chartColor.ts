/**
 * chartColor is the fill of a Mantine colour in the charts: the badges'
 * hue one shade stronger, so thin bars stay visible (gray a bit lighter,
 * to stay apart from the axis text).
 */
export function chartColor(name: string): string {
  return name === 'gray' ? 'var(--mantine-color-gray-5)' : `var(--mantine-color-${name}-6)`
}

import { Box, Group, Paper, Text, VisuallyHidden } from '@mantine/core'
import { useElementSize } from '@mantine/hooks'
import { useId, useState, type KeyboardEvent, type MouseEvent } from 'react'
import { labelEvery, niceScale } from '../../lib/dashboard'
import { chartColor } from './chartColor'

export interface Series {
  key: string
  label: string
  /** a Mantine colour name */
  color: string
}

export interface Bar {
  key: string
  /** under the bar (short: "3 Mar") */
  label: string
  /** in the tooltip and the data table ("Mon, 3 Mar") */
  longLabel: string
  values: Record<string, number>
  /** what the bar holds in one sentence (announced while stepping through with the keys) */
  sentence: string
}

const PAD = { left: 40, right: 8, top: 10, bottom: 26 }
/** The width drawn before the element has been measured (and in tests). */
const FALLBACK_WIDTH = 640

/** labelPlace keeps an x-axis label inside the drawing: centred under its bar, or flush with the edge near one. */
function labelPlace(x: number, width: number): { x: number; textAnchor: 'start' | 'middle' | 'end' } {
  const half = 24
  if (x + half > width) return { x: width - 2, textAnchor: 'end' }
  if (x - half < 0) return { x: 2, textAnchor: 'start' }
  return { x, textAnchor: 'middle' }
}

function total(bar: Bar, series: Series[]): number {
  return series.reduce((n, s) => n + (bar.values[s.key] ?? 0), 0)
}

/**
 * StackedBarChart draws one stacked bar per entry (the series bottom to top
 * in their order) as SVG. For screen readers the chart is an image named by
 * `summary`, followed by the same figures as a (visually hidden) table. With
 * the mouse or the arrow keys (once focused) each bar's figures show in a
 * tooltip and are announced.
 */
export function StackedBarChart({
  series,
  bars,
  summary,
  caption,
  height = 220,
}: {
  series: Series[]
  bars: Bar[]
  /** the chart in one or two sentences: its accessible name */
  summary: string
  /** the data table's caption */
  caption: string
  height?: number
}) {
  const { ref, width: measured } = useElementSize()
  const [active, setActive] = useState<number | null>(null)
  const [keyboard, setKeyboard] = useState(false)
  const hintId = useId()
  const width = measured > 0 ? measured : FALLBACK_WIDTH
  const plotW = Math.max(1, width - PAD.left - PAD.right)
  const plotH = Math.max(1, height - PAD.top - PAD.bottom)
  const n = bars.length
  const slot = n > 0 ? plotW / n : plotW
  const barW = Math.max(2, Math.min(44, slot * 0.66))
  const { top, ticks } = niceScale(Math.max(0, ...bars.map((b) => total(b, series))))
  const y = (v: number) => PAD.top + plotH - (v / top) * plotH
  const every = labelEvery(n, plotW)
  const cx = (i: number) => PAD.left + slot * (i + 0.5)

  const onMove = (e: MouseEvent<SVGSVGElement>) => {
    const box = e.currentTarget.getBoundingClientRect()
    // The drawing may be scaled down to fit (max-width): back to its own units.
    const scale = box.width > 0 ? width / box.width : 1
    const i = Math.floor(((e.clientX - box.left) * scale - PAD.left) / slot)
    setKeyboard(false)
    setActive(i >= 0 && i < n ? i : null)
  }
  const onKey = (e: KeyboardEvent<SVGSVGElement>) => {
    if (n === 0) return
    const cur = active ?? n - 1
    const next =
      e.key === 'ArrowLeft' ? Math.max(0, cur - 1)
      : e.key === 'ArrowRight' ? Math.min(n - 1, cur + 1)
      : e.key === 'Home' ? 0
      : e.key === 'End' ? n - 1
      : e.key === 'Escape' ? null
      : undefined
    if (next === undefined) return
    e.preventDefault()
    setKeyboard(true)
    setActive(next)
  }

  const shown = active !== null ? bars[active] : null
  const tipLeft = active !== null ? Math.min(Math.max(cx(active), 90), width - 90) : 0
  const tipTop = shown ? y(total(shown, series)) : 0

  return (
    <Box>
      <Box ref={ref} pos="relative" w="100%">
        <svg
          width={width}
          height={height}
          viewBox={`0 0 ${width} ${height}`}
          role="img"
          aria-label={summary}
          aria-describedby={hintId}
          tabIndex={n > 0 ? 0 : undefined}
          className="chart-svg"
          onMouseMove={onMove}
          onMouseLeave={() => !keyboard && setActive(null)}
          onFocus={() => {
            setKeyboard(true)
            setActive((a) => a ?? n - 1)
          }}
          onBlur={() => setActive(null)}
          onKeyDown={onKey}
          style={{ display: 'block', maxWidth: '100%' }}
        >
          {ticks.map((t) => (
            <g key={t}>
              <line x1={PAD.left} x2={width - PAD.right} y1={y(t)} y2={y(t)} stroke="var(--mantine-color-gray-2)" strokeWidth={1} />
              <text x={PAD.left - 8} y={y(t)} dy="0.32em" textAnchor="end" fontSize={11} fill="var(--mantine-color-dimmed)">
                {t.toLocaleString()}
              </text>
            </g>
          ))}
          {active !== null && (
            <rect x={PAD.left + slot * active} y={PAD.top} width={slot} height={plotH} fill="var(--mantine-color-gray-1)" rx={4} />
          )}
          {bars.map((bar, i) => {
            let base = 0
            return (
              <g key={bar.key} data-bar={bar.key}>
                {series.map((s) => {
                  const v = bar.values[s.key] ?? 0
                  if (v <= 0) return null
                  const y0 = y(base)
                  base += v
                  const y1 = y(base)
                  return <rect key={s.key} x={cx(i) - barW / 2} y={y1} width={barW} height={Math.max(1, y0 - y1)} fill={chartColor(s.color)} />
                })}
                {i % every === (n - 1) % every && (
                  <text {...labelPlace(cx(i), width)} y={height - 8} fontSize={11} fill="var(--mantine-color-dimmed)">
                    {bar.label}
                  </text>
                )}
              </g>
            )
          })}
          <line x1={PAD.left} x2={width - PAD.right} y1={y(0)} y2={y(0)} stroke="var(--mantine-color-gray-4)" strokeWidth={1} />
        </svg>
        {shown && (
          <Paper
            shadow="md"
            withBorder
            p="xs"
            radius="md"
            aria-hidden
            data-testid="chart-tooltip"
            style={{
              position: 'absolute',
              left: tipLeft,
              // Above the bar while there is room, else just inside the plot's top.
              top: tipTop > 100 ? tipTop - 8 : PAD.top,
              transform: tipTop > 100 ? 'translate(-50%, -100%)' : 'translate(-50%, 0)',
              pointerEvents: 'none',
              zIndex: 2,
              minWidth: 150,
            }}
          >
            <Text size="xs" fw={600} mb={4}>
              {shown.longLabel}
            </Text>
            {series.map((s) => (
              <Group key={s.key} justify="space-between" gap="md" wrap="nowrap">
                <Group gap={6} wrap="nowrap">
                  <Swatch color={s.color} />
                  <Text size="xs">{s.label}</Text>
                </Group>
                <Text size="xs" fw={600}>
                  {(shown.values[s.key] ?? 0).toLocaleString()}
                </Text>
              </Group>
            ))}
          </Paper>
        )}
      </Box>
      <VisuallyHidden id={hintId}>Use the left and right arrow keys to read each bar.</VisuallyHidden>
      <VisuallyHidden aria-live="polite">{keyboard && shown ? shown.sentence : ''}</VisuallyHidden>
      <Group gap="md" mt="xs" aria-hidden>
        {series.map((s) => (
          <Group key={s.key} gap={6} wrap="nowrap">
            <Swatch color={s.color} />
            <Text size="xs" c="dimmed">
              {s.label}
            </Text>
          </Group>
        ))}
      </Group>
      <VisuallyHidden>
        <table>
          <caption>{caption}</caption>
          <thead>
            <tr>
              <th scope="col">Day</th>
              {series.map((s) => (
                <th key={s.key} scope="col">
                  {s.label}
                </th>
              ))}
              <th scope="col">Total</th>
            </tr>
          </thead>
          <tbody>
            {bars.map((b) => (
              <tr key={b.key}>
                <th scope="row">{b.longLabel}</th>
                {series.map((s) => (
                  <td key={s.key}>{(b.values[s.key] ?? 0).toLocaleString()}</td>
                ))}
                <td>{total(b, series).toLocaleString()}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </VisuallyHidden>
    </Box>
  )
}

/** Swatch is a series' colour in a legend or tooltip. */
export function Swatch({ color }: { color: string }) {
  return <span aria-hidden style={{ display: 'inline-block', width: 10, height: 10, borderRadius: 3, background: chartColor(color), flex: 'none' }} />
}

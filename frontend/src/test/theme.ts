import { mergeThemeOverrides } from '@mantine/core'
import { theme } from '../theme'

/**
 * The app's theme for tests: it respects reduced motion, and the test setup
 * says motion is reduced (window.matchMedia), so Collapse, Accordion and
 * notifications change at once instead of waiting for animation frames that
 * jsdom only runs on a timer. (MantineProvider's env="test" already turns off
 * Transition and portals.)
 */
export const testTheme = mergeThemeOverrides(theme, { respectReducedMotion: true })

import userEvent from '@testing-library/user-event'

export type User = ReturnType<typeof userEvent.setup>

/**
 * setupUser is userEvent without the pause between keys and clicks: every
 * action is still wrapped in act() and flushed, the pauses only cost time.
 * (Nothing in the app depends on real time between keys; debounces are
 * awaited with findBy/waitFor.)
 */
export function setupUser(): User {
  return userEvent.setup({ delay: null })
}

/**
 * fill enters text into a field in one go, as pasting does: one input event
 * instead of one per character. Use user.type where the keystrokes
 * themselves are under test (debounces, cleaning as you type). A trailing
 * "{Enter}" presses Enter after the text.
 */
export async function fill(user: User, field: HTMLElement, text: string): Promise<void> {
  const enter = text.endsWith('{Enter}')
  await user.click(field)
  await user.paste(enter ? text.slice(0, -'{Enter}'.length) : text)
  if (enter) await user.keyboard('{Enter}')
}

import { Center, Loader } from '@mantine/core'

/** PageLoader fills the page area while a page's code loads. */
export function PageLoader() {
  return (
    <Center mih={320} role="status" aria-label="Loading the page">
      <Loader size="md" type="dots" aria-hidden />
    </Center>
  )
}

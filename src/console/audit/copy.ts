/** The part of the Clipboard API the copy button needs. */
export interface ClipboardLike {
  writeText(text: string): Promise<void>
}

/**
 * Copies text with the Clipboard API; false when there is none (an insecure context, an old
 * browser) or it refused (no permission, the page not focused), so the caller can show the
 * text to copy by hand instead. Never throws.
 */
export async function copyText(
  text: string,
  clipboard: ClipboardLike | undefined,
): Promise<boolean> {
  if (clipboard === undefined) return false
  try {
    await clipboard.writeText(text)
    return true
  } catch {
    return false
  }
}

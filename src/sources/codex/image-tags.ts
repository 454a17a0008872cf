/**
 * Codex marks where a pasted image sits in a prompt: the model's copy wraps the image in
 * `<image name=[Image #1]>` … `</image>` text parts (or names a file in one `<image … path="…">`
 * tag), the UI's copy (user_message) puts an `[Image #1]` placeholder in the typed text instead.
 */
const imageTags = /<image(?:\s[^>]*)?>|<\/image>|\[Image #\d+\]/g;

/** The words a person typed, without the marks Codex adds around their images. */
export function withoutImageTags(text: string): string {
  return text.replace(imageTags, '');
}

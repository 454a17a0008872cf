import { withoutImageTags } from './image-tags.ts';

const titleLength = 120;
// Codex Desktop prefixes a prompt with the files it mentions; the request follows this heading.
const desktopRequest = '## My request for Codex:';

/** The start of the first prompt, without the attachments Codex Desktop lists before it. */
export function titleOf(prompt: string): string {
  const text = withoutImageTags(prompt);
  const at = text.indexOf(desktopRequest);
  const request = at === -1 ? '' : text.slice(at + desktopRequest.length).trim();
  return (request.length > 0 ? request : text.trim()).slice(0, titleLength);
}

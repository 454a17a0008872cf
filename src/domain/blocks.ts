/** Content blocks of a message, independent of the source format. */
export type TextBlock = { type: 'text'; text: string };
export type ThinkingBlock = { type: 'thinking'; thinking: string; redacted?: boolean };
export type ToolUseBlock = { type: 'tool_use'; id: string; name: string; input: unknown };
export type ToolResultBlock = {
  type: 'tool_result';
  toolUseId: string;
  content: string | Block[];
  isError: boolean;
};
/** Image bytes live in the blob table, addressed by sha256; the block keeps what describes them. */
export type ImageBlock = { type: 'image'; mediaType: string; size: number; sha256: string | null };
/** A block type we do not model yet, kept whole so nothing is lost. */
export type OtherBlock = { type: 'other'; kind: string; value: unknown };

export type Block = TextBlock | ThinkingBlock | ToolUseBlock | ToolResultBlock | ImageBlock | OtherBlock;

/** Plain text of the blocks a reader would call "the message": text blocks only. */
export function textOf(blocks: readonly Block[]): string {
  let out = '';
  for (const block of blocks) {
    if (block.type !== 'text' || block.text.length === 0) continue;
    out = out.length === 0 ? block.text : `${out}\n${block.text}`;
  }
  return out;
}

import { bedrockFormat } from './bedrock.ts';
import { openaiFormat } from './openai.ts';
import { sharegptFormat } from './sharegpt.ts';
import type { JsonlTarget, TargetFormat } from './target-format.ts';
import { trlFormat } from './trl.ts';

/** The JSONL targets by name. A new target is a new file beside these, listed here. */
export const targetFormats: Record<JsonlTarget, TargetFormat> = {
  openai: openaiFormat,
  trl: trlFormat,
  sharegpt: sharegptFormat,
  bedrock: bedrockFormat,
};

import type { BuildOptions } from '../../config/datasets-config.ts';
import { targetFormats } from '../formats/formats.ts';
import type { TargetFormat } from '../formats/target-format.ts';

/** The format each example is written in (and validated as): the target, or OpenAI's for Parquet and JSON. */
export function lineFormatOf(options: BuildOptions): TargetFormat {
  return options.format === 'parquet' || options.format === 'json'
    ? targetFormats.openai
    : targetFormats[options.format];
}

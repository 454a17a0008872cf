/**
 * Token counts with gpt-tokenizer's o200k_base encoding (GPT-4o and later). Its tables take about
 * a second to load, so they are imported on first use, not when a command that never counts starts.
 */
export const tokenEncoding = 'o200k_base';

export type CountTokens = (text: string) => number;

export async function importTokenCounter(): Promise<CountTokens> {
  const encoding = await import('gpt-tokenizer/encoding/o200k_base');
  return encoding.countTokens;
}

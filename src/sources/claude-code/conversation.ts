import type { Block } from '../../domain/blocks.ts';
import type { MessageKind, Role } from '../../domain/message.ts';
import type { ParsedImage, ParsedRecord } from '../source-format.ts';
import type { Obj } from '../shared/fields.ts';

/** One conversation record being normalised, and what it adds to as it goes. */
export type Conversation = {
  o: Obj;
  session: string;
  uuid: string;
  timestamp: number | null;
  record: ParsedRecord;
  meta: Obj;
  images: ParsedImage[];
};

export type Content = {
  role: Role;
  kind: MessageKind;
  blocks: Block[];
  model: string | null;
  responseId: string | null;
};

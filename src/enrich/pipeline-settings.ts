import type { RedactionPolicy } from '../domain/enrichment.ts';
import type { DomainRule } from './domain-rules.ts';
import type { PipelineSettings } from './ingest-pipeline.ts';

/** The parts of the configuration a pipeline is built from (config.redaction, config.enrichment). */
export type PipelineConfig = {
  redaction: {
    policy: RedactionPolicy;
    pii: boolean;
    projects: Record<string, { policy?: RedactionPolicy | undefined; pii?: boolean | undefined }>;
  };
  enrichment: { atIngest: boolean; domainRules: DomainRule[] };
};

/** The settings of one project's pipeline: the project's own redaction policy over the default. */
export function pipelineSettingsFor(config: PipelineConfig, project: string): PipelineSettings {
  const own = config.redaction.projects[project];
  return {
    redaction: {
      policy: own?.policy ?? config.redaction.policy,
      pii: own?.pii ?? config.redaction.pii,
    },
    enrich: config.enrichment.atIngest,
    domainRules: config.enrichment.domainRules,
  };
}

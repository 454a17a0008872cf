import type { EnrichedSection, Report, Share } from './report-contract.ts';
import { componentTitles, count, day, notEnrichedNote, percent, usd, when } from './report-format.ts';

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s+/g, ' ');
}

function table(header: string[], rows: string[][]): string {
  if (rows.length === 0) return '_None._\n';
  const line = (cells: string[]) => `| ${cells.map(cell).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n') + '\n';
}

function shareTable(title: string, rows: Share[]): string {
  return table(
    [title, 'messages', 'share'],
    rows.map((r) => [r.label, count(r.messages), percent(r.share)]),
  );
}

function enriched<T>(section: EnrichedSection<T>, body: (rows: T[]) => string): string {
  if (section.status === 'not_enriched') return `${notEnrichedNote(section.notEnriched)}\n`;
  const note = section.notEnriched > 0 ? `\n${notEnrichedNote(section.notEnriched)}\n` : '';
  return body(section.rows) + note;
}

/** The report as Markdown: the same sections as the HTML one, as tables. */
export function renderMarkdown(report: Report): string {
  const t = report.totals;
  const out: string[] = [];
  out.push(`# Conversation analytics: ${report.project}`, '');
  out.push(
    `Generated ${when(report.generatedAt)}; messages from ${when(report.window.since)} to ${when(report.window.until)} (days are UTC).`,
    '',
  );
  out.push('## Totals', '');
  out.push(
    table(
      ['measure', 'value'],
      [
        ['messages', count(t.messages)],
        ['sessions', count(t.sessions)],
        ['speakers', count(t.speakers)],
        ['sources', count(t.sources)],
        [
          'active days',
          `${count(t.activeDays)}${t.firstDay === null ? '' : ` (${day(t.firstDay)} to ${day(t.lastDay!)})`}`,
        ],
        ['tokens', count(t.tokens)],
        ['estimated cost', usd(t.estimatedCostUsd)],
      ],
    ),
  );
  const c = report.collaboration;
  out.push(`## Collaboration score: ${c.score.toFixed(1)} / 100`, '');
  out.push(
    table(
      ['component (20 % each)', 'value', 'points', 'detail'],
      c.components.map((x) => [componentTitles[x.name], percent(x.value), x.points.toFixed(1), x.detail]),
    ),
  );
  out.push('## Messages by speaker', '', shareTable('speaker', report.messagesBySpeaker));
  out.push('## Messages by agent (model)', '', shareTable('model', report.messagesByAgent));
  out.push('## Messages by source', '', shareTable('source', report.messagesBySource));
  out.push('## Messages by role', '', shareTable('role', report.messagesByRole));
  out.push('## Sessions by status', '');
  out.push(
    table(
      ['status', 'sessions', 'share'],
      report.sessionsByStatus.map((s) => [s.status, count(s.sessions), percent(s.share)]),
    ),
  );
  const e = report.enrichment;
  out.push(
    '## Enrichment',
    '',
    `${count(e.enriched)} of ${count(e.enriched + e.notEnriched)} messages enriched (${percent(e.share)}).`,
    '',
  );
  out.push(
    '## Domains (chain)',
    '',
    enriched(report.domains, (rows) => shareTable('domain', rows)),
  );
  out.push(
    '## ACE tiers',
    '',
    enriched(report.tiers, (rows) => shareTable('tier', rows)),
  );
  out.push(
    '## SHL tags',
    '',
    enriched(report.tags, (rows) => shareTable('tag', rows)),
  );
  out.push(
    '## Top keywords',
    '',
    enriched(report.keywords, (rows) =>
      table(
        ['keyword', 'TF-IDF score'],
        rows.map((k) => [k.term, k.score.toFixed(2)]),
      ),
    ),
  );
  const tools = report.tools;
  out.push(
    '## Tool usage and failures',
    '',
    enriched(
      tools,
      (rows) =>
        `${count(tools.calls)} messages with tool calls, ${count(tools.failures)} with failed results (${percent(tools.failureRate)}).\n\n` +
        table(
          ['tool', 'calls', 'failures', 'failure rate'],
          rows.map((r) => [r.tool, count(r.calls), count(r.failures), percent(r.failureRate)]),
        ),
    ),
  );
  const k = report.tokens;
  out.push('## Tokens and estimated cost', '');
  out.push(
    table(
      ['model', 'input', 'output', 'cache write', 'cache read', 'cost'],
      k.byModel.map((m) => [
        m.model,
        count(m.inputTokens),
        count(m.outputTokens),
        count(m.cacheCreationTokens),
        count(m.cacheReadTokens),
        m.priced ? usd(m.costUsd) : 'not priced',
      ]),
    ),
  );
  if (k.unpricedModels.length > 0)
    out.push(`Not in the price table (no cost counted): ${k.unpricedModels.join(', ')}.`, '');
  out.push(`Prices: ${k.priceTable}.`, '');
  out.push('### Per day', '');
  out.push(
    table(
      ['day', 'tokens', 'responses', 'cost'],
      k.days.map((d) => [day(d.day), count(d.totalTokens), count(d.responses), usd(d.costUsd)]),
    ),
  );
  out.push('## Messages per day', '');
  out.push(
    table(
      ['day', 'messages'],
      report.timeline.map((d) => [day(d.day), count(d.messages)]),
    ),
  );
  return out.join('\n');
}

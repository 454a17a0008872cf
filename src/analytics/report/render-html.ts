import type { EnrichedSection, Report, Share } from './report-contract.ts';
import { componentTitles, count, day, notEnrichedNote, percent, usd, when } from './report-format.ts';
import { barChart, columnChart, escapeXml as esc, scoreChart } from './svg-charts.ts';

const style = `
body{font-family:system-ui,sans-serif;max-width:980px;margin:2rem auto;padding:0 1rem;color:#222}
h1{font-size:1.6rem}h2{margin-top:2.2rem;border-bottom:1px solid #ddd;padding-bottom:.3rem}
table{border-collapse:collapse;margin:.6rem 0}td,th{padding:.25rem .7rem;border-bottom:1px solid #eee;text-align:left}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}.note{color:#8a5a00}.muted{color:#666}
.cards{display:flex;flex-wrap:wrap;gap:.8rem}.card{border:1px solid #ddd;border-radius:6px;padding:.6rem 1rem;min-width:9rem}
.card b{display:block;font-size:1.3rem}`;

function tableHtml(header: string[], rows: string[][], numeric: boolean[]): string {
  if (rows.length === 0) return '<p class="muted">None.</p>';
  const th = header.map((h, i) => `<th${numeric[i] ? ' class="n"' : ''}>${esc(h)}</th>`).join('');
  const body = rows
    .map((r) => `<tr>${r.map((c, i) => `<td${numeric[i] ? ' class="n"' : ''}>${esc(c)}</td>`).join('')}</tr>`)
    .join('');
  return `<table><thead><tr>${th}</tr></thead><tbody>${body}</tbody></table>`;
}

function shareSection(title: string, rows: Share[], unit = 'messages'): string {
  return (
    barChart(
      rows.map((r) => ({ label: r.label, value: r.messages, note: `(${percent(r.share)})` })),
      count,
    ) +
    tableHtml(
      [title, unit, 'share'],
      rows.map((r) => [r.label, count(r.messages), percent(r.share)]),
      [false, true, true],
    )
  );
}

function enriched<T>(section: EnrichedSection<T>, body: (rows: T[]) => string): string {
  const note = `<p class="note">${esc(notEnrichedNote(section.notEnriched))}</p>`;
  if (section.status === 'not_enriched') return note;
  return body(section.rows) + (section.notEnriched > 0 ? note : '');
}

/** The report as one self-contained HTML page with inline SVG charts (works offline). */
export function renderHtml(report: Report): string {
  const sections = [...overview(report), ...authors(report), ...enrichment(report), ...tokens(report)];
  const title = esc(`Analytics: ${report.project}`);
  return (
    `<!doctype html>\n<html lang="en"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title>` +
    `<style>${style}</style></head><body>\n${sections.join('\n')}\n</body></html>\n`
  );
}

function overview(report: Report): string[] {
  const t = report.totals;
  const c = report.collaboration;
  const cards: [string, string][] = [
    ['messages', count(t.messages)],
    ['sessions', count(t.sessions)],
    ['speakers', count(t.speakers)],
    ['active days', count(t.activeDays)],
    ['tokens', count(t.tokens)],
    ['estimated cost', usd(t.estimatedCostUsd)],
    ['collaboration', `${c.score.toFixed(1)} / 100`],
  ];
  return [
    `<h1>Conversation analytics: ${esc(report.project)}</h1>`,
    `<p class="muted">Generated ${esc(when(report.generatedAt))}; messages from ${esc(when(report.window.since))} to ${esc(when(report.window.until))}. Days are UTC.</p>`,
    `<div class="cards">${cards.map(([l, v]) => `<div class="card"><b>${esc(v)}</b>${esc(l)}</div>`).join('')}</div>`,
    `<h2>Collaboration score: ${esc(c.score.toFixed(1))} / 100</h2>`,
    scoreChart(
      c.components.map((x) => ({ name: componentTitles[x.name], points: x.points })),
      c.score,
    ),
    tableHtml(
      ['component (20 % each)', 'value', 'points', 'detail'],
      c.components.map((x) => [componentTitles[x.name], percent(x.value), x.points.toFixed(1), x.detail]),
      [false, true, true, false],
    ),
    '<h2>Messages per day</h2>',
    columnChart(
      report.timeline.map((d) => ({ x: d.day, y: d.messages })),
      count,
      day,
    ) || '<p class="muted">No message has a time.</p>',
  ];
}

function authors(report: Report): string[] {
  return [
    '<h2>Messages by speaker</h2>',
    shareSection('speaker', report.messagesBySpeaker),
    '<h2>Messages by agent (model)</h2>',
    shareSection('model', report.messagesByAgent),
    '<h2>Messages by source</h2>',
    shareSection('source', report.messagesBySource),
    '<h2>Sessions by status</h2>',
    shareSection(
      'status',
      report.sessionsByStatus.map((s) => ({ label: s.status, messages: s.sessions, share: s.share })),
      'sessions',
    ),
  ];
}

function enrichment(report: Report): string[] {
  const e = report.enrichment;
  const tools = report.tools;
  return [
    '<h2>Enrichment</h2>',
    `<p>${esc(`${count(e.enriched)} of ${count(e.enriched + e.notEnriched)} messages enriched (${percent(e.share)}).`)}</p>`,
    '<h2>Domains (chain)</h2>',
    enriched(report.domains, (rows) => shareSection('domain', rows)),
    '<h2>ACE tiers</h2>',
    enriched(report.tiers, (rows) => shareSection('tier', rows)),
    '<h2>SHL tags</h2>',
    enriched(report.tags, (rows) => shareSection('tag', rows)),
    '<h2>Top keywords</h2>',
    enriched(report.keywords, (rows) =>
      barChart(
        rows.map((r) => ({ label: r.term, value: r.score })),
        (n) => n.toFixed(1),
      ),
    ),
    '<h2>Tool usage and failures</h2>',
    enriched(
      tools,
      (rows) =>
        `<p>${esc(`${count(tools.calls)} messages with tool calls, ${count(tools.failures)} with failed results (${percent(tools.failureRate)}).`)}</p>` +
        tableHtml(
          ['tool', 'calls', 'failures', 'failure rate'],
          rows.map((r) => [r.tool, count(r.calls), count(r.failures), percent(r.failureRate)]),
          [false, true, true, true],
        ),
    ),
  ];
}

function tokens(report: Report): string[] {
  const k = report.tokens;
  return [
    '<h2>Tokens and estimated cost</h2>',
    columnChart(
      k.days.map((d) => ({ x: d.day, y: d.totalTokens })),
      count,
      day,
    ),
    columnChart(
      k.days.map((d) => ({ x: d.day, y: d.costUsd })),
      usd,
      day,
    ),
    tableHtml(
      ['model', 'input', 'output', 'cache write', 'cache read', 'cost'],
      k.byModel.map((m) => [
        m.model,
        count(m.inputTokens),
        count(m.outputTokens),
        count(m.cacheCreationTokens),
        count(m.cacheReadTokens),
        m.priced ? usd(m.costUsd) : 'not priced',
      ]),
      [false, true, true, true, true, true],
    ),
    k.unpricedModels.length > 0
      ? `<p class="note">${esc(`Not in the price table (no cost counted): ${k.unpricedModels.join(', ')}.`)}</p>`
      : '',
    `<p class="muted">Prices: ${esc(k.priceTable)}.</p>`,
  ];
}

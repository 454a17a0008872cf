/**
 * Charts as inline SVG strings: no script, no font or file fetched, so a report opens offline
 * and can be mailed. Every text is escaped.
 */

const palette = ['#4269d0', '#efb118', '#ff725c', '#6cc5b0', '#3ca951', '#ff8ab7', '#a463f2', '#97bbf5'];

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export type Bar = { label: string; value: number; note?: string };

/** Horizontal bars, one per row, the value written at the end of each. */
export function barChart(bars: Bar[], format: (n: number) => string): string {
  if (bars.length === 0) return '';
  const rowHeight = 22;
  const labelWidth = 200;
  const barWidth = 420;
  const width = labelWidth + barWidth + 140;
  const height = bars.length * rowHeight + 8;
  const max = Math.max(...bars.map((b) => b.value), 1);
  const rows = bars.map((b, i) => {
    const y = 4 + i * rowHeight;
    const w = Math.max(1, (b.value / max) * barWidth);
    const label = b.label.length > 30 ? `${b.label.slice(0, 29)}…` : b.label;
    return (
      `<text x="${labelWidth - 8}" y="${y + 15}" text-anchor="end">${escapeXml(label)}</text>` +
      `<rect x="${labelWidth}" y="${y + 3}" width="${w.toFixed(1)}" height="${rowHeight - 6}" fill="${palette[i % palette.length]}"><title>${escapeXml(b.label)}: ${escapeXml(format(b.value))}</title></rect>` +
      `<text x="${(labelWidth + w + 6).toFixed(1)}" y="${y + 15}">${escapeXml(format(b.value))}${b.note ? ` ${escapeXml(b.note)}` : ''}</text>`
    );
  });
  return svg(width, height, rows.join(''));
}

export type Point = { x: number; y: number };

/** Columns over time (UTC days), with the first and last day and the maximum labelled. */
export function columnChart(
  points: Point[],
  format: (n: number) => string,
  dayLabel: (ms: number) => string,
): string {
  if (points.length === 0) return '';
  const width = 760;
  const height = 220;
  const left = 70;
  const bottom = 30;
  const plotWidth = width - left - 10;
  const plotHeight = height - bottom - 10;
  const first = points[0]!.x;
  const last = points.at(-1)!.x;
  const span = Math.max(1, Math.round((last - first) / 86_400_000) + 1);
  const slot = plotWidth / span;
  const max = Math.max(...points.map((p) => p.y), 1);
  const columns = points.map((p) => {
    const i = Math.round((p.x - first) / 86_400_000);
    const h = (p.y / max) * plotHeight;
    const x = left + i * slot;
    return `<rect x="${x.toFixed(2)}" y="${(10 + plotHeight - h).toFixed(2)}" width="${Math.max(0.5, slot * 0.85).toFixed(2)}" height="${h.toFixed(2)}" fill="${palette[0]}"><title>${escapeXml(dayLabel(p.x))}: ${escapeXml(format(p.y))}</title></rect>`;
  });
  const axis =
    `<line x1="${left}" y1="${10 + plotHeight}" x2="${width - 10}" y2="${10 + plotHeight}" stroke="#888"/>` +
    `<text x="${left - 6}" y="16" text-anchor="end">${escapeXml(format(max))}</text>` +
    `<text x="${left - 6}" y="${10 + plotHeight}" text-anchor="end">0</text>` +
    `<text x="${left}" y="${height - 8}">${escapeXml(dayLabel(first))}</text>` +
    `<text x="${width - 10}" y="${height - 8}" text-anchor="end">${escapeXml(dayLabel(last))}</text>`;
  return svg(width, height, axis + columns.join(''));
}

/** The score as one bar of 100 points, a segment per component. */
export function scoreChart(components: { name: string; points: number }[], score: number): string {
  const width = 760;
  const height = 64;
  const scale = (width - 20) / 100;
  let x = 10;
  const segments = components.map((c, i) => {
    const w = c.points * scale;
    const part = `<rect x="${x.toFixed(1)}" y="10" width="${w.toFixed(1)}" height="24" fill="${palette[i % palette.length]}"><title>${escapeXml(c.name)}: ${c.points.toFixed(1)} of 20</title></rect>`;
    x += w;
    return part;
  });
  const frame = `<rect x="10" y="10" width="${width - 20}" height="24" fill="none" stroke="#888"/>`;
  const label = `<text x="10" y="54">${escapeXml(`${score.toFixed(1)} / 100`)}</text>`;
  return svg(width, height, segments.join('') + frame + label);
}

function svg(width: number, height: number, body: string): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="100%" ` +
    `style="max-width:${width}px" font-family="system-ui, sans-serif" font-size="12" role="img">${body}</svg>`
  );
}

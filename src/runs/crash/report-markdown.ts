import type { CrashReport } from './crash-report.ts';

function fence(text: string, lang = ''): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = '`'.repeat(longest + 1);
  return `${ticks}${lang}\n${text}\n${ticks}`;
}

function quote(text: string): string {
  return text
    .split('\n')
    .map((line) => `> ${line}`)
    .join('\n');
}

function exitText(report: CrashReport): string {
  if (report.exit.signal !== null) return `killed by ${report.exit.signal}`;
  return report.exit.code === null ? 'unknown exit' : `exit code ${report.exit.code}`;
}

/** The crash report as Markdown: for the terminal, the e-mail body and `runs show`. */
export function renderCrashMarkdown(report: CrashReport): string {
  const out: string[] = [
    `# Crash of run ${report.runId} (chain ${report.chainId})`,
    '',
    `- **Error:** ${report.error.summary}`,
    `- **Exit:** ${exitText(report)}`,
    `- **Command:** \`${report.command.join(' ')}\``,
    `- **Host:** ${report.host}`,
    `- **Reported:** ${report.createdAt} (${report.trigger})`,
    '',
  ];
  if (report.analysis !== null) {
    const a = report.analysis;
    out.push(
      `## Root cause (${a.provider} ${a.model}${a.confidence ? `, ${a.confidence} confidence` : ''})`,
      '',
      a.rootCause,
      '',
    );
    if (a.decisions.length > 0) {
      out.push('## Decisions that led here', '');
      for (const d of a.decisions) {
        const ref = d.excerpt === null ? '' : ` [#${d.excerpt}]`;
        out.push(`- ${d.what}${ref}${d.effect ? `: ${d.effect}` : ''}`);
      }
      out.push('');
    }
    out.push('## Fix', '', a.fix, '');
  } else if (report.providerError !== null) {
    out.push(
      `> The model could not be asked: ${report.providerError}`,
      '> This is the built-in analysis.',
      '',
    );
  }
  if (report.likelyCauses.length > 0) {
    out.push(report.analysis === null ? '## Likely causes' : '## Known causes of this error', '');
    for (const match of report.likelyCauses) {
      out.push(`**${match.title}**`, '');
      for (const cause of match.causes) out.push(`- ${cause}`);
      out.push('', 'What usually fixes it:', '');
      for (const fix of match.fixes) out.push(`- ${fix}`);
      out.push('');
    }
  }
  out.push('## Error', '', fence(report.error.excerpt || report.error.summary), '');
  if (report.excerpts.length > 0) {
    out.push('## Related conversation', '');
    for (const e of report.excerpts) {
      out.push(`**[#${e.n}] ${e.role}**${e.timestamp ? ` · ${e.timestamp}` : ''}`, '', quote(e.text), '');
    }
  } else if (report.conversation.problem !== null) {
    out.push(`_No conversation: ${report.conversation.problem}_`, '');
  }
  out.push('## Log tail', '', fence(report.logTail), '');
  return out.join('\n');
}

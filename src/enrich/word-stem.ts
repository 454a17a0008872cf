/**
 * A light English stemmer for rule matching: rule words and message words go through the same
 * function, so "tests", "testing" and "tested" all meet "test", and "caches", "cached", "caching"
 * meet "cache". Not linguistics: just enough that rules need not list every inflection.
 */
export function stem(word: string): string {
  // Most words end in none of the suffixes: leave them at once.
  const end = word.charCodeAt(word.length - 1);
  if (end !== 115 && end !== 100 && end !== 103 && end !== 101) return word;
  let w = word;
  const n = w.length;
  if (n > 4 && w.endsWith('ies')) w = `${w.slice(0, -3)}y`;
  else if (n > 5 && w.endsWith('ing')) w = undouble(w.slice(0, -3));
  else if (n > 4 && w.endsWith('ed')) w = undouble(w.slice(0, -2));
  else if (n > 3 && w.endsWith('s') && !/(?:ss|us|is)$/.test(w)) w = w.slice(0, -1);
  if (w.length > 4 && w.endsWith('e')) w = w.slice(0, -1);
  return w;
}

/** "debugg" → "debug", "runn" → "run" (but "pass", "fall" keep their pair). */
function undouble(w: string): string {
  const n = w.length;
  if (n < 4) return w;
  const last = w[n - 1]!;
  if (last !== w[n - 2] || 'lsz'.includes(last) || !/[bcdfgkmnprt]/.test(last)) return w;
  return w.slice(0, -1);
}

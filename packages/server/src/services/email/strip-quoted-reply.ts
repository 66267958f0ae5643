/** Lines that start the quoted history a mail client puts under a reply (English, German, French). */
const MARKERS: readonly RegExp[] = [
  /^On .{1,200} wrote:\s*$/,
  /^Am .{1,200} schrieb .{0,200}:\s*$/,
  /^Le .{1,200} a écrit\s*:\s*$/,
  /^-{2,}\s*(Original Message|Ursprüngliche Nachricht|Message d'origine)\s*-{2,}\s*$/i,
  /^_{10,}\s*$/,
  /^(From|Von|De)\s*:\s.+$/,
];

/**
 * The new part of a reply: the text above the first line that starts the quoted history, without
 * trailing ">" quotes. What it keeps is never empty while the email has text (an email that is
 * all quote is kept whole rather than lost).
 */
export function stripQuotedReply(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  let end = lines.findIndex((line) => MARKERS.some((m) => m.test(line.trim())));
  if (end < 0) end = lines.length;
  const kept = lines.slice(0, end);
  while (kept.length > 0 && /^\s*(>.*)?$/.test(kept[kept.length - 1]!)) kept.pop();
  const result = kept.join('\n').trim();
  return result === '' ? text.trim() : result;
}

/** The longest display name kept, in characters (the extension is kept when shortening). */
export const MAX_FILE_NAME_LENGTH = 120;

const MAX_EXTENSION_LENGTH = 16;

// Control characters, invisible format characters (bidi overrides such as U+202E, zero-width
// characters), unpaired surrogates and unassigned code points: none belongs in a name shown to people.
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Cn}\u2028\u2029]/gu;
// Characters that file systems (Windows) refuse, and quotes that could confuse a header.
const RESERVED = /[<>:"|?*]/g;

/**
 * The display name of an uploaded file, from the name the client sent: only the last path segment
 * (whether it used / or \), without control or bidi characters, whitespace collapsed, at most
 * MAX_FILE_NAME_LENGTH characters with its extension kept. Null when nothing is left. The name is
 * only ever shown: the file is stored under a key the server made.
 */
export function sanitizeFileName(raw: string): string | null {
  const segments = raw.normalize('NFC').split(/[/\\]/);
  const last = segments[segments.length - 1] ?? '';
  const cleaned = last
    .replace(INVISIBLE, '')
    .replace(RESERVED, '_')
    .replace(/\s+/gu, ' ')
    .replace(/^[\s.]+|[\s.]+$/gu, '');
  if (cleaned.length === 0) return null;
  return shorten(cleaned);
}

function shorten(name: string): string {
  const chars = [...name];
  if (chars.length <= MAX_FILE_NAME_LENGTH) return name;
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 ? [...name.slice(dot)] : [];
  if (extension.length < 2 || extension.length > MAX_EXTENSION_LENGTH + 1)
    return chars.slice(0, MAX_FILE_NAME_LENGTH).join('').trimEnd();
  const base = [...name.slice(0, dot)].slice(0, MAX_FILE_NAME_LENGTH - extension.length);
  return base.join('').trimEnd() + extension.join('');
}

/** The extension of a display name, lower case without the dot ('' when it has none). */
export function extensionOf(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  return dot > 0 ? fileName.slice(dot + 1).toLowerCase() : '';
}

import { describe, expect, it } from 'vitest';
import { MAX_FILE_NAME_LENGTH, extensionOf, sanitizeFileName } from './sanitize-file-name.js';

describe('sanitizeFileName', () => {
  it('keeps an ordinary name as it is', () => {
    expect(sanitizeFileName('Invoice March 2025.pdf')).toBe('Invoice March 2025.pdf');
  });

  it('keeps only the last segment of a path, whichever separator it uses', () => {
    expect(sanitizeFileName('../../etc/passwd')).toBe('passwd');
    expect(sanitizeFileName('..\\..\\Windows\\system.ini')).toBe('system.ini');
    expect(sanitizeFileName('/var/www/../shell.php')).toBe('shell.php');
  });

  it('removes NUL and other control characters', () => {
    expect(sanitizeFileName('re\u0000port\u0007\u001b\u007f\u0085.txt')).toBe('report.txt');
  });

  it('removes bidi overrides and other invisible characters', () => {
    expect(sanitizeFileName('photo\u202Egpj.exe')).toBe('photogpj.exe');
    expect(sanitizeFileName('a\u2066b\u2069c\u200Bd\u200Fe.txt')).toBe('abcde.txt');
  });

  it('collapses whitespace and trims spaces and dots at the ends', () => {
    expect(sanitizeFileName('  my \t\n  notes . txt  ')).toBe('my notes . txt');
    expect(sanitizeFileName('...hidden...')).toBe('hidden');
  });

  it('replaces characters file systems refuse', () => {
    expect(sanitizeFileName('what?<is>"this"|*:.txt')).toBe('what__is__this____.txt');
  });

  it('shortens a long name and keeps its extension', () => {
    const name = sanitizeFileName(`${'a'.repeat(300)}.docx`)!;
    expect([...name]).toHaveLength(MAX_FILE_NAME_LENGTH);
    expect(name.endsWith('.docx')).toBe(true);
  });

  it('shortens by characters, never splitting one in two', () => {
    const name = sanitizeFileName(`${'😀'.repeat(200)}.png`)!;
    expect([...name]).toHaveLength(MAX_FILE_NAME_LENGTH);
    expect(name).toMatch(/^(😀)+\.png$/u);
  });

  it('refuses a name with nothing visible left', () => {
    for (const raw of ['', '   ', '..', '../', '\u202E\u0000', 'dir/', '. . .']) {
      expect(sanitizeFileName(raw), JSON.stringify(raw)).toBeNull();
    }
  });

  it('tells the extension in lower case, or none', () => {
    expect(extensionOf('Photo.JPG')).toBe('jpg');
    expect(extensionOf('README')).toBe('');
    expect(extensionOf('archive.tar.gz')).toBe('gz');
  });
});

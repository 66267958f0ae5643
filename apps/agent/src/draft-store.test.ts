import { describe, expect, it } from 'vitest';
import { DraftStore, memoryStorage } from './draft-store.js';

describe('drafts per conversation', () => {
  it('keeps each conversation its own text, across store instances on the same storage', () => {
    const storage = memoryStorage();
    const a = new DraftStore(storage);
    a.set('c1', 'half a reply');
    a.set('c2', 'another');
    const reloaded = new DraftStore(storage);
    expect(reloaded.get('c1')).toBe('half a reply');
    expect(reloaded.get('c2')).toBe('another');
    expect(reloaded.get('c3')).toBe('');
  });

  it('forgets a draft once sent (cleared or emptied)', () => {
    const storage = memoryStorage();
    const drafts = new DraftStore(storage);
    drafts.set('c1', 'x');
    drafts.clear('c1');
    expect(storage.getItem('parlour.agent.draft.c1')).toBeNull();
    drafts.set('c1', 'y');
    drafts.set('c1', '');
    expect(drafts.get('c1')).toBe('');
  });

  it('survives a storage that throws (private mode, quota)', () => {
    const drafts = new DraftStore({
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('quota');
      },
      removeItem: () => undefined,
    });
    expect(() => drafts.set('c', 'text')).not.toThrow();
    expect(drafts.get('c')).toBe('');
    expect(new DraftStore(null).get('c')).toBe('');
  });
});

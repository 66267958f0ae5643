/** The slice of Web Storage the draft store needs (localStorage in the browser, a map in tests). */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

const PREFIX = 'parlour.agent.draft.';

/**
 * The composer's unsent text per conversation. Kept in localStorage so a lost connection, an
 * expired login or a reload never loses what the agent typed.
 */
export class DraftStore {
  constructor(private readonly storage: KeyValueStorage | null) {}

  get(conversationId: string): string {
    try {
      return this.storage?.getItem(PREFIX + conversationId) ?? '';
    } catch {
      return '';
    }
  }

  set(conversationId: string, text: string): void {
    try {
      if (text === '') this.storage?.removeItem(PREFIX + conversationId);
      else this.storage?.setItem(PREFIX + conversationId, text);
    } catch {
      // Storage full or disabled: the draft lives on in memory only.
    }
  }

  clear(conversationId: string): void {
    this.set(conversationId, '');
  }
}

/** A Map-backed storage (tests, or when localStorage is unavailable). */
export function memoryStorage(): KeyValueStorage {
  const map = new Map<string, string>();
  return {
    getItem: (key) => map.get(key) ?? null,
    setItem: (key, value) => void map.set(key, value),
    removeItem: (key) => void map.delete(key),
  };
}

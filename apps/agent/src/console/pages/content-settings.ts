import { useEffect, useState } from 'react';
import type { Settings, UpdateSettingsBody } from '@parlour/protocol';
import { api } from '../../api.js';
import { useLoad, useSubmit, type Submission } from '../form-kit.js';

/**
 * The workspace settings behind a settings page: loaded once, edited as a draft, saved with a
 * PATCH of just the fields the page owns (the API answers with all settings).
 */
export function useSettingsDraft<D>(toDraft: (s: Settings) => D): {
  settings: Settings | null;
  draft: D | null;
  setDraft: (next: D) => void;
  loadError: string | null;
  loading: boolean;
  submission: Submission;
  save: (patch: UpdateSettingsBody, doneText?: string) => Promise<Settings | null>;
} {
  const loaded = useLoad<Settings>('/api/settings');
  const [settings, setSettings] = useState<Settings | null>(null);
  const [draft, setDraft] = useState<D | null>(null);
  const submission = useSubmit();
  useEffect(() => {
    if (!loaded.data) return;
    setSettings(loaded.data);
    setDraft(toDraft(loaded.data));
    // toDraft is a pure mapping chosen once by the page: only new data re-drafts.
  }, [loaded.data]);
  const save = async (patch: UpdateSettingsBody, doneText = 'Saved') => {
    const next = await submission.run(
      () => api<Settings>('PATCH', '/api/settings', patch),
      doneText,
    );
    if (next) {
      setSettings(next);
      setDraft(toDraft(next));
    }
    return next;
  };
  return {
    settings,
    draft,
    setDraft,
    loadError: loaded.error,
    loading: loaded.loading,
    submission,
    save,
  };
}

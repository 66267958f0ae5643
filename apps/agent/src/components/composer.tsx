import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { Attachment, Macro, MacroPreview, RenderedResponse } from '@parlour/protocol';
import { api, describeError, query, upload } from '../api.js';
import { CHANNEL_LABELS, type ComposerChannel, type ComposerChoice } from '../composer-channel.js';
import type { DraftStore } from '../draft-store.js';
import type { SocketClient } from '../socket-client.js';
import type { Refusal } from './workspace.js';

const TYPING_REFRESH_MS = 3000;

function newClientId(): string {
  return typeof crypto !== 'undefined' && 'randomUUID' in crypto
    ? crypto.randomUUID()
    : `${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

/**
 * The reply box: channel switch, Enter to send (Shift+Enter for a new line), attachments,
 * predefined responses and macros. The text is a draft per conversation in localStorage.
 */
export function Composer({
  conversationId,
  ticketId,
  choice,
  channel,
  onChannel,
  drafts,
  socket,
  refusal,
  onClearRefusal,
  onMacroApplied,
}: {
  conversationId: string;
  ticketId: string;
  choice: ComposerChoice;
  channel: ComposerChannel;
  onChannel: (channel: ComposerChannel) => void;
  drafts: DraftStore;
  socket: SocketClient | null;
  refusal: Refusal | undefined;
  onClearRefusal: () => void;
  onMacroApplied: () => void;
}) {
  const [text, setText] = useState(() => drafts.get(conversationId));
  const [files, setFiles] = useState<Attachment[]>([]);
  const [uploadError, setUploadError] = useState<string | null>(null);
  const [uploading, setUploading] = useState(false);
  const [panel, setPanel] = useState<'none' | 'responses' | 'macros'>('none');
  const area = useRef<HTMLTextAreaElement>(null);
  const lastTyping = useRef(0);

  // A refused message comes back into an empty composer so the agent can fix it.
  useEffect(() => {
    if (refusal && area.current && area.current.value === '') {
      setText(refusal.body);
      drafts.set(conversationId, refusal.body);
    }
  }, [refusal, conversationId, drafts]);

  function typing(next: string) {
    if (!socket) return;
    const kind = channel === 'internal' ? 'internal' : 'public';
    if (next === '') {
      if (lastTyping.current)
        socket.sendTransient({ type: 'typing', conversationId, typing: false, kind });
      lastTyping.current = 0;
      return;
    }
    const now = Date.now();
    if (now - lastTyping.current >= TYPING_REFRESH_MS) {
      lastTyping.current = now;
      socket.sendTransient({ type: 'typing', conversationId, typing: true, kind });
    }
  }

  function change(next: string) {
    setText(next);
    drafts.set(conversationId, next);
    typing(next);
    if (refusal) onClearRefusal();
  }

  function send() {
    const body = text.trim();
    if (!socket || (body === '' && files.length === 0) || uploading) return;
    socket.send({
      conversationId,
      clientMessageId: newClientId(),
      body,
      kind: channel === 'internal' ? 'internal' : 'public',
      ...(channel === 'internal' ? {} : { channel }),
      ...(files.length ? { attachmentIds: files.map((f) => f.id) } : {}),
    });
    typing('');
    setText('');
    setFiles([]);
    setUploadError(null);
    drafts.clear(conversationId);
    onClearRefusal();
  }

  function keyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      send();
    }
  }

  async function attach(list: FileList | null) {
    if (!list || list.length === 0) return;
    setUploadError(null);
    setUploading(true);
    try {
      for (const file of Array.from(list)) {
        const stored = await upload<Attachment>(
          `/api/conversations/${conversationId}/attachments`,
          file,
        );
        setFiles((f) => [...f, stored]);
      }
    } catch (e) {
      setUploadError(describeError(e));
    } finally {
      setUploading(false);
    }
  }

  function insert(snippet: string) {
    const el = area.current;
    const start = el?.selectionStart ?? text.length;
    const end = el?.selectionEnd ?? text.length;
    const next = text.slice(0, start) + snippet + text.slice(end);
    change(next);
    setPanel('none');
    requestAnimationFrame(() => {
      el?.focus();
      const at = start + snippet.length;
      el?.setSelectionRange(at, at);
    });
  }

  return (
    <section className={`composer composer-${channel}`} aria-label="Reply" data-testid="composer">
      <div className="channel-switch" role="radiogroup" aria-label="Send as">
        {choice.available.map((c) => (
          <label key={c} className={`channel-option${c === channel ? ' selected' : ''}`}>
            <input
              type="radio"
              name={`channel-${conversationId}`}
              value={c}
              checked={c === channel}
              onChange={() => onChannel(c)}
              data-testid={`composer-channel-${c}`}
            />
            {CHANNEL_LABELS[c]}
          </label>
        ))}
      </div>
      <label className="visually-hidden" htmlFor={`composer-text-${conversationId}`}>
        {channel === 'internal' ? 'Internal note' : 'Message'}
      </label>
      <textarea
        id={`composer-text-${conversationId}`}
        ref={area}
        data-testid="composer-input"
        rows={3}
        value={text}
        placeholder={
          channel === 'internal'
            ? 'Internal note (only staff see it)'
            : 'Reply — Enter sends, Shift+Enter for a new line'
        }
        onChange={(e) => change(e.target.value)}
        onKeyDown={keyDown}
      />
      {refusal && (
        <p className="error" role="alert" data-testid="composer-refusal">
          Not sent: {refusal.message}
        </p>
      )}
      {uploadError && (
        <p className="error" role="alert" data-testid="composer-upload-error">
          {uploadError}
        </p>
      )}
      {files.length > 0 && (
        <ul className="file-chips" aria-label="Attached files">
          {files.map((f) => (
            <li key={f.id}>
              {f.fileName}{' '}
              <button
                type="button"
                aria-label={`Remove ${f.fileName}`}
                onClick={() => setFiles((list) => list.filter((x) => x.id !== f.id))}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="composer-tools">
        <label className="file-button">
          Attach file
          <input
            type="file"
            multiple
            data-testid="composer-file"
            onChange={(e) => {
              void attach(e.target.files);
              e.target.value = '';
            }}
          />
        </label>
        <button
          type="button"
          aria-expanded={panel === 'responses'}
          data-testid="responses-toggle"
          onClick={() => setPanel(panel === 'responses' ? 'none' : 'responses')}
        >
          Predefined responses
        </button>
        <button
          type="button"
          aria-expanded={panel === 'macros'}
          data-testid="macros-toggle"
          onClick={() => setPanel(panel === 'macros' ? 'none' : 'macros')}
        >
          Macros
        </button>
        <button
          type="button"
          className="primary send"
          data-testid="composer-send"
          disabled={uploading}
          onClick={send}
        >
          {channel === 'internal' ? 'Add note' : 'Send'}
        </button>
      </div>
      {panel === 'responses' && (
        <ResponsePicker ticketId={ticketId} onPick={insert} onClose={() => setPanel('none')} />
      )}
      {panel === 'macros' && (
        <MacroPanel
          ticketId={ticketId}
          onClose={() => setPanel('none')}
          onApplied={() => {
            setPanel('none');
            onMacroApplied();
          }}
        />
      )}
    </section>
  );
}

function ResponsePicker({
  ticketId,
  onPick,
  onClose,
}: {
  ticketId: string;
  onPick: (text: string) => void;
  onClose: () => void;
}) {
  const [q, setQ] = useState('');
  const [items, setItems] = useState<RenderedResponse[]>([]);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    const timer = setTimeout(() => {
      api<RenderedResponse[]>('GET', `/api/responses${query({ q, ticketId, limit: 20 })}`)
        .then((list) => live && setItems(list))
        .catch((e: unknown) => live && setError(describeError(e)));
    }, 150);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [q, ticketId]);
  return (
    <div
      className="picker"
      data-testid="responses-picker"
      onKeyDown={(e) => {
        if (e.key === 'Escape') onClose();
      }}
    >
      <label>
        Search predefined responses
        <input
          autoFocus
          data-testid="responses-search"
          value={q}
          onChange={(e) => setQ(e.target.value)}
          onKeyDown={(e) => {
            // Enter takes the best match; Tab reaches the others.
            if (e.key === 'Enter' && items[0]) {
              e.preventDefault();
              onPick(items[0].text);
            }
          }}
        />
      </label>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <ul>
        {items.length === 0 && <li className="muted">No matching responses.</li>}
        {items.map((r) => (
          <li key={r.id}>
            <button
              type="button"
              className="pick"
              data-testid="response-option"
              onClick={() => onPick(r.text)}
            >
              <strong>{r.title}</strong>
              {r.shortcut && <span className="muted"> /{r.shortcut}</span>}
              <span className="snippet">{r.text}</span>
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

function MacroPanel({
  ticketId,
  onClose,
  onApplied,
}: {
  ticketId: string;
  onClose: () => void;
  onApplied: () => void;
}) {
  const [macros, setMacros] = useState<Macro[]>([]);
  const [chosen, setChosen] = useState<Macro | null>(null);
  const [preview, setPreview] = useState<MacroPreview | null>(null);
  const [body, setBody] = useState('');
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api<Macro[]>('GET', '/api/macros')
      .then((list) => setMacros(list.filter((m) => m.active)))
      .catch((e: unknown) => setError(describeError(e)));
  }, []);
  async function choose(macro: Macro) {
    setChosen(macro);
    setError(null);
    try {
      const p = await api<MacroPreview>(
        'POST',
        `/api/tickets/${ticketId}/macros/${macro.id}/preview`,
      );
      setPreview(p);
      setBody(p.text ?? '');
    } catch (e) {
      setError(describeError(e));
    }
  }
  async function apply() {
    if (!chosen) return;
    try {
      await api(
        'POST',
        `/api/tickets/${ticketId}/macros/${chosen.id}/apply`,
        preview?.text === null ? {} : { body },
      );
      onApplied();
    } catch (e) {
      setError(describeError(e));
    }
  }
  return (
    <div
      className="picker"
      data-testid="macros-panel"
      onKeyDown={(e) => {
        if (e.key === 'Escape') onClose();
      }}
    >
      {!chosen && (
        <ul>
          {macros.length === 0 && <li className="muted">No macros.</li>}
          {macros.map((m) => (
            <li key={m.id}>
              <button type="button" className="pick" onClick={() => void choose(m)}>
                <strong>{m.title}</strong>
                {m.actions.length > 0 && (
                  <span className="muted"> · {m.actions.length} change(s)</span>
                )}
              </button>
            </li>
          ))}
        </ul>
      )}
      {chosen && preview && (
        <div className="macro-preview" data-testid="macro-preview">
          <h4>{chosen.title}</h4>
          {preview.changes.length > 0 && (
            <ul className="changes">
              {preview.changes.map((c) => (
                <li key={c.id}>
                  {c.type.replace('ticket.', '').replace(/_/g, ' ')}: {JSON.stringify(c.data)}
                </li>
              ))}
            </ul>
          )}
          {preview.text !== null && (
            <label>
              {preview.kind === 'internal' ? 'Internal note' : 'Reply'} (edit before applying)
              <textarea rows={3} value={body} onChange={(e) => setBody(e.target.value)} />
            </label>
          )}
          <div className="actions">
            <button type="button" onClick={() => setChosen(null)}>
              Back
            </button>
            <button
              type="button"
              className="primary"
              onClick={() => void apply()}
              data-testid="macro-apply"
            >
              Apply macro
            </button>
          </div>
        </div>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

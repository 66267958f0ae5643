/** @jsxImportSource preact */
import type { Attachment } from '@parlour/protocol';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ChatClient, ChatState } from './chat-client.js';
import type { TimelineItem } from './chat-timeline.js';
import { loadWidgetConfig } from './widget-config.js';

/** The greeting when the server's configuration cannot be read. */
const DEFAULT_GREETING = 'Hi! Ask us anything, we are happy to help.';

type MessageItem = Extract<TimelineItem, { type: 'message' }>;

function kilobytes(bytes: number): string {
  return bytes >= 1024 * 1024
    ? `${(bytes / 1024 / 1024).toFixed(1)} MB`
    : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

/** A file in a message: images preview, everything downloads (the download needs the token). */
function AttachmentView({ client, attachment }: { client: ChatClient; attachment: Attachment }) {
  const [preview, setPreview] = useState<string | null>(null);
  const image = attachment.contentType.startsWith('image/');
  useEffect(() => {
    if (!image) return;
    let url: string | null = null;
    client.download(attachment).then(
      (u) => setPreview((url = u)),
      () => undefined,
    );
    return () => {
      if (url) URL.revokeObjectURL(url);
    };
  }, [attachment.id]);
  const save = async () => {
    const url = await client.download(attachment);
    const a = document.createElement('a');
    a.href = url;
    a.download = attachment.fileName;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };
  return (
    <div class="attachment" data-testid="attachment">
      {preview && <img src={preview} alt={attachment.fileName} />}
      <button type="button" class="link" onClick={() => void save()}>
        {attachment.fileName} ({kilobytes(attachment.sizeBytes)})
      </button>
    </div>
  );
}

function MessageView({
  client,
  item,
  read,
}: {
  client: ChatClient;
  item: MessageItem;
  read: boolean;
}) {
  const status =
    item.state === 'queued'
      ? 'Waiting for the connection…'
      : item.state === 'sending' || item.state === 'sent'
        ? 'Sending…'
        : item.state === 'failed'
          ? `Not sent: ${item.error ?? 'refused'}`
          : read
            ? 'Read'
            : null;
  return (
    <div
      class={`message ${item.author}`}
      data-testid="message"
      data-author={item.author}
      data-state={item.state}
      {...(item.seq !== null ? { 'data-seq': String(item.seq) } : {})}
    >
      {item.author !== 'customer' && <div class="author">{item.name}</div>}
      {item.body && <div class="bubble">{item.body}</div>}
      {item.attachments.map((a) => (
        <AttachmentView key={a.id} client={client} attachment={a} />
      ))}
      {status && (
        <div
          class={`status ${item.state}`}
          data-testid={status === 'Read' ? 'read-mark' : 'message-status'}
        >
          {status}
          {item.state === 'failed' && item.clientMessageId && (
            <>
              {' '}
              <button
                type="button"
                class="link"
                onClick={() => client.retry(item.clientMessageId!)}
              >
                Retry
              </button>{' '}
              <button
                type="button"
                class="link"
                onClick={() => client.discard(item.clientMessageId!)}
              >
                Remove
              </button>
            </>
          )}
        </div>
      )}
    </div>
  );
}

function CsatView({
  client,
  surveyId,
  question,
  answer,
}: {
  client: ChatClient;
  surveyId: string;
  question: string;
  answer: 'good' | 'bad' | undefined;
}) {
  return (
    <div class="csat" data-testid="csat" role="group" aria-label="Rate this chat">
      <p>{question}</p>
      {answer ? (
        <p data-testid="csat-thanks">Thank you for your feedback.</p>
      ) : (
        <div class="csat-buttons">
          <button type="button" onClick={() => void client.rate(surveyId, 'good')}>
            Good
          </button>
          <button type="button" onClick={() => void client.rate(surveyId, 'bad')}>
            Bad
          </button>
        </div>
      )}
    </div>
  );
}

export function ChatApp({
  client,
  embedded,
  onClose,
}: {
  client: ChatClient;
  embedded: boolean;
  onClose: () => void;
}) {
  const [state, setState] = useState<ChatState>(client.state);
  const [draft, setDraft] = useState(client.state.draft);
  // null until the admin's configuration is read ('' when they chose no greeting).
  const [greeting, setGreeting] = useState<string | null>(null);
  useEffect(() => {
    void loadWidgetConfig(location.origin).then((config) =>
      setGreeting(config ? config.greeting : DEFAULT_GREETING),
    );
  }, []);
  const log = useRef<HTMLDivElement>(null);
  const input = useRef<HTMLTextAreaElement>(null);
  const file = useRef<HTMLInputElement>(null);
  useEffect(() => client.subscribe(setState), [client]);
  useEffect(() => {
    const el = log.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [state.items.length, state.staffTyping]);

  const send = (text: string) => {
    client.send(text);
    setDraft('');
    input.current?.focus();
  };
  // The bot's buttons belong to its newest message, and only while nothing came after it (a
  // handoff line, an agent, a survey): stale buttons would talk to a bot that no longer listens.
  const lastItem = state.items[state.items.length - 1];
  const lastMessage = lastItem?.type === 'message' ? (lastItem as MessageItem) : undefined;
  const quickReplies =
    lastMessage?.author === 'bot' && state.active ? lastMessage.quickReplies : [];
  const lastCustomer = state.lastCustomerSeq;
  const online = state.connection === 'online';

  return (
    <main
      class="chat"
      data-testid="chat"
      data-connection={state.connection}
      {...(state.conversationId ? { 'data-conversation-id': state.conversationId } : {})}
    >
      <header>
        <div>
          <h1>Chat with us</h1>
          <p class="presence" data-testid="connection-status" data-connection={state.connection}>
            {online
              ? 'Online'
              : state.connection === 'connecting'
                ? 'Connecting…'
                : 'Offline — reconnecting. Your messages are kept and sent when the connection is back.'}
          </p>
        </div>
        {state.active && (
          <button
            type="button"
            class="end"
            data-testid="end-chat"
            onClick={() => void client.endChat()}
          >
            End chat
          </button>
        )}
        {embedded && (
          <button
            type="button"
            class="close"
            aria-label="Close chat"
            data-testid="close-chat"
            onClick={onClose}
          >
            <span aria-hidden="true">×</span>
          </button>
        )}
      </header>
      <div class="log" ref={log} role="log" aria-live="polite" aria-label="Conversation">
        {state.phase === 'starting' && <p class="system">Starting the chat…</p>}
        {state.phase === 'ready' && state.items.length === 0 && greeting && (
          <p class="system" data-testid="greeting">
            {greeting}
          </p>
        )}
        {state.items.map((item) => {
          switch (item.type) {
            case 'message':
              return (
                <MessageView
                  key={item.key}
                  client={client}
                  item={item}
                  read={
                    item.author === 'customer' &&
                    item.seq !== null &&
                    item.seq === lastCustomer &&
                    state.readSeq >= item.seq
                  }
                />
              );
            case 'system':
              return (
                <p key={item.key} class="system" data-testid="system-line">
                  {item.text}
                </p>
              );
            case 'notice':
              return (
                <p key={item.key} class="notice" role="alert" data-testid="notice">
                  {item.text}
                </p>
              );
            case 'csat':
              return (
                <CsatView
                  key={item.key}
                  client={client}
                  surveyId={item.surveyId}
                  question={item.question}
                  answer={state.csat[item.surveyId]}
                />
              );
          }
        })}
        {quickReplies.length > 0 && (
          <div class="quick-replies" role="group" aria-label="Suggested replies">
            {quickReplies.map((q) => (
              <button
                type="button"
                key={q.value}
                data-testid="quick-reply"
                onClick={() => send(q.label)}
              >
                {q.label}
              </button>
            ))}
          </div>
        )}
      </div>
      {state.staffTyping && (
        <p class="typing" data-testid="typing-indicator" aria-live="polite">
          {state.staffTyping} is typing…
        </p>
      )}
      {state.alert && (
        <div class="alert" role="alert" data-testid="alert">
          <span>{state.alert}</span>
          <button
            type="button"
            class="link"
            aria-label="Dismiss"
            onClick={() => client.dismissAlert()}
          >
            ×
          </button>
        </div>
      )}
      <form
        class="composer"
        onSubmit={(event) => {
          event.preventDefault();
          send(draft);
        }}
      >
        {state.staged.length > 0 && (
          <ul class="staged" aria-label="Files to send">
            {state.staged.map((a) => (
              <li key={a.id} data-testid="staged-attachment">
                {a.fileName} ({kilobytes(a.sizeBytes)}){' '}
                <button
                  type="button"
                  class="link"
                  aria-label={`Remove ${a.fileName}`}
                  onClick={() => client.unstage(a.id)}
                >
                  ×
                </button>
              </li>
            ))}
          </ul>
        )}
        <div class="row">
          <label class="attach" title="Attach a file">
            <input
              ref={file}
              type="file"
              class="visually-hidden"
              data-testid="attach-input"
              disabled={state.uploading || state.phase !== 'ready'}
              onChange={(event) => {
                const picked = (event.currentTarget as HTMLInputElement).files?.[0];
                if (picked) void client.upload(picked);
                if (file.current) file.current.value = '';
              }}
            />
            <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true">
              <path
                d="M16.5 6.5v10a4.5 4.5 0 0 1-9 0V5a3 3 0 0 1 6 0v10.5a1.5 1.5 0 0 1-3 0V6.5"
                fill="none"
                stroke="currentColor"
                stroke-width="1.8"
                stroke-linecap="round"
              />
            </svg>
            <span class="visually-hidden">Attach a file</span>
          </label>
          <textarea
            ref={input}
            rows={2}
            aria-label="Message"
            placeholder={
              state.active || !state.conversationId
                ? 'Write a message…'
                : 'Write to start a new chat…'
            }
            data-testid="composer-input"
            value={draft}
            disabled={state.phase !== 'ready'}
            onInput={(event) => {
              const text = (event.currentTarget as HTMLTextAreaElement).value;
              setDraft(text);
              client.setDraft(text);
            }}
            onKeyDown={(event) => {
              if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
                event.preventDefault();
                send(draft);
              }
            }}
          />
          <button type="submit" class="send" data-testid="send" disabled={state.phase !== 'ready'}>
            Send
          </button>
        </div>
        {state.uploading && <p class="hint">Uploading…</p>}
      </form>
    </main>
  );
}

import { useState, type FormEvent } from 'react';
import type { BotArticle } from '@parlour/protocol';
import { api } from '../../api.js';
import { Field, FormStatus, LoadState, useLoad, useSubmit } from '../form-kit.js';
import { ListInput } from './tools-list-input.js';

/** The articles the bot answers free questions from: a list, and one form to add or change one. */
export function BotArticles() {
  const list = useLoad<BotArticle[]>('/api/bot/articles');
  const [editing, setEditing] = useState<BotArticle | 'new' | null>(null);
  const [deleting, setDeleting] = useState<string | null>(null);
  const removal = useSubmit();

  const remove = async (id: string) => {
    // DELETE answers 204 with no body: `true` tells success from a failure (null).
    const done = await removal.run(async () => {
      await api('DELETE', `/api/bot/articles/${id}`);
      return true;
    }, 'Deleted');
    setDeleting(null);
    if (done) list.reload();
  };

  return (
    <section aria-labelledby="bot-articles-title" data-testid="bot-articles">
      <div className="page-header">
        <h3 id="bot-articles-title">Articles</h3>
        <div className="page-actions">
          <button type="button" data-testid="bot-article-new" onClick={() => setEditing('new')}>
            New article
          </button>
        </div>
      </div>
      <p className="muted">
        When a customer writes in their own words, the bot answers with the article whose keywords,
        title or text match best (case and accents do not matter). Give keywords in every language
        your customers write in.
      </p>
      {editing && (
        <ArticleForm
          key={editing === 'new' ? 'new' : editing.id}
          article={editing === 'new' ? null : editing}
          onDone={(changed) => {
            setEditing(null);
            if (changed) list.reload();
          }}
        />
      )}
      <LoadState error={list.error} loading={list.loading} />
      <FormStatus submission={removal} />
      {list.data && list.data.length === 0 && <p className="muted">No articles yet.</p>}
      {list.data && list.data.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">Title</th>
              <th scope="col">Keywords</th>
              <th scope="col">Active</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.data.map((a) => (
              <tr key={a.id} data-testid="bot-article-row" data-title={a.title}>
                <td>{a.title}</td>
                <td>{a.keywords.join(', ')}</td>
                <td>{a.active ? 'yes' : 'no'}</td>
                <td className="page-actions">
                  <button
                    type="button"
                    data-testid="bot-article-edit"
                    aria-label={`Edit ${a.title}`}
                    onClick={() => setEditing(a)}
                  >
                    Edit
                  </button>
                  {deleting === a.id ? (
                    <>
                      <button
                        type="button"
                        data-testid="bot-article-delete-confirm"
                        disabled={removal.busy}
                        onClick={() => void remove(a.id)}
                      >
                        Delete “{a.title}”
                      </button>
                      <button type="button" onClick={() => setDeleting(null)}>
                        Keep
                      </button>
                    </>
                  ) : (
                    <button
                      type="button"
                      data-testid="bot-article-delete"
                      aria-label={`Delete ${a.title}`}
                      onClick={() => setDeleting(a.id)}
                    >
                      Delete
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function ArticleForm({
  article,
  onDone,
}: {
  article: BotArticle | null;
  onDone: (changed: boolean) => void;
}) {
  const [title, setTitle] = useState(article?.title ?? '');
  const [keywords, setKeywords] = useState<string[]>(article?.keywords ?? []);
  const [body, setBody] = useState(article?.body ?? '');
  const [active, setActive] = useState(article?.active ?? true);
  const submission = useSubmit();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const fields = { title, keywords, body, active };
    const saved = await submission.run(() =>
      article
        ? api<BotArticle>('PATCH', `/api/bot/articles/${article.id}`, fields)
        : api<BotArticle>('POST', '/api/bot/articles', fields),
    );
    if (saved) onDone(true);
  };

  return (
    <form
      className="card tools-article-form tools-article"
      onSubmit={(e) => void submit(e)}
      aria-label={article ? `Edit article ${article.title}` : 'New article'}
      data-testid="bot-article-form"
      noValidate
    >
      <Field label="Title" name="title" error={submission.fieldError('title')}>
        {(props) => (
          <input
            {...props}
            data-testid="bot-article-title"
            value={title}
            onChange={(e) => setTitle(e.target.value)}
          />
        )}
      </Field>
      <Field
        label="Keywords"
        name="keywords"
        error={submission.fieldError('keywords')}
        hint="Comma-separated, in every language customers use (shipping, Versand, livraison)"
      >
        {(props) => (
          <ListInput
            {...props}
            data-testid="bot-article-keywords"
            value={keywords}
            onChange={setKeywords}
          />
        )}
      </Field>
      <Field label="Answer" name="body" error={submission.fieldError('body')}>
        {(props) => (
          <textarea
            {...props}
            data-testid="bot-article-body"
            value={body}
            onChange={(e) => setBody(e.target.value)}
          />
        )}
      </Field>
      <div className="field">
        <label>
          <input
            type="checkbox"
            data-testid="bot-article-active"
            checked={active}
            onChange={(e) => setActive(e.target.checked)}
          />{' '}
          Active (the bot answers from it)
        </label>
      </div>
      <div className="page-actions">
        <button
          type="submit"
          className="primary"
          data-testid="bot-article-save"
          disabled={submission.busy}
        >
          {article ? 'Save article' : 'Add article'}
        </button>
        <button type="button" data-testid="bot-article-cancel" onClick={() => onDone(false)}>
          Cancel
        </button>
      </div>
      <FormStatus submission={submission} claimed={['title', 'keywords', 'body', 'active']} />
    </form>
  );
}

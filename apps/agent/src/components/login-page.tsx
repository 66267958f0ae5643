import { useState, type FormEvent } from 'react';
import type { LoginReply, User } from '@parlour/protocol';
import { api, describeError } from '../api.js';
import { askForNotifications } from '../notifications.js';

export function LoginPage({
  expired,
  onLogin,
}: {
  expired: boolean;
  onLogin: (user: User) => void;
}) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    // A user gesture: the moment browsers allow asking for desktop notifications.
    void askForNotifications().catch(() => undefined);
    try {
      const reply = await api<LoginReply>('POST', '/api/auth/login', { email, password });
      onLogin(reply.user);
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="login" data-testid="login-page">
      <form className="login-card" onSubmit={(e) => void submit(e)} aria-labelledby="login-title">
        <h1 id="login-title">Parlour — agent workspace</h1>
        {expired && (
          <p className="notice" role="status" data-testid="login-expired">
            Your login expired. Log in again: your drafts are kept.
          </p>
        )}
        <label>
          Email
          <input
            name="email"
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </label>
        <label>
          Password
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        {error && (
          <p className="error" role="alert" data-testid="login-error">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          Log in
        </button>
      </form>
    </main>
  );
}

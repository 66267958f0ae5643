import { useCallback, useEffect, useState } from 'react';
import type { User } from '@parlour/protocol';
import { api, setUnauthorizedHandler } from './api.js';
import { LoginPage } from './components/login-page.js';
import { Workspace } from './components/workspace.js';

const HINT_KEY = 'parlour.agent.loggedIn';

/** Whether this browser logged in before (the cookie itself is httpOnly): skips a needless 401. */
function loginHint(value?: boolean): boolean {
  try {
    if (value === true) window.localStorage.setItem(HINT_KEY, '1');
    if (value === false) window.localStorage.removeItem(HINT_KEY);
    return window.localStorage.getItem(HINT_KEY) === '1';
  } catch {
    return true;
  }
}

type Session =
  { state: 'checking' } | { state: 'out'; expired: boolean } | { state: 'in'; user: User };

/** Login, then the workspace; any 401 (or a refused socket) returns here with drafts kept. */
export function App() {
  const [session, setSession] = useState<Session>({ state: 'checking' });

  const expire = useCallback(() => {
    setSession((s) => (s.state === 'in' ? { state: 'out', expired: true } : s));
  }, []);

  useEffect(() => {
    setUnauthorizedHandler(expire);
    let live = true;
    if (!loginHint()) {
      setSession({ state: 'out', expired: false });
      return;
    }
    api<User>('GET', '/api/me')
      .then((user) => live && setSession({ state: 'in', user }))
      .catch(() => live && setSession({ state: 'out', expired: false }));
    return () => {
      live = false;
    };
  }, [expire]);

  if (session.state === 'checking')
    return (
      <p className="loading" role="status">
        Loading…
      </p>
    );
  if (session.state === 'out')
    return (
      <LoginPage
        expired={session.expired}
        onLogin={(user) => {
          loginHint(true);
          setSession({ state: 'in', user });
        }}
      />
    );
  return (
    <Workspace
      key={session.user.id}
      me={session.user}
      onLoggedOut={() => {
        loginHint(false);
        setSession({ state: 'out', expired: false });
      }}
    />
  );
}

import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import type { User } from '@parlour/protocol';
import { api, setUnauthorizedHandler } from './api.js';
import { LoginPage } from './components/login-page.js';
import { Workspace } from './components/workspace.js';

const Console = lazy(() => import('./console/console.js').then((m) => ({ default: m.Console })));

/** The console lives under /agent/console; agents are sent to the workspace. */
function inConsole(user: User): boolean {
  return (
    window.location.pathname.startsWith('/agent/console') &&
    (user.role === 'admin' || user.role === 'supervisor')
  );
}

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
  if (inConsole(session.user))
    return (
      <Suspense
        fallback={
          <p className="loading" role="status">
            Loading…
          </p>
        }
      >
        <Console
          me={session.user}
          onLogout={() => {
            void fetch('/api/auth/logout', { method: 'POST', credentials: 'same-origin' }).finally(
              () => {
                loginHint(false);
                setSession({ state: 'out', expired: false });
              },
            );
          }}
        />
      </Suspense>
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

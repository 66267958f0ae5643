import { Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import type { User } from '@parlour/protocol';
import { CONSOLE_BASE, SECTIONS, type Section } from './sections.js';
import './console.css';

function currentPath(): string {
  return window.location.pathname;
}

/** The admin console at /agent/console/<section>/<rest>: admins see everything, supervisors their part. */
export function Console({ me, onLogout }: { me: User; onLogout: () => void }) {
  const [path, setPath] = useState(currentPath);
  useEffect(() => {
    const onPop = () => setPath(currentPath());
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  const navigate = useCallback((to: string) => {
    window.history.pushState(null, '', to);
    setPath(to);
  }, []);

  const visible = useMemo(() => SECTIONS.filter((s) => s.roles.includes(me.role)), [me.role]);
  const parts = path.slice(CONSOLE_BASE.length).replace(/^\/+/, '').split('/');
  const sectionId = parts[0] ?? '';
  const rest = parts.slice(1).join('/');
  const section: Section | undefined = visible.find((s) => s.id === sectionId) ?? visible[0];
  const areas = [...new Set(visible.map((s) => s.area))];

  useEffect(() => {
    document.title = section ? `${section.label} · Parlour console` : 'Parlour console';
  }, [section]);

  const Page = section?.page;
  return (
    <div className="console" data-testid="console">
      <header className="topbar">
        <h1 className="brand">Parlour console</h1>
        <a href="/agent/" data-testid="to-workspace">
          Workspace
        </a>
        <span className="me">
          {me.name} ({me.role})
        </span>
        <button type="button" onClick={onLogout}>
          Log out
        </button>
      </header>
      <nav className="console-nav" aria-label="Console sections">
        {areas.map((area) => (
          <section key={area}>
            <h2>{area}</h2>
            <ul>
              {visible
                .filter((s) => s.area === area)
                .map((s) => (
                  <li key={s.id}>
                    <a
                      href={`${CONSOLE_BASE}/${s.id}`}
                      data-testid={`nav-${s.id}`}
                      aria-current={s.id === section?.id ? 'page' : undefined}
                      onClick={(e) => {
                        e.preventDefault();
                        navigate(`${CONSOLE_BASE}/${s.id}`);
                      }}
                    >
                      {s.label}
                    </a>
                  </li>
                ))}
            </ul>
          </section>
        ))}
      </nav>
      <main className="console-main" data-testid={`page-${section?.id ?? 'none'}`}>
        {Page ? (
          <Suspense
            fallback={
              <p className="loading" role="status">
                Loading…
              </p>
            }
          >
            <Page me={me} navigate={navigate} rest={section?.id === sectionId ? rest : ''} />
          </Suspense>
        ) : (
          <p>The console is for admins and supervisors.</p>
        )}
      </main>
    </div>
  );
}

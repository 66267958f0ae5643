import { useEffect, useRef, useState } from 'react';
import type { AgentStatus } from '@parlour/protocol';

export interface IdleReason {
  readonly id: string;
  readonly name: string;
  readonly active: boolean;
}

const LABELS: Record<AgentStatus, string> = {
  available: 'Available',
  idle: 'Idle',
  offline: 'Offline',
  rona: 'RONA (missed an offer)',
};

/** The header's status selector, and the RONA popover after a missed offer (seed 004). */
export function StatusMenu({
  status,
  idleReasonId,
  idleReasons,
  ronaCause,
  onChange,
}: {
  status: AgentStatus;
  idleReasonId: string | null;
  idleReasons: readonly IdleReason[];
  ronaCause: string | null;
  onChange: (status: AgentStatus, idleReasonId: string | null) => void;
}) {
  // The select's value: "available", "offline", "idle" or "idle:<reasonId>".
  const value = status === 'idle' && idleReasonId ? `idle:${idleReasonId}` : status;
  const [ronaIdleReason, setRonaIdleReason] = useState('');
  const ronaRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (status === 'rona') ronaRef.current?.focus();
  }, [status]);

  return (
    <div className="status-menu">
      <label className="status-label">
        <span className={`dot dot-${status}`} aria-hidden="true" />
        Status
        <select
          data-testid="status-select"
          value={value}
          onChange={(e) => {
            const v = e.target.value;
            if (v.startsWith('idle:')) onChange('idle', v.slice(5));
            else onChange(v as AgentStatus, null);
          }}
        >
          <option value="available">Available</option>
          {idleReasons.length === 0 && <option value="idle">Idle</option>}
          {idleReasons.map((r) => (
            <option key={r.id} value={`idle:${r.id}`}>
              Idle — {r.name}
            </option>
          ))}
          {status === 'idle' && idleReasonId && !idleReasons.some((r) => r.id === idleReasonId) && (
            <option value={value}>Idle</option>
          )}
          <option value="offline">Offline</option>
          {status === 'rona' && (
            <option value="rona" disabled>
              {LABELS.rona}
            </option>
          )}
        </select>
      </label>
      {status === 'rona' && (
        <div
          className="popover rona"
          role="alertdialog"
          aria-labelledby="rona-title"
          aria-describedby="rona-text"
          data-testid="rona-popover"
        >
          <h2 id="rona-title">You missed an offer</h2>
          <p id="rona-text">
            A conversation was offered to you and not accepted in time
            {ronaCause ? ` (${ronaCause.replace(/_/g, ' ')})` : ''}, so no more are offered until
            you choose a status.
          </p>
          <div className="actions">
            <button
              ref={ronaRef}
              type="button"
              className="primary"
              data-testid="rona-available"
              onClick={() => onChange('available', null)}
            >
              Available
            </button>
            {idleReasons.length > 0 && (
              <label>
                Idle reason
                <select
                  value={ronaIdleReason || idleReasons[0]?.id}
                  onChange={(e) => setRonaIdleReason(e.target.value)}
                >
                  {idleReasons.map((r) => (
                    <option key={r.id} value={r.id}>
                      {r.name}
                    </option>
                  ))}
                </select>
              </label>
            )}
            <button
              type="button"
              data-testid="rona-idle"
              onClick={() => onChange('idle', ronaIdleReason || idleReasons[0]?.id || null)}
            >
              Idle
            </button>
          </div>
        </div>
      )}
    </div>
  );
}

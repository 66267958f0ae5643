/** "0:07", "12:34", "1:02:03": a duration for the offer popover's timers (negative counts as zero). */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const ss = String(seconds).padStart(2, '0');
  if (hours > 0) return `${hours}:${String(minutes).padStart(2, '0')}:${ss}`;
  return `${minutes}:${ss}`;
}

/** Time since an ISO timestamp, formatted (a wait timer). */
export function elapsedSince(iso: string, now: number): string {
  return formatDuration(now - Date.parse(iso));
}

/** Time left until an ISO timestamp, formatted (zero once passed). */
export function remainingUntil(iso: string, now: number): string {
  return formatDuration(Date.parse(iso) - now);
}

/** A short local date and time for message and history lines. */
export function formatTime(iso: string): string {
  const d = new Date(iso);
  return d.toLocaleString(undefined, {
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
}

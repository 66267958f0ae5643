const LABELS: Record<string, string> = { messaging: 'Chat', email: 'Email', api: 'API' };

/** A small channel badge (text, so it needs no icon font) with a text alternative. */
export function ChannelIcon({ channel }: { channel: string }) {
  return (
    <span
      className={`channel-icon channel-${channel}`}
      role="img"
      aria-label={`Channel: ${channel}`}
    >
      {LABELS[channel] ?? channel}
    </span>
  );
}

import { useEffect, useState } from 'react';
import type { Offer } from '@parlour/protocol';
import { elapsedSince, remainingUntil } from '../time-format.js';
import { ChannelIcon } from './channel-icon.js';

/** Pending offers: who, from which queue, how long they waited, how long is left (seed 004). */
export function OfferPopover({
  offers,
  onAnswer,
}: {
  offers: readonly Offer[];
  onAnswer: (offer: Offer, accept: boolean) => void;
}) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (offers.length === 0) return;
    // The popover stays mounted between offers: start a new one's timers from the present.
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [offers.length]);
  if (offers.length === 0) return null;
  return (
    <section className="popover offers" aria-label="Offers" data-testid="offer-popover">
      {offers.map((offer) => (
        <article
          key={offer.id}
          className="offer"
          data-testid="offer"
          aria-label={`Offer for ticket ${offer.ticketNumber}`}
        >
          <header>
            <ChannelIcon channel={offer.channel} />
            <strong data-testid="offer-customer">
              {offer.customer.name ?? `Customer ${offer.customer.id.slice(0, 8)}`}
            </strong>
            <span className={`priority priority-${offer.priority}`}>{offer.priority}</span>
          </header>
          <dl>
            <dt>Email</dt>
            <dd data-testid="offer-email">{offer.customer.email ?? '—'}</dd>
            <dt>Queue</dt>
            <dd data-testid="offer-queue">{offer.queue.name ?? '—'}</dd>
            <dt>Waiting</dt>
            <dd data-testid="offer-wait" aria-live="off">
              {elapsedSince(offer.waitingSince, now)}
            </dd>
            <dt>Time left</dt>
            <dd data-testid="offer-left" aria-live="off">
              {remainingUntil(offer.expiresAt, now)}
            </dd>
          </dl>
          <div className="actions">
            <button
              type="button"
              className="primary"
              data-testid="offer-accept"
              onClick={() => onAnswer(offer, true)}
            >
              Accept
            </button>
            <button
              type="button"
              data-testid="offer-decline"
              onClick={() => onAnswer(offer, false)}
            >
              Decline
            </button>
          </div>
        </article>
      ))}
    </section>
  );
}

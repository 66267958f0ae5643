/**
 * The supervisors' live view counts offers missed (expired unanswered) in the last 30 minutes per
 * queue on every refresh: an index over just those offers keeps that a short range scan.
 */
export const liveView = `
CREATE INDEX offers_expired_recent_idx ON offers (responded_at) WHERE status = 'expired';
`;

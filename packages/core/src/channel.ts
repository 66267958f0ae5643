/** Every message and ticket records the channel it came through. */
export type Channel = 'messaging' | 'email' | 'api';
export const CHANNELS: readonly Channel[] = ['messaging', 'email', 'api'];

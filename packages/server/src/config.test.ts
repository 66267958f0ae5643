import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('email configuration', () => {
  it('sends nothing and listens on no SMTP port unless told to', () => {
    const { email } = loadConfig({ PORT: '8080' });
    expect(email.smtp).toBeNull();
    expect(email.listenPort).toBeNull();
    expect(email.replyDomain).toBe('127.0.0.1');
  });

  it('reads the SMTP relay, the listener and the reply domain', () => {
    const { email } = loadConfig({
      SMTP_HOST: 'smtp.example.com',
      SMTP_SECURE: 'true',
      SMTP_USER: 'parlour',
      SMTP_PASSWORD: 's3cret',
      EMAIL_FROM: 'Support <support@example.com>',
      EMAIL_REPLY_DOMAIN: 'Reply.Example.com',
      SMTP_LISTEN_PORT: '2525',
    });
    expect(email.smtp).toMatchObject({
      host: 'smtp.example.com',
      port: 465,
      secure: true,
      user: 'parlour',
    });
    expect(email.from).toBe('Support <support@example.com>');
    expect(email.replyDomain).toBe('reply.example.com');
    expect(email.listenPort).toBe(2525);
  });

  it.each([
    ['SMTP_SECURE', 'yes'],
    ['SMTP_LISTEN_PORT', 'seventy'],
    ['EMAIL_REPLY_DOMAIN', 'not a domain'],
    ['EMAIL_MAX_BYTES', '10'],
  ])('refuses %s=%s at start-up', (name, value) => {
    expect(() => loadConfig({ SMTP_HOST: 'smtp.example.com', [name]: value })).toThrow(ConfigError);
  });
});

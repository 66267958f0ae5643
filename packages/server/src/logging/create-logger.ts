import { redactSensitiveData } from '@parlour/core';
import pino, { type DestinationStream, type Logger } from 'pino';

/**
 * The one way Parlour makes a logger. Every line passes the card-data scanner on its way out
 * (PCI DSS, seed 004): whatever ends up in a log — an error's message, a request detail — never
 * carries a card number, security code, IBAN or SSN in clear, whatever the detector settings.
 */
export function createLogger(options: {
  readonly level: string;
  readonly destination?: DestinationStream;
}): Logger {
  return pino(
    { level: options.level, hooks: { streamWrite: scrubLogLine } },
    options.destination ?? pino.destination(1),
  );
}

export function scrubLogLine(line: string): string {
  return redactSensitiveData(line, { detectors: { iban: true, ssn: true }, mask: 'last4' }).text;
}

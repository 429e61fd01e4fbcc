import type { DestinationStream } from 'pino';
import pinoPretty from 'pino-pretty';

/**
 * Where the API's and the worker's pino loggers write. Pretty: one readable, coloured line per record
 * (time, level, message, then the record's fields), written synchronously to stdout by pino-pretty in
 * the process itself, for a person at a terminal. Otherwise undefined: pino's default, one JSON object
 * per line on stdout, for log shippers.
 */
export function logDestination(isPretty: boolean): DestinationStream | undefined {
  if (!isPretty) return undefined;
  return pinoPretty({
    colorize: process.stdout.isTTY === true,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname,req,res,requestId,context',
    messageFormat:
      '{if context}[{context}] {end}{msg}{if req} {req.method} {req.url}{end}{if res} → {res.statusCode}{end}{if responseTime} {responseTime} ms{end}',
    singleLine: true,
    sync: true,
  });
}

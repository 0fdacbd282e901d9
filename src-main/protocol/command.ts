// Exports: parseCommand (a server→client frame → IncomingCommand: command, TrID when it carries one, error code,
// arguments), IncomingCommand, and hasTrid (the per-command, per-version TrID rule behind it).
import type { Frame } from './framing';

export interface IncomingCommand {
  /** The whole command line as decoded UTF-8, without its line end. */
  line: string;
  /** The mnemonic ('NLN') or, for an error reply, the 3-digit code as text ('911'). */
  command: string;
  /** Present for commands that carry a TrID (replies, ILN, CHL 0, ADD 0 RL, errors, MSNP2–7 list lines). */
  trid?: number;
  /** For a numeric error line such as `911 4`. */
  errorCode?: number;
  /** The fields after the command and, when present, after the TrID. */
  args: string[];
  payload?: Uint8Array;
}

// Server→client commands whose first field is always a TrID (0 when unsolicited, as in `CHL 0` and `ADD 0 RL`).
const ALWAYS_TRID = new Set([
  'VER', 'CVR', 'INF', 'USR', 'XFR', 'SYN', 'ADD', 'REM', 'ADG', 'RMG', 'REG', 'REA', 'CHG', 'ILN', 'CHL', 'QRY',
  'ADC', 'SBP', 'UUX', 'GCF', 'ANS', 'CAL', 'IRO', 'ACK', 'NAK', 'SBS', 'FND', 'SND', 'URL', 'ADL', 'RML', 'FQY',
]);
// Carry a TrID when they answer a command; inside an MSNP8+ SYN they start with a value, never a number.
const TRID_WHEN_NUMERIC = new Set(['GTC', 'BLP', 'PRP']);
// MSNP2–7 list lines carry the SYN's TrID; from MSNP8 on they carry none (and LSG starts with a numeric group id).
const TRID_BEFORE_MSNP8 = new Set(['LST', 'LSG', 'BPR']);

const isDigits = (s: string | undefined): s is string => s !== undefined && s.length > 0 && s.length <= 15 && /^\d+$/.test(s);
const isErrorCode = (s: string): boolean => s.length === 3 && isDigits(s);

/** Whether `fields[1]` of a server→client line is a TrID, for the negotiated protocol version (2–12). */
export function hasTrid(command: string, fields: readonly string[], version: number): boolean {
  if (!isDigits(fields[1])) return false;
  if (isErrorCode(command) || ALWAYS_TRID.has(command) || TRID_WHEN_NUMERIC.has(command)) return true;
  return version < 8 && TRID_BEFORE_MSNP8.has(command);
}

/**
 * Lifts a server→client frame (or any `{ line, payload }`) into an IncomingCommand. `version` is the negotiated
 * MSNP version (default 8). Empty fields from doubled spaces are dropped; the line itself stays as it came.
 */
export function parseCommand(frame: Pick<Frame, 'line' | 'payload'>, version = 8): IncomingCommand {
  const fields = frame.line.split(' ').filter((f, i) => f !== '' || i === 0);
  const command = fields[0] ?? '';
  const result: IncomingCommand = { line: frame.line, command, args: [] };
  if (frame.payload !== undefined) result.payload = frame.payload;
  if (isErrorCode(command)) {
    result.errorCode = Number(command);
    result.trid = isDigits(fields[1]) ? Number(fields[1]) : 0;
    result.args = fields.slice(isDigits(fields[1]) ? 2 : 1);
    return result;
  }
  if (hasTrid(command, fields, version)) {
    result.trid = Number(fields[1]);
    result.args = fields.slice(2);
  } else {
    result.args = fields.slice(1);
  }
  return result;
}

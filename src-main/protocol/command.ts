// Exports: parseCommand (a server→client frame → IncomingCommand: command, TrID when it carries one, error code,
// arguments), IncomingCommand, TridRules and hasTrid (the per-command TrID rule behind it). Which commands carry a
// TrID differs by version only in the list lines (MSNP2–7 put the SYN's TrID on LST/LSG/BPR): the negotiated version's
// dialect says so with `listLinesCarryTrid`.
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
// List lines that carry the SYN's TrID when TridRules.listLinesCarryTrid (MSNP2–7); otherwise none (and an MSNP8 LSG
// starts with a numeric group id).
const LIST_LINES = new Set(['LST', 'LSG', 'BPR']);

export interface TridRules {
  /** LST, LSG and BPR start with a TrID (MSNP2–7). */
  readonly listLinesCarryTrid: boolean;
}

/** The rules from MSNP8 on, and before VER has settled a version. */
export const DEFAULT_TRID_RULES: TridRules = Object.freeze({ listLinesCarryTrid: false });

const isDigits = (s: string | undefined): s is string => s !== undefined && s.length > 0 && s.length <= 15 && /^\d+$/.test(s);
const isErrorCode = (s: string): boolean => s.length === 3 && isDigits(s);

/** Whether `fields[1]` of a server→client line is a TrID, under the negotiated version's rules. */
export function hasTrid(command: string, fields: readonly string[], rules: TridRules = DEFAULT_TRID_RULES): boolean {
  if (!isDigits(fields[1])) return false;
  if (isErrorCode(command) || ALWAYS_TRID.has(command) || TRID_WHEN_NUMERIC.has(command)) return true;
  return rules.listLinesCarryTrid && LIST_LINES.has(command);
}

/**
 * Lifts a server→client frame (or any `{ line, payload }`) into an IncomingCommand, under the negotiated version's
 * TrID rules (default: MSNP8's). Empty fields from doubled spaces are dropped; the line itself stays as it came.
 */
export function parseCommand(frame: Pick<Frame, 'line' | 'payload'>, rules: TridRules = DEFAULT_TRID_RULES): IncomingCommand {
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
  if (hasTrid(command, fields, rules)) {
    result.trid = Number(fields[1]);
    result.args = fields.slice(2);
  } else {
    result.args = fields.slice(1);
  }
  return result;
}

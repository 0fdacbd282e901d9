// Exports: serializeCommand (OutgoingCommand → the exact bytes to send), formatCommandLine (the same line as text,
// without the line end, for traffic logs), encodeCommand (both at once), and OutgoingCommand.
// A payload's length is appended as the last field and counts bytes, never string characters.
import type { ClientCommandName } from './command-names';
import { ProtocolError } from './protocol-error';

export interface OutgoingCommand {
  /** A client command mnemonic such as 'USR'. */
  command: ClientCommandName;
  /** Omitted for commands without a TrID field (`PNG`, `OUT`). */
  trid?: number;
  /** Fields after the TrID, already URL-encoded where the protocol wants it; none may contain a space or CR/LF. */
  args?: readonly string[];
  /** Body bytes (or text, sent as UTF-8). Its byte length is appended as the last field. */
  payload?: Uint8Array | string;
}

const encoder = new TextEncoder();
const COMMAND = /^[A-Z]{3}$/;
// No field may be empty or hold a space, CR or LF: any of them would shift or split the line on the server.
const BAD_FIELD = /[ \r\n]/;

function payloadBytes(payload: Uint8Array | string | undefined): Uint8Array | undefined {
  return typeof payload === 'string' ? encoder.encode(payload) : payload;
}

function lineOf(cmd: OutgoingCommand, payload: Uint8Array | undefined): string {
  if (!COMMAND.test(cmd.command)) {
    throw new ProtocolError('protocol.bad-argument', `"${cmd.command.slice(0, 16)}" is not a command mnemonic.`);
  }
  let line = cmd.command;
  if (cmd.trid !== undefined) {
    if (!Number.isInteger(cmd.trid) || cmd.trid < 0 || cmd.trid > 0xffffffff) {
      throw new ProtocolError('protocol.bad-argument', `${cmd.command} has an invalid TrID.`, { command: cmd.command });
    }
    line += ` ${cmd.trid}`;
  }
  for (const arg of cmd.args ?? []) {
    if (arg === '' || BAD_FIELD.test(arg)) {
      // The argument itself may be a secret (a password hash, a ticket): never quote it.
      throw new ProtocolError('protocol.bad-argument', `An argument of ${cmd.command} is empty or contains a space or line break.`, {
        command: cmd.command,
      });
    }
    line += ` ${arg}`;
  }
  if (payload !== undefined) line += ` ${payload.byteLength}`;
  return line;
}

/** The command line as it goes on the wire, without "\r\n" (payload length included). */
export function formatCommandLine(cmd: OutgoingCommand): string {
  return lineOf(cmd, payloadBytes(cmd.payload));
}

/** The exact bytes to send: the line, "\r\n", then the payload bytes if any. */
export function serializeCommand(cmd: OutgoingCommand): Uint8Array {
  return encodeCommand(cmd).bytes;
}

/** The bytes to send and the line they start with (for a traffic log), the line built once. */
export function encodeCommand(cmd: OutgoingCommand): { bytes: Uint8Array; line: string } {
  const payload = payloadBytes(cmd.payload);
  const line = lineOf(cmd, payload);
  const head = encoder.encode(`${line}\r\n`);
  if (payload === undefined) return { bytes: head, line };
  const bytes = new Uint8Array(head.byteLength + payload.byteLength);
  bytes.set(head, 0);
  bytes.set(payload, head.byteLength);
  return { bytes, line };
}

// Exports: CLIENT_COMMANDS / ClientCommandName (what a client sends, MSNP2–12) and SERVER_COMMANDS /
// ServerCommandName (what a server sends, besides 3-digit error codes), with isServerCommand.
// Outgoing commands are typed by these names; incoming lines keep `command: string`, since servers send what they like.

export const CLIENT_COMMANDS = [
  'VER', 'CVR', 'INF', 'USR', 'XFR', 'SYN', 'GTC', 'BLP', 'LST', 'LSG', 'PRP', 'SBP', 'ADD', 'REM', 'ADC', 'ADG',
  'RMG', 'REG', 'REA', 'CHG', 'UUX', 'PNG', 'QRY', 'GCF', 'FND', 'SND', 'URL', 'CAL', 'ANS', 'MSG', 'OUT',
] as const;
export type ClientCommandName = (typeof CLIENT_COMMANDS)[number];

export const SERVER_COMMANDS = [
  'VER', 'CVR', 'INF', 'USR', 'XFR', 'SYN', 'GTC', 'BLP', 'LSG', 'LST', 'BPR', 'PRP', 'SBP', 'ADD', 'REM', 'ADC',
  'ADG', 'RMG', 'REG', 'REA', 'CHG', 'ILN', 'NLN', 'FLN', 'UBX', 'UUX', 'CHL', 'QRY', 'QNG', 'RNG', 'GCF', 'SBS',
  'FND', 'SND', 'URL', 'NOT', 'IPG', 'CAL', 'ANS', 'IRO', 'JOI', 'BYE', 'MSG', 'ACK', 'NAK', 'OUT',
] as const;
export type ServerCommandName = (typeof SERVER_COMMANDS)[number];

const serverCommands: ReadonlySet<string> = new Set(SERVER_COMMANDS);

export function isServerCommand(command: string): command is ServerCommandName {
  return serverCommands.has(command);
}

// Exports: describeErrorCode (3-digit MSNP error code → short plain-language meaning for people), errorCodeKind
// (how a client should react to it) and ERROR_CODES (the table itself, from the protocol reference's errors.md).

/** How a client should treat an error code (errors.md, "Handling advice"). */
export type ErrorCodeKind = 'wrong-credentials' | 'retry-later' | 'challenge-failed' | 'request-refused';

export const ERROR_CODES: Readonly<Record<number, string>> = Object.freeze({
  200: 'Syntax error',
  201: 'Invalid parameter',
  204: 'Invalid network',
  205: 'That account does not exist',
  206: 'The e-mail address has no domain',
  207: 'Already signed in',
  208: 'Invalid account name',
  209: 'That nickname is not allowed',
  210: 'The list is full',
  213: 'Invalid rename request',
  215: 'Already on the list or in the conversation',
  216: 'Not on the list',
  217: 'The contact is not online',
  218: 'Already in that mode',
  219: 'The contact is on the opposite list',
  223: 'Too many groups',
  224: 'Invalid group',
  225: 'The contact is not in that group',
  228: 'A group with that name already exists',
  229: 'The group name is too long',
  230: 'Group 0 cannot be removed',
  231: 'Invalid group',
  240: 'Empty domain',
  241: 'Invalid XML payload',
  280: 'The conversation server failed',
  281: 'Could not transfer to a conversation server',
  282: 'Bad message payload',
  300: 'A required field is missing',
  301: 'Too many search results',
  302: 'Not signed in',
  402: 'The contact list is unavailable',
  403: 'Contact list error',
  500: 'Internal server error',
  501: 'Database server error',
  502: 'Command disabled',
  510: 'File operation failed',
  520: 'Memory allocation failed',
  540: 'Challenge response failed',
  600: 'Server busy',
  601: 'Server unavailable',
  602: 'Peer server down',
  603: 'Database connection failed',
  604: 'Server going down',
  605: 'Server unavailable',
  707: 'Could not create connection',
  710: 'Bad client version parameters',
  711: 'Write is blocking',
  712: 'Session overload',
  713: 'Too many requests too quickly',
  714: 'Too many open conversations',
  715: 'Not expected',
  717: 'Bad friend file',
  731: 'Badly formed client version',
  800: 'Changing too rapidly',
  910: 'Server too busy',
  911: 'Authentication failed',
  912: 'Server too busy',
  913: 'Not allowed while offline or invisible',
  914: 'Server unavailable',
  915: 'Server unavailable',
  916: 'Server unavailable',
  917: 'Authentication failed',
  918: 'Server too busy',
  919: 'Server too busy',
  920: 'Not accepting new users',
  921: 'Server too busy',
  922: 'Server too busy',
  923: "Kids' Passport without parental consent",
  924: 'Passport account not verified',
  927: 'Passport account suspended',
  928: 'Bad ticket',
  933: 'Invalid circle membership',
});

/** A short meaning for an error code; unknown codes get a generic phrase that still names the number. */
export function describeErrorCode(code: number): string {
  return ERROR_CODES[code] ?? `Unknown server error ${code}`;
}

/** 911/917/928: the password or ticket; 540: our challenge answer; 5xx/6xx/busy 91x: the server's trouble. */
export function errorCodeKind(code: number): ErrorCodeKind {
  if (code === 911 || code === 917 || code === 928) return 'wrong-credentials';
  if (code === 540) return 'challenge-failed';
  if ((code >= 500 && code < 700) || (code >= 910 && code <= 922 && code !== 911 && code !== 913 && code !== 917)) return 'retry-later';
  return 'request-refused';
}

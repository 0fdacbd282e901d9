// The dialects by version, and the versions Butterfly offers in VER: highest first, each implemented and tested.
import type { Dialect } from './dialect';
import { msnp10to12Dialect } from './msnp10-12';
import { msnp2to7Dialect } from './msnp2-7';
import { msnp8Dialect } from './msnp8';
import { msnp9Dialect } from './msnp9';

export type { Dialect, ListEditing, ListStep, PayloadCommands, PresenceLine, Request, ReverseListChange, WireDialect } from './dialect';

/** Every version Butterfly speaks, highest first: what VER offers (`VER 1 MSNP12 … MSNP2 CVR0`). */
export const OFFERED_VERSIONS = ['MSNP12', 'MSNP11', 'MSNP10', 'MSNP9', 'MSNP8', 'MSNP7', 'MSNP6', 'MSNP5', 'MSNP4', 'MSNP3', 'MSNP2'] as const;
export type ProtocolName = (typeof OFFERED_VERSIONS)[number];

export const HIGHEST_VERSION = 12;
export const LOWEST_VERSION = 2;

/** The dialect of a negotiated version (2–12); undefined for any other. */
export function dialectFor(version: number): Dialect | undefined {
  switch (version) {
    case 2:
    case 3:
    case 4:
    case 5:
    case 6:
    case 7:
      return msnp2to7Dialect(version);
    case 8:
      return msnp8Dialect();
    case 9:
      return msnp9Dialect();
    case 10:
    case 11:
    case 12:
      return msnp10to12Dialect(version);
    default:
      return undefined;
  }
}

/** The dialect of a VER answer's `MSNPn`, when it is one Butterfly speaks. */
export function dialectNamed(name: string): Dialect | undefined {
  const n = /^MSNP(\d{1,2})$/.exec(name)?.[1];
  return n === undefined ? undefined : dialectFor(Number(n));
}

/** What VER offers with a cap on the highest version (an account's setting): `MSNPcap … MSNP2`. */
export function offeredVersions(highest: number = HIGHEST_VERSION): ProtocolName[] {
  return OFFERED_VERSIONS.filter((v) => Number(v.slice(4)) <= highest);
}

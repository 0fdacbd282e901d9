// The account's own profile (address, nickname as on the wire, status), kept in one place: the connection manager
// sets it when a connection is established, the notification session changes it when the server confirms a CHG or
// REA, and every change is told once to whoever owns the model (the account's event stream).
import type { OwnProfile } from '../../src-shared/messenger-types';

export class OwnProfileModel {
  private value: OwnProfile | undefined;

  constructor(private readonly changed: (profile: OwnProfile) => void) {}

  /** A copy: nobody changes the profile but through this model. Undefined before the first connection. */
  get current(): OwnProfile | undefined {
    return this.value && { ...this.value };
  }

  set(profile: OwnProfile): void {
    this.value = { ...profile };
    this.changed({ ...profile });
  }

  /** Changes part of it; nothing to change before the first `set`. */
  update(change: Partial<Omit<OwnProfile, 'email'>>): void {
    if (this.value) this.set({ ...this.value, ...change });
  }

  clear(): void {
    this.value = undefined;
  }
}

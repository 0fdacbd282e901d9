// MSNP10–12 list edits with Escargot's exact replies (msnp9-12.md, `_m_adc`, `_add_common`, `_m_rem`, `_m_adg`,
// `_m_rmg`, `_m_reg`, `_m_prp`, `_m_sbp`): contacts named by their id (`C=`, the account's UUID) on FL and by address
// on AL/BL, no list versions anywhere. Quirks mirrored, as the real server has them:
//  - `REG` answers `REG trid 1 name id 0` but renames nothing (the next SYN shows the old name);
//  - `GTC`/`BLP` are echoed but never take effect (SYN keeps reporting the old values);
//  - `SBP` is echoed and not kept; `ADC` to FL does not add AL, and nothing checks AL/BL conflicts (no 219);
//  - `REM … RL` closes the connection; nobody is told about a removal; an unknown account is 207 (not 205/208).
import type { ListName } from './accounts';
import type { Account } from './directory';
import { decodeParam, encodeParam } from './param-codec';
import type { ServerContext } from './context';
import type { Watcher } from './presence';

/** What the handlers need of their NS session (which watches presence itself). */
export interface GuidListHost extends Watcher {
  readonly ctx: ServerContext;
  drop(): void;
  sessionOf(email: string): { addedBy(who: Account): void } | undefined;
}

const COMMANDS = new Set(['ADC', 'REM', 'ADG', 'RMG', 'REG', 'GTC', 'BLP', 'PRP', 'SBP']);
const listOf = (s: string | undefined): ListName | undefined => (s === 'FL' || s === 'AL' || s === 'BL' || s === 'RL' ? s : undefined);
const MAX_GROUP_NAME = 61;

export class GuidLists {
  constructor(private readonly s: GuidListHost) {}

  handles(command: string): boolean {
    return COMMANDS.has(command);
  }

  handle(a: string[]): void {
    switch (a[0]) {
      case 'ADC':
        return this.adc(a);
      case 'REM':
        return this.rem(a);
      case 'ADG':
        return this.adg(a);
      case 'RMG':
        return this.rmg(a);
      case 'REG':
        return this.reg(a);
      case 'GTC':
      case 'BLP':
        return this.privacy(a);
      case 'PRP':
        return this.prp(a);
      case 'SBP':
        // SBP trid id MFN nick: echoed; the stored name is not kept.
        return a.length < 5 ? this.s.drop() : this.s.send(a.join(' '));
    }
  }

  private get dir() {
    return this.s.ctx.directory;
  }

  /** An AL/BL change: what `email` may see of this user now. */
  private presenceChanged(email: string): void {
    const other = this.s.ctx.presence.watchers().find((w) => w.account.email.toLowerCase() === email.toLowerCase());
    if (other) this.s.ctx.presence.refresh(other, this.s.account.email);
  }

  private adc(a: string[]): void {
    if (a.length < 4) return this.s.drop();
    const [, trid, listParam, target, groupParam] = a;
    const list = listOf(listParam);
    if (!list || list === 'RL') return this.s.send(`201 ${trid}`);
    if (target.startsWith('C=')) {
      // ADC trid FL C=id group: into a group.
      if (list !== 'FL' || groupParam === undefined) return this.s.send(`201 ${trid}`);
      const group = Number(groupParam);
      const c = this.dir.byContactId(this.s.account, target.slice(2));
      const r = this.dir.addToGroup(this.s.account, c, Number.isInteger(group) ? group : -1);
      if (!r.ok) return this.s.send(`${r.error} ${trid}`);
      return this.s.send(`ADC ${trid} FL ${target} ${groupParam}`);
    }
    if (!target.startsWith('N=')) return this.s.send(`201 ${trid}`);
    const email = decodeParam(target.slice(2));
    const nickParam = a.find((f, i) => i > 3 && f.startsWith('F='));
    const nickname = nickParam ? decodeParam(nickParam.slice(2)) : email;
    const r = this.dir.addByAddress(this.s.account, list, email, nickname);
    if (!r.ok) return this.s.send(`${r.error} ${trid}`);
    const stored = this.dir.contact(this.s.account, email)?.email ?? email;
    if (list !== 'FL') {
      this.s.send(`ADC ${trid} ${list} N=${stored}`);
      return this.presenceChanged(stored);
    }
    // The reply names the contact by its id (no F=): `ADC trid FL N=email C=uuid`.
    this.s.send(`ADC ${trid} FL N=${stored} C=${this.dir.contactId(stored)}`);
    this.s.sessionOf(stored)?.addedBy(this.s.account);
    // The new contact's presence follows (lists.md), even when it was sent before they were on FL (presenceToEveryEntry).
    this.s.shown.delete(stored.toLowerCase());
    this.s.ctx.presence.refresh(this.s, stored);
  }

  private rem(a: string[]): void {
    if (a.length < 4) return this.s.drop();
    const [, trid, listParam, target, groupParam] = a;
    const list = listOf(listParam);
    if (list === 'RL') return this.s.drop();
    if (!list) return this.s.send(`201 ${trid}`);
    if (list !== 'FL') {
      // AL/BL by address.
      const email = decodeParam(target);
      const r = this.dir.remove(this.s.account, list, email, undefined);
      if (!r.ok) return this.s.send(`${r.error === 216 ? 205 : r.error} ${trid}`);
      this.s.send(`REM ${trid} ${list} ${target}`);
      return this.presenceChanged(email);
    }
    const c = this.dir.byContactId(this.s.account, target);
    if (groupParam !== undefined) {
      const group = Number(groupParam);
      const r = this.dir.removeFromGroup(this.s.account, c, Number.isInteger(group) ? group : -1);
      if (!r.ok) return this.s.send(`${r.error} ${trid}`);
      return this.s.send(`REM ${trid} FL ${target} ${groupParam}`);
    }
    if (!c?.lists.has('FL')) return this.s.send(`205 ${trid}`);
    const r = this.dir.remove(this.s.account, 'FL', c.email, undefined);
    if (!r.ok) return this.s.send(`${r.error} ${trid}`);
    this.s.send(`REM ${trid} FL ${target}`);
    // The client removed them itself: forget what it saw without sending FLN.
    this.s.shown.delete(c.email.toLowerCase());
  }

  private adg(a: string[]): void {
    if (a.length < 3) return this.s.drop();
    const name = decodeParam(a[2]);
    if ([...name].length > MAX_GROUP_NAME) return this.s.send(`229 ${a[1]}`);
    const r = this.dir.addGroup(this.s.account, name);
    if (!r.ok) return this.s.send(`${r.error} ${a[1]}`);
    this.s.send(`ADG ${a[1]} ${encodeParam(name)} ${r.id} 0`);
  }

  private rmg(a: string[]): void {
    if (a.length < 3) return this.s.drop();
    const id = Number(a[2]);
    if (!Number.isInteger(id)) return this.s.send(`224 ${a[1]}`);
    const r = this.dir.removeGroup(this.s.account, id);
    if (!r.ok) return this.s.send(`${r.error} ${a[1]}`);
    this.s.send(`RMG ${a[1]} 1 ${id}`);
  }

  private reg(a: string[]): void {
    if (a.length < 4) return this.s.drop();
    const id = Number(a[2]);
    if (!Number.isInteger(id) || !this.s.account.groups.has(id)) return this.s.send(`224 ${a[1]}`);
    if ([...decodeParam(a[3])].length > MAX_GROUP_NAME) return this.s.send(`229 ${a[1]}`);
    // Escargot: the reply says OK, the name before the id, and nothing is renamed.
    this.s.send(`REG ${a[1]} 1 ${encodeParam(decodeParam(a[3]))} ${id} 0`);
  }

  private privacy(a: string[]): void {
    if (a.length < 3) return this.s.drop();
    const ok = a[0] === 'GTC' ? a[2] === 'A' || a[2] === 'N' : a[2] === 'AL' || a[2] === 'BL';
    if (!ok) return this.s.send(`201 ${a[1]}`);
    // Acknowledged, never kept.
    this.s.send(`${a[0]} ${a[1]} ${a[2]}`);
  }

  private prp(a: string[]): void {
    if (a.length < 4) return this.s.drop();
    const [, trid, k, value] = a;
    if (k === 'MFN') {
      const nickname = decodeParam(value);
      if (Buffer.byteLength(nickname, 'utf8') > 387) return this.s.send(`209 ${trid}`);
      this.s.account.nickname = nickname;
      this.s.send(`PRP ${trid} MFN ${encodeParam(nickname)}`);
      return this.s.ctx.presence.fanOut(this.s.account.email);
    }
    if (k !== 'PHH' && k !== 'PHW' && k !== 'PHM' && k !== 'MOB') return this.s.send(`201 ${trid}`);
    this.s.send(`PRP ${trid} ${k} ${value}`);
  }
}

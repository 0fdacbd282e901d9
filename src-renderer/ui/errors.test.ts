import { describe, expect, it } from 'vitest';
import type { ErrorCode } from '../../src-shared/errors';
import { i18n } from '../i18n';
import { describeError } from './errors';

const error = (code: string, message = 'The server refused ADD (error 205: That account does not exist)') => ({ code: code as ErrorCode, message, retryable: false });
const t = i18n.getFixedT('en');

describe('errors in plain words', () => {
  it('says what a list refusal means from its code and what the person did, without protocol words', () => {
    expect(describeError(t, error('server.205'), { action: 'add-contact', email: 'carol@exmple.com' })).toEqual({ text: 'There is no Messenger account for carol@exmple.com.' });
    expect(describeError(t, error('server.215'), { action: 'add-contact', email: 'carol@example.com' }, () => 'Carol').text).toBe('Carol is already in your list.');
    expect(describeError(t, error('server.228'), { action: 'add-group', group: 'Friends' }).text).toBe('There is already a group called “Friends”.');
    expect(describeError(t, error('server.215'), { action: 'block-contact', email: 'bob@example.com' }).text).toBe('That setting was already in force.');
    expect(describeError(t, error('server.600'), { action: 'add-group', group: 'x' }).text).toMatch(/busy/);
    // 217 is what a switchboard answers an invitation to someone offline (or appearing offline).
    expect(describeError(t, error('server.217'))).toEqual({ text: 'That person is offline, or appears offline.' });
  });

  it('keeps main’s message as the detail only where the sentence is general', () => {
    expect(describeError(t, error('server.999'), { action: 'remove-contact', email: 'a@b.c' })).toEqual({ text: 'The server refused this (error 999).', detail: error('x').message });
    expect(describeError(t, error('server.205'))).toMatchObject({ text: 'The server refused this (error 205).' });
    expect(describeError(t, error('auth.wrong-password', 'whatever'))).toEqual({ text: 'The e-mail address or password is not right.' });
    expect(describeError(t, error('transport.host-not-found', 'Could not find m1.escargot.chat: the name does not resolve.'))).toEqual({
      text: 'The server’s name could not be found. Check the spelling, and your network or DNS.',
      detail: 'Could not find m1.escargot.chat: the name does not resolve.',
    });
  });

  it('says in plain words what a conversation refused, not that it could not', () => {
    expect(describeError(t, error('conversation.nudge-too-soon', 'You can send a nudge only every 10 s.')).text).toMatch(/wait a few seconds/);
    expect(describeError(t, error('conversation.already-there')).text).toBe('That person is already in the conversation.');
    expect(describeError(i18n.getFixedT('pt-BR'), error('conversation.bad-address')).text).toBe('Isso não é um endereço de e-mail.');
  });

  it('speaks the person’s language, with the same parameters', () => {
    expect(describeError(i18n.getFixedT('pt-BR'), error('server.205'), { action: 'add-contact', email: 'carol@exmple.com' }).text).toBe('Não existe conta do Messenger para carol@exmple.com.');
    expect(describeError(i18n.getFixedT('es'), error('server.205'), { action: 'add-contact', email: 'carol@exmple.com' }).text).toBe('No existe ninguna cuenta de Messenger para carol@exmple.com.');
  });

  it('has words for families without a sentence of their own, and for codes it has never heard of', () => {
    expect(describeError(t, error('conversation.unknown')).text).toBe('The conversation could not do that.');
    expect(describeError(t, error('service.unknown-account')).text).toMatch(/bug in Butterfly/);
    expect(describeError(t, error('brand.new', 'Something new happened.')).text).toBe('Something went wrong: Something new happened.');
  });
});

// Brazilian Portuguese strings of the conversation history.
import type { historyEn } from './history-en';

export const historyPtBR: typeof historyEn = {
  off: 'O histórico está desativado: estas mensagens não são guardadas quando o Butterfly fecha.',
  newMessages: 'Novas mensagens ↓',
  toNewest: 'Mensagens mais recentes ↓',
  loadFailed: 'Não foi possível carregar as mensagens anteriores: {{reason}}',
  search: 'Pesquisar',
  searchConversation: 'Pesquisar nesta conversa',
  searchAll: 'Pesquisar no histórico de mensagens',
  searchFor: 'Pesquisar',
  results: 'Resultados da pesquisa',
  searching: 'Pesquisando…',
  found_one: '{{count}} mensagem encontrada',
  found_other: '{{count}} mensagens encontradas',
  more: 'Mais resultados',
  noResults: 'Nenhuma mensagem encontrada.',
  searchOff: 'O histórico está desativado: só é possível encontrar mensagens desta sessão.',
  notOpen: 'Essa conversa não pode ser aberta de novo: era com várias pessoas.',
  you: 'Você',
  with: 'com {{names}}',
};

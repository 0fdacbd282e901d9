// Spanish strings of the conversation history.
import type { historyEn } from './history-en';

export const historyEs: typeof historyEn = {
  off: 'El historial está desactivado: estos mensajes no se guardan al cerrar Butterfly.',
  newMessages: 'Mensajes nuevos ↓',
  toNewest: 'Mensajes más recientes ↓',
  loadFailed: 'No se pudieron cargar los mensajes anteriores: {{reason}}',
  search: 'Buscar',
  searchConversation: 'Buscar en esta conversación',
  searchAll: 'Buscar en el historial de mensajes',
  searchFor: 'Buscar',
  results: 'Resultados de la búsqueda',
  searching: 'Buscando…',
  found_one: '{{count}} mensaje encontrado',
  found_other: '{{count}} mensajes encontrados',
  more: 'Más resultados',
  noResults: 'No se encontraron mensajes.',
  searchOff: 'El historial está desactivado: solo se pueden encontrar mensajes de esta sesión.',
  notOpen: 'Esa conversación no se puede volver a abrir: era con varias personas.',
  you: 'Tú',
  with: 'con {{names}}',
};

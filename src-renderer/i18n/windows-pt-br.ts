// Brazilian Portuguese strings of conversation windows and of what a message arriving does.
import type { windowsEn } from './windows-en';

export const windowsPtBR: typeof windowsEn = {
  arrival: {
    legend: 'Quando chega uma mensagem',
    openWindow: 'Abrir a janela da conversa, sem tirar você do que está fazendo',
    notify: 'Só me avisar: a lista de contatos pisca',
    browserHint: 'Esta opção é para o aplicativo de desktop. Aqui no navegador, uma mensagem sempre adiciona uma aba com as mensagens não lidas.',
    saveFailed: 'Não foi possível salvar sua escolha.',
  },
  opening: 'Abrindo a conversa…',
};

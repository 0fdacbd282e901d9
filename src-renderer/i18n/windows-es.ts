// Spanish strings of conversation windows and of what a message arriving does.
import type { windowsEn } from './windows-en';

export const windowsEs: typeof windowsEn = {
  arrival: {
    legend: 'Cuando llega un mensaje',
    openWindow: 'Abrir la ventana de la conversación, sin apartarte de lo que estás haciendo',
    notify: 'Solo avisarme: la lista de contactos parpadea',
    browserHint: 'Esta opción es para la aplicación de escritorio. Aquí, en el navegador, un mensaje siempre añade una pestaña con sus mensajes sin leer.',
    saveFailed: 'No se pudo guardar tu elección.',
  },
  opening: 'Abriendo la conversación…',
};

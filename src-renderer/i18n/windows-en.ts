// English strings of conversation windows and of what a message arriving does (Options → Appearance).
export const windowsEn = {
  arrival: {
    legend: 'When a message arrives',
    openWindow: 'Open the conversation window, without taking you away from what you are doing',
    notify: 'Only let me know: the contact list flashes',
    browserHint: 'This choice is for the desktop app. Here in the browser, a message always adds a tab with its unread count.',
    saveFailed: 'Your choice could not be saved.',
  },
  opening: 'Opening the conversation…',
};

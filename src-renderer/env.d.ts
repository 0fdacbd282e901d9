// Vite turns CSS imports into injected stylesheets.
declare module '*.css';

// Vite client types for the console (CSS modules, import.meta.env, asset imports).
/// <reference types="vite/client" />

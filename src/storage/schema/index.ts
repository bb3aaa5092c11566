export * from './accounts.js';
export * from './clients.js';
export * from './device-codes.js';
export * from './interactions.js';
export * from './security.js';
export * from './signing-keys.js';
export * from './tokens.js';
export * from './meta.js';

// The wire protocol, one import for the server, main/app and the renderer.
export * from './events.ts';
export * from './errors.ts';
export * from './topics.ts';
export * from './frames.ts';

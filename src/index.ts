/** Package entry for embedding the server (the client library is the `./client` subpath). */
export { createApp, type App } from './app';
export { loadConfig, type Config } from './config';

/** What every command gets: the project's files, the output, and the server (created on first use). */
import type { CliEnvironment } from '../config';
import { apiFromEnv, type Api } from './api';
import type { Output } from './output';
import { openProject, type Project } from './project';

export type Context = { project: Project; out: Output; api: () => Api; interactive: boolean };

export function createContext(root: string, out: Output, env: CliEnvironment, interactive: boolean): Context {
  let api: Api | undefined;
  return { project: openProject(root), out, api: () => (api ??= apiFromEnv(env)), interactive };
}

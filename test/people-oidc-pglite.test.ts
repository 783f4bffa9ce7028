/** Single sign-on (OIDC) on the embedded default (PGlite) against a real provider process. */
import { startServer } from './helpers/server';
import { peopleOidcSuite, useSsoServer } from './suites/people-oidc';

peopleOidcSuite(useSsoServer((env) => startServer({ env })));

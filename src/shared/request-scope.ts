/** Who is calling and under which request id: passed from the GraphQL context to every service call. */
import type { Principal } from '../auth/principal';

export type RequestScope = { principal: Principal; requestId: string };

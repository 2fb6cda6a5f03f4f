import type { CustomerCaller, Principal } from './caller.js';

export type AppEnv = {
  Variables: {
    requestId: string;
    /** Staff or an API key. */
    principal?: Principal;
    /** A customer token's holder; never set together with `principal`. */
    customer?: CustomerCaller;
  };
};

import type { Principal } from '../../auth/roles.js';

export type AppEnv = {
  Variables: {
    requestId: string;
    principal?: Principal;
  };
};

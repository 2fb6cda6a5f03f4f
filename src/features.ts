import type { Feature } from './server.js';

/** Every feature of the service, in the order data flows (channels → turn → consoles). */
export const features: Feature[] = [];

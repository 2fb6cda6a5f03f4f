import { conversationsFeature } from './channels/api/feature.js';
import { knowledgeFeature } from './knowledge/feature.js';
import type { Feature } from './platform/server.js';

/** Every feature of the service, in the order data flows (knowledge → turn → consoles). */
export const features: Feature[] = [knowledgeFeature, conversationsFeature];

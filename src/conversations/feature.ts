import type { Feature } from '../server.js';
import { conversationRoutes } from './routes.js';

export const conversationsFeature: Feature = { routes: conversationRoutes };

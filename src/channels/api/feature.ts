import type { Feature } from '../../platform/server.js';
import { conversationRoutes } from './routes.js';

export const conversationsFeature: Feature = { routes: conversationRoutes };

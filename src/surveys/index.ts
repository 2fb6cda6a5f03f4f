import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { Inbox } from '../inbox/index.js';
import { visibleConversation } from '../inbox/visibility.js';
import type { AppEnv } from '../platform/http/env.js';
import { jsonBody, jsonResponse, problemResponse, route } from '../platform/http/route.js';
import type { Module, Platform } from '../platform/module.js';
import { SURVEY_KINDS } from './questions.js';
import { type Surveys, surveys } from './surveys.js';

export { SURVEY_KINDS, SURVEYS, type SurveyKind } from './questions.js';
export type { Surveys } from './surveys.js';

/** Surveys: started when a conversation is resolved, answered on the widget, WhatsApp or the API. */
export function surveysModule(platform: Platform, inbox: Inbox): { module: Module; surveys: Surveys } {
  const service = surveys(platform, inbox);
  const module: Module = {
    name: 'surveys',
    subscribers: [
      {
        name: 'surveys-start',
        on: ['conversation.resolved'],
        handle: async (event) => {
          if (event.conversationId) await service.start(event.conversationId);
        },
      },
    ],
    routes: () => {
      const app = new OpenAPIHono<AppEnv>();
      app.openapi(
        route(
          { roles: ['agent', 'supervisor', 'admin'], customer: true },
          {
            method: 'post',
            path: '/v1/conversations/{id}/surveys',
            tags: ['surveys'],
            summary: "The customer's answer to a survey asked after the conversation was resolved",
            description:
              'CSAT 1–5, NPS 0–10, CES 1–7, with an optional comment. One answer per survey; the first stands.',
            request: {
              params: z.object({ id: z.string().openapi({ param: { name: 'id', in: 'path' }, format: 'uuid' }) }),
              body: jsonBody(
                z.strictObject({
                  kind: z.enum(SURVEY_KINDS),
                  score: z.number().int(),
                  comment: z.string().max(2000).optional(),
                }),
              ),
            },
            responses: {
              200: jsonResponse(
                z.object({ next: z.enum(SURVEY_KINDS).nullable() }),
                'Recorded; the next survey, if any',
              ),
              404: problemResponse('No such conversation, or this survey was not asked in it'),
              409: problemResponse('Already answered (survey-answered): the first answer stands'),
              410: problemResponse('The survey has closed (survey-closed)'),
            },
          },
        ),
        async (c) => {
          const conversation = await visibleConversation(c, platform.db, c.req.valid('param').id);
          const body = c.req.valid('json');
          const result = await service.answer({
            ...body,
            conversationId: conversation.id,
            channel: conversation.channel,
          });
          return c.json(result, 200);
        },
      );
      return app;
    },
  };
  return { module, surveys: service };
}

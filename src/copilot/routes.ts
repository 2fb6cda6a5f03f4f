import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { Conversation } from '../inbox/index.js';
import { visibleConversation } from '../inbox/visibility.js';
import type { Role } from '../platform/http/caller.js';
import type { AppEnv } from '../platform/http/env.js';
import { problems } from '../platform/http/problem.js';
import { jsonBody, jsonResponse, problemResponse, route } from '../platform/http/route.js';
import type { Platform } from '../platform/module.js';
import { staffOf } from './desk-routes.js';
import type { suggestions as suggestionsService } from './suggestions.js';
import { renderTemplate, type Template, templatesStore } from './templates.js';
import { translator } from './translate.js';

const AGENTS: readonly Role[] = ['agent', 'supervisor', 'admin'];
const SUPERVISORS: readonly Role[] = ['supervisor', 'admin'];

const idParam = z.object({ id: z.string().openapi({ param: { name: 'id', in: 'path' }, format: 'uuid' }) });
const uuidOr404 = (what: string, id: string) => {
  if (!z.uuid().safeParse(id).success) throw problems.notFound(what, id);
};

const templateView = (t: Template) => ({
  id: t.id,
  shortcode: t.shortcode,
  lang: t.lang,
  title: t.title,
  body: t.body,
  tags: t.tags,
  createdBy: t.created_by,
  updatedAt: new Date(t.updated_at).toISOString(),
});

const TemplateBody = z.strictObject({
  shortcode: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'lowercase letters, digits, - and _, at most 40, e.g. refund-delay'),
  lang: z.enum(['ar', 'en']),
  title: z.string().trim().min(1).max(200),
  body: z.string().trim().min(1).max(4000),
  tags: z.array(z.string().trim().min(1).max(50)).max(20).default([]),
});

async function customerName(platform: Platform, conversation: Conversation): Promise<string | null> {
  const [row] = await platform.db.query<{ name: string | null }>('SELECT name FROM contacts WHERE id = $1', [
    conversation.contact_id,
  ]);
  return row?.name ?? null;
}

/** Suggested replies and templates. */
export function copilotRoutes(platform: Platform, suggestions: ReturnType<typeof suggestionsService>) {
  const { db } = platform;
  const app = new OpenAPIHono<AppEnv>();
  const translation = translator(platform.config);

  app.openapi(
    route(AGENTS, {
      method: 'post',
      path: '/v1/translate',
      tags: ['copilot'],
      summary: "A message in the agent's language, or the agent's reply in the customer's (needs a model)",
      description:
        'Personal data is redacted before the model sees the text; placeholders such as [PHONE] stay in the translation. Without a model configured: 409 translation-needs-model.',
      request: {
        body: jsonBody(z.strictObject({ text: z.string().min(1).max(4000), to: z.enum(['ar', 'en']) })),
      },
      responses: {
        200: jsonResponse(z.object({ text: z.string(), model: z.string() }), 'Translated'),
        409: problemResponse('No model is configured (translation-needs-model)'),
      },
    }),
    async (c) => {
      const { text, to } = c.req.valid('json');
      return c.json(await translation.translate(text, to), 200);
    },
  );

  app.openapi(
    route(AGENTS, {
      method: 'get',
      path: '/v1/conversations/{id}/suggestions',
      tags: ['copilot'],
      summary: "Suggested replies for the customer's latest message, in their language",
      description:
        "The knowledge base's answer with its articles (extractive, and the model's when one is configured), matching templates, and a de-escalating opener when the customer is upset. Accept by sending a reply with `suggestionId`; reject with POST /v1/suggestions/{id}/reject.",
      request: { params: idParam },
      responses: {
        200: jsonResponse(
          z.object({ messageId: z.string().nullable(), suggestions: z.array(z.record(z.string(), z.unknown())) }),
          'Suggestions (none before the customer has written)',
        ),
        404: problemResponse('No such conversation the caller may see'),
      },
    }),
    async (c) => {
      const me = staffOf(c);
      const conversation = await visibleConversation(c, db, c.req.valid('param').id);
      return c.json(await suggestions.suggest(conversation.id, me, await customerName(platform, conversation)), 200);
    },
  );

  app.openapi(
    route(AGENTS, {
      method: 'post',
      path: '/v1/suggestions/{id}/reject',
      tags: ['copilot'],
      summary: 'The agent will not use this suggestion',
      request: { params: idParam },
      responses: {
        200: jsonResponse(z.object({ suggestion: z.record(z.string(), z.unknown()) }), 'Rejected'),
        404: problemResponse('No such suggestion'),
        409: problemResponse('Already accepted, edited or rejected (suggestion-decided)'),
      },
    }),
    async (c) => {
      const me = staffOf(c);
      const { id } = c.req.valid('param');
      uuidOr404('Suggestion', id);
      return c.json({ suggestion: await suggestions.reject(id, me.id) }, 200);
    },
  );

  app.openapi(
    route(SUPERVISORS, {
      method: 'get',
      path: '/v1/suggestions/stats',
      tags: ['copilot'],
      summary: 'Acceptance and edit rates of suggestions, overall and by kind',
      request: { query: z.object({ since: z.iso.datetime().optional() }) },
      responses: { 200: jsonResponse(z.record(z.string(), z.unknown()), 'Rates from the stored outcomes') },
    }),
    async (c) => {
      const { since } = c.req.valid('query');
      return c.json(await suggestions.stats(since ? new Date(since) : undefined), 200);
    },
  );

  app.openapi(
    route(AGENTS, {
      method: 'get',
      path: '/v1/templates',
      tags: ['copilot'],
      summary: 'Templates (canned responses), by language and shortcode or title',
      request: { query: z.object({ lang: z.enum(['ar', 'en']).optional(), q: z.string().max(100).optional() }) },
      responses: {
        200: jsonResponse(z.object({ templates: z.array(z.record(z.string(), z.unknown())) }), 'Templates'),
      },
    }),
    async (c) => c.json({ templates: (await templatesStore.list(db, c.req.valid('query'))).map(templateView) }, 200),
  );

  app.openapi(
    route(AGENTS, {
      method: 'post',
      path: '/v1/templates',
      tags: ['copilot'],
      summary: 'Create a template; variables: {{customer.name}}, {{agent.name}}',
      request: { body: jsonBody(TemplateBody) },
      responses: {
        201: jsonResponse(z.object({ template: z.record(z.string(), z.unknown()) }), 'Created'),
        409: problemResponse('The shortcode exists in this language (template-exists)'),
      },
    }),
    async (c) => {
      const p = c.get('principal');
      const template = await templatesStore.create(db, c.req.valid('json'), p?.kind === 'staff' ? p.id : null);
      return c.json({ template: templateView(template) }, 201);
    },
  );

  app.openapi(
    route(AGENTS, {
      method: 'put',
      path: '/v1/templates/{id}',
      tags: ['copilot'],
      summary: 'Edit a template',
      request: { params: idParam, body: jsonBody(TemplateBody) },
      responses: {
        200: jsonResponse(z.object({ template: z.record(z.string(), z.unknown()) }), 'Saved'),
        404: problemResponse('No such template'),
        409: problemResponse('The shortcode exists in this language (template-exists)'),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      uuidOr404('Template', id);
      return c.json({ template: templateView(await templatesStore.update(db, id, c.req.valid('json'))) }, 200);
    },
  );

  app.openapi(
    route(AGENTS, {
      method: 'delete',
      path: '/v1/templates/{id}',
      tags: ['copilot'],
      summary: 'Delete a template',
      request: { params: idParam },
      responses: { 204: { description: 'Deleted' }, 404: problemResponse('No such template') },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      uuidOr404('Template', id);
      await templatesStore.remove(db, id);
      return c.body(null, 204);
    },
  );

  app.openapi(
    route(AGENTS, {
      method: 'post',
      path: '/v1/conversations/{id}/templates/render',
      tags: ['copilot'],
      summary: "A template by its shortcode (as typed after '/'), with the conversation's variables filled in",
      request: { params: idParam, body: jsonBody(z.strictObject({ shortcode: z.string().min(1).max(40) })) },
      responses: {
        200: jsonResponse(z.object({ templateId: z.string(), text: z.string() }), 'The text to insert'),
        404: problemResponse('No such conversation, or no template with this shortcode (unknown-template)'),
      },
    }),
    async (c) => {
      const me = staffOf(c);
      const conversation = await visibleConversation(c, db, c.req.valid('param').id);
      const { shortcode } = c.req.valid('json');
      const lang = (conversation.lang ?? 'ar') as 'ar' | 'en';
      const template = await templatesStore.byShortcode(db, shortcode.replace(/^\//, ''), lang);
      if (!template) {
        throw problems.notFound('Template', `/${shortcode.replace(/^\//, '')}`);
      }
      const text = renderTemplate(
        template.body,
        { 'customer.name': (await customerName(platform, conversation)) ?? '', 'agent.name': me.name },
        template.lang,
      );
      return c.json({ templateId: template.id, text }, 200);
    },
  );

  return app;
}

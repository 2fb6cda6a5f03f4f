import { z } from '@hono/zod-openapi';

export const MessageSchema = z
  .object({
    id: z.string(),
    conversationId: z.string(),
    role: z.enum(['customer', 'bot', 'agent', 'system']),
    content: z
      .string()
      .openapi({ description: 'Bot and agent messages are safe Markdown: no raw HTML, http(s)/mailto links only' }),
    lang: z.string().nullable(),
    channelMessageId: z.string().nullable(),
    replyTo: z.string().nullable(),
    sentiment: z.object({ score: z.number(), label: z.string() }).nullable(),
    confidence: z.number().nullable(),
    citations: z.array(z.object({ articleId: z.string(), chunkId: z.number(), title: z.string() })),
    decision: z.enum(['answer', 'small_talk', 'clarify', 'handoff', 'silent']).nullable(),
    handoffReason: z.string().nullable(),
    deliveryStatus: z.enum(['queued', 'sent', 'delivered', 'read', 'failed']).nullable(),
    internal: z.boolean().openapi({ description: "An agent's internal note: never sent to the customer" }),
    author: z
      .object({ id: z.string().nullable(), name: z.string() })
      .nullable()
      .openapi({ description: 'The agent who wrote it (customers see the name only)' }),
    createdAt: z.string(),
  })
  .openapi('Message');

export const ConversationSchema = z
  .object({
    id: z.string(),
    channel: z.string(),
    status: z.enum(['bot', 'waiting_human', 'assigned', 'resolved', 'closed']),
    lang: z.string().nullable(),
    team: z.string().nullable(),
    priority: z.number(),
    assignedTo: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    handedOffAt: z.string().nullable(),
    resolvedAt: z.string().nullable(),
  })
  .openapi('Conversation');

export const HandoffSchema = z
  .object({
    id: z.string(),
    conversationId: z.string(),
    messageId: z.string().nullable(),
    reason: z.string(),
    confidence: z.number().nullable(),
    sentiment: z.number().nullable(),
    team: z.string(),
    priority: z.number(),
    createdAt: z.string(),
  })
  .openapi('Handoff');

export const CustomerTokenSchema = z
  .object({
    token: z.string().openapi({ description: 'Shown once; send as "Authorization: Bearer <token>"' }),
    conversationId: z.string(),
    expiresAt: z.string(),
  })
  .openapi('CustomerToken');

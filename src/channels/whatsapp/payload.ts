import { z } from 'zod';

/**
 * What Meta posts to the webhook (Cloud API `messages` field), as far as Sanad reads it.
 * Objects are not strict: Meta adds fields over time, and a field we do not read must not turn
 * a customer's message away. Fields we do read are checked, so a payload either parses whole
 * or is refused whole (nothing half-stored).
 */

const Media = z.object({
  id: z.string().min(1),
  mime_type: z.string().optional(),
  sha256: z.string().optional(),
  caption: z.string().optional(),
  filename: z.string().optional(),
  voice: z.boolean().optional(),
  animated: z.boolean().optional(),
});

// The content fields of a message, shared by a message and the new version of an edited one.
const contentFields = {
  type: z.string().min(1),
  text: z.object({ body: z.string() }).optional(),
  image: Media.optional(),
  audio: Media.optional(),
  video: Media.optional(),
  document: Media.optional(),
  sticker: Media.optional(),
  location: z
    .object({
      latitude: z.number(),
      longitude: z.number(),
      name: z.string().optional(),
      address: z.string().optional(),
      url: z.string().optional(),
    })
    .optional(),
  contacts: z.array(z.record(z.string(), z.unknown())).optional(),
  interactive: z
    .object({
      type: z.string(),
      button_reply: z.object({ id: z.string(), title: z.string() }).optional(),
      list_reply: z.object({ id: z.string(), title: z.string(), description: z.string().optional() }).optional(),
    })
    .optional(),
  // A quick-reply button of a template (the older shape of a button press).
  button: z.object({ payload: z.string().optional(), text: z.string() }).optional(),
  reaction: z.object({ message_id: z.string(), emoji: z.string().optional() }).optional(),
  order: z
    .object({
      catalog_id: z.string().optional(),
      text: z.string().optional(),
      product_items: z.array(z.record(z.string(), z.unknown())).optional(),
    })
    .optional(),
  errors: z.array(z.object({ code: z.number(), title: z.string().optional() })).optional(),
};

export const WaMessageSchema = z.object({
  from: z.string().min(1),
  id: z.string().min(1),
  timestamp: z.string().optional(),
  context: z.object({ id: z.string().optional(), forwarded: z.boolean().optional() }).optional(),
  ...contentFields,
  edit: z.object({ original_message_id: z.string(), message: z.object(contentFields) }).optional(),
  revoke: z.object({ original_message_id: z.string() }).optional(),
});
export type WaMessage = z.infer<typeof WaMessageSchema>;
export type WaContent = Omit<WaMessage, 'from' | 'id' | 'timestamp' | 'context' | 'edit' | 'revoke'>;

export const WaStatusSchema = z.object({
  id: z.string().min(1),
  status: z.string(),
  timestamp: z.string().optional(),
  recipient_id: z.string().optional(),
  errors: z
    .array(
      z.object({
        code: z.number(),
        title: z.string().optional(),
        message: z.string().optional(),
        error_data: z.object({ details: z.string().optional() }).optional(),
      }),
    )
    .optional(),
});
export type WaStatus = z.infer<typeof WaStatusSchema>;

export const MessagesValueSchema = z.object({
  messaging_product: z.literal('whatsapp'),
  metadata: z.object({ phone_number_id: z.string(), display_phone_number: z.string().optional() }),
  contacts: z
    .array(z.object({ wa_id: z.string(), profile: z.object({ name: z.string().optional() }).optional() }))
    .optional(),
  messages: z.array(WaMessageSchema).optional(),
  statuses: z.array(WaStatusSchema).optional(),
});
export type MessagesValue = z.infer<typeof MessagesValueSchema>;

export const WebhookSchema = z.object({
  object: z.literal('whatsapp_business_account'),
  entry: z.array(
    z.object({
      id: z.string(),
      // Other fields (template status, account updates…) are valid but not ours: value is read per field.
      changes: z.array(z.object({ field: z.string(), value: z.unknown() })),
    }),
  ),
});

export type ParsedWebhook = { ok: true; values: MessagesValue[]; skipped: string[] } | { ok: false; reason: string };

/**
 * The `messages` changes for our phone number, or why the payload is refused. The reason names
 * paths and expectations only, never values: a payload is full of phone numbers and texts.
 */
export function parseWebhook(body: unknown, phoneNumberId: string): ParsedWebhook {
  const top = WebhookSchema.safeParse(body);
  if (!top.success) return { ok: false, reason: describe(top.error) };
  const values: MessagesValue[] = [];
  const skipped: string[] = [];
  for (const [e, entry] of top.data.entry.entries()) {
    for (const [c, change] of entry.changes.entries()) {
      if (change.field !== 'messages') {
        skipped.push(`field ${change.field.slice(0, 60)}`);
        continue;
      }
      const value = MessagesValueSchema.safeParse(change.value);
      if (!value.success) return { ok: false, reason: describe(value.error, `entry.${e}.changes.${c}.value`) };
      if (value.data.metadata.phone_number_id !== phoneNumberId) {
        skipped.push('another phone number id');
        continue;
      }
      values.push(value.data);
    }
  }
  return { ok: true, values, skipped };
}

function describe(error: z.ZodError, prefix = ''): string {
  return error.issues
    .slice(0, 3)
    .map((i) => {
      const path = [prefix, ...i.path.map(String)].filter(Boolean).join('.') || '(body)';
      // Zod's messages name the expected type or literal, not the value received.
      return `${path}: ${i.code === 'invalid_value' ? 'unexpected value' : i.message}`;
    })
    .join('; ');
}

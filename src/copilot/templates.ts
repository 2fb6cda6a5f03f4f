import type { Queryable } from '../platform/db/db.js';
import { Problem, problems } from '../platform/http/problem.js';

export interface Template {
  id: string;
  shortcode: string;
  lang: 'ar' | 'en';
  title: string;
  body: string;
  tags: string[];
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface TemplateInput {
  shortcode: string;
  lang: 'ar' | 'en';
  title: string;
  body: string;
  tags: string[];
}

/** What a template may say about the conversation; anything else is refused when it is saved. */
export const TEMPLATE_VARIABLES = ['customer.name', 'agent.name'] as const;
export type TemplateVariables = Record<(typeof TEMPLATE_VARIABLES)[number], string>;

const VARIABLE = /\{\{\s*([^{}]*?)\s*\}\}/g;

export function unknownVariables(body: string): string[] {
  return [...body.matchAll(VARIABLE)]
    .map((m) => m[1] ?? '')
    .filter((name) => !(TEMPLATE_VARIABLES as readonly string[]).includes(name));
}

function checkVariables(body: string) {
  const unknown = unknownVariables(body);
  if (unknown.length > 0) {
    throw new Problem(
      400,
      'unknown-template-variable',
      'The template uses a variable that does not exist',
      `Unknown: ${unknown.map((v) => `{{${v}}}`).join(', ')}. Use ${TEMPLATE_VARIABLES.map((v) => `{{${v}}}`).join(' or ')}.`,
    );
  }
}

/** The template's text for one conversation; a missing customer name reads naturally. */
export function renderTemplate(body: string, values: Partial<TemplateVariables>, lang: 'ar' | 'en'): string {
  checkVariables(body);
  const fallback: TemplateVariables = { 'customer.name': lang === 'ar' ? 'عميلنا العزيز' : 'there', 'agent.name': '' };
  return body.replace(VARIABLE, (_m, name: keyof TemplateVariables) => values[name]?.trim() || fallback[name]);
}

export const templatesStore = {
  async list(db: Queryable, filter: { lang?: string; q?: string } = {}): Promise<Template[]> {
    return db.query<Template>(
      `SELECT * FROM templates WHERE ($1::text IS NULL OR lang = $1)
         AND ($2::text IS NULL OR shortcode LIKE $2 || '%' OR title ILIKE '%' || $2 || '%')
       ORDER BY shortcode, lang`,
      [filter.lang ?? null, filter.q ?? null],
    );
  },

  async get(db: Queryable, id: string): Promise<Template | undefined> {
    const [row] = await db.query<Template>('SELECT * FROM templates WHERE id = $1', [id]);
    return row;
  },

  async byShortcode(db: Queryable, shortcode: string, lang: 'ar' | 'en'): Promise<Template | undefined> {
    const [row] = await db.query<Template>(
      'SELECT * FROM templates WHERE shortcode = $1 ORDER BY (lang = $2) DESC LIMIT 1',
      [shortcode, lang],
    );
    return row;
  },

  async create(db: Queryable, input: TemplateInput, by: string | null): Promise<Template> {
    checkVariables(input.body);
    const rows = await db.query<Template>(
      `INSERT INTO templates (shortcode, lang, title, body, tags, created_by) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (shortcode, lang) DO NOTHING RETURNING *`,
      [input.shortcode, input.lang, input.title, input.body, input.tags, by],
    );
    if (!rows[0]) {
      throw problems.conflict(
        'template-exists',
        `A ${input.lang} template with the shortcode /${input.shortcode} exists.`,
      );
    }
    return rows[0];
  },

  async update(db: Queryable, id: string, input: TemplateInput): Promise<Template> {
    checkVariables(input.body);
    try {
      const [row] = await db.query<Template>(
        `UPDATE templates SET shortcode = $2, lang = $3, title = $4, body = $5, tags = $6, updated_at = now()
         WHERE id = $1 RETURNING *`,
        [id, input.shortcode, input.lang, input.title, input.body, input.tags],
      );
      if (!row) throw problems.notFound('Template', id);
      return row;
    } catch (error) {
      if ((error as { code?: string }).code === '23505') {
        throw problems.conflict(
          'template-exists',
          `A ${input.lang} template with the shortcode /${input.shortcode} exists.`,
        );
      }
      throw error;
    }
  },

  async remove(db: Queryable, id: string): Promise<void> {
    const rows = await db.query('DELETE FROM templates WHERE id = $1 RETURNING id', [id]);
    if (rows.length === 0) throw problems.notFound('Template', id);
  },
};

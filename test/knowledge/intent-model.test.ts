import { describe, expect, it } from 'vitest';
import { type Example, trainIntents } from '../../src/knowledge/intent-model.js';
import { LocalHashEmbedder } from '../../src/knowledge/local-embedder.js';

const embedder = new LocalHashEmbedder(1024);

function predict(model: Awaited<ReturnType<typeof trainIntents>>, text: string): string {
  const x = embedder.sparse(text);
  let best = -Infinity;
  let arg = '';
  model.classes.forEach((c, i) => {
    let s = model.bias[i] as number;
    for (let k = 0; k < x.index.length; k++)
      s += (model.weights[i] as Float64Array)[x.index[k] as number]! * (x.value[k] as number);
    if (s > best) [best, arg] = [s, c];
  });
  return arg;
}

const examples: Example[] = [
  { articleId: 'delivery-times', text: 'متى يوصل طلبي' },
  { articleId: 'delivery-times', text: 'كم يوم التوصيل للرياض' },
  { articleId: 'delivery-times', text: 'how long does delivery take' },
  { articleId: 'returns', text: 'ابي ارجع المنتج' },
  { articleId: 'returns', text: 'كيف استرجع طلب' },
  { articleId: 'returns', text: 'how do I return an item' },
  { articleId: 'payment-methods', text: 'هل تقبلون مدى' },
  { articleId: 'payment-methods', text: 'ادفع بابل باي' },
  { articleId: 'payment-methods', text: 'can I pay with apple pay' },
];

describe('intent model', () => {
  it('learns which article a question belongs to, in Arabic and English', async () => {
    const model = await trainIntents(examples, embedder);
    expect(model.classes).toEqual(['delivery-times', 'payment-methods', 'returns']);
    expect(predict(model, 'متى توصل الشحنة للرياض؟')).toBe('delivery-times');
    expect(predict(model, 'ابغى ارجع الجوال')).toBe('returns');
    expect(predict(model, 'do you accept apple pay')).toBe('payment-methods');
  });

  it('is deterministic: the same knowledge base yields the same weights', async () => {
    const a = await trainIntents(examples, embedder);
    const b = await trainIntents(examples, embedder);
    expect(Array.from(b.bias)).toEqual(Array.from(a.bias));
    expect(b.weights.map((w) => Array.from(w))).toEqual(a.weights.map((w) => Array.from(w)));
  });

  it('lets other work run while it trains a large knowledge base', async () => {
    const many: Example[] = [];
    for (let a = 0; a < 150; a++)
      for (let q = 0; q < 6; q++)
        many.push({ articleId: `article-${a}`, text: `topic ${a} question ${q} word${a * q}` });
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const model = await trainIntents(many, embedder);
    clearInterval(timer);
    expect(model.classes).toHaveLength(150);
    // A server sharing the process would have answered in these gaps.
    expect(ticks).toBeGreaterThan(0);
  });
});

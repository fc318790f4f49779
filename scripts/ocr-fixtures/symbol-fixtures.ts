/**
 * A third set, for the signs PP-OCRv4's alphabet lacks (€ £ ¢ © ₹ ₽ ₩ ½ ✓ …): prices, footers, recipes and
 * checklists as web pages set them. Written before the glyph classifier was measured on it, and never
 * tuned on; the classifier itself trained only on PIL renders (scripts/glyph-model).
 */
import type { OcrFixture } from './fixtures';

const box = (font: string, size: number, extra = '') =>
  `#shot { width: 460px; padding: 12px 16px; background: #fff; color: #1f2328; font: ${size}px/1.6 "${font}"; ${extra} }`;

export const SYMBOL_FIXTURES: OcrFixture[] = [
  {
    category: 'entities',
    name: 'cart-summary-eur',
    notes: 'Shop cart in euros, price after the number as in French and German; Liberation Sans 14px.',
    font: 'Liberation Sans',
    css: box('Liberation Sans', 14),
    html: `<div>Wool scarf, grey 24,90 €</div><div>Delivery to Lyon 4,50 €</div><div>Total incl. VAT 29,40 €</div>`,
  },
  {
    category: 'entities',
    name: 'fare-table-gbp',
    notes: 'Rail fares in pounds and pence; DejaVu Serif 15px.',
    font: 'DejaVu Serif',
    css: box('DejaVu Serif', 15),
    html: `<div>Off-peak return £27.40</div><div>Anytime single £61.10</div><div>Railcard saving £9.05 (a third off)</div>`,
  },
  {
    category: 'entities',
    name: 'site-footer-copyright',
    notes: 'Footer with a copyright sign, grey on light grey; Liberation Sans 12px.',
    font: 'Liberation Sans',
    css: box('Liberation Sans', 12, 'background: #f3f4f6; color: #4b5563;'),
    html: `<div>© 2026 Harbour Lane Studio. All rights reserved.</div><div>Photos © Mira Castell, used with permission.</div>`,
  },
  {
    category: 'entities',
    name: 'recipe-fractions',
    notes: 'Recipe quantities with vulgar fractions; DejaVu Sans 15px.',
    font: 'DejaVu Sans',
    css: box('DejaVu Sans', 15),
    html: `<div>½ cup rolled oats</div><div>¼ tsp ground cinnamon</div><div>1 ¾ cups warm milk</div>`,
  },
  {
    category: 'entities',
    name: 'world-prices',
    notes: 'One price in five currencies; DejaVu Sans Mono 14px, light on dark.',
    font: 'DejaVu Sans Mono',
    css: box('DejaVu Sans Mono', 14, 'background: #111827; color: #e5e7eb;'),
    html: `<div>India ₹1,499 per month</div><div>Russia ₽990 per month</div><div>Korea ₩15,900 per month</div><div>Eurozone €12.99 per month</div><div>US 99¢ per day</div>`,
  },
  {
    category: 'entities',
    name: 'task-checklist',
    notes: 'A checklist with check marks; DejaVu Sans 14px.',
    font: 'DejaVu Sans',
    css: box('DejaVu Sans', 14),
    html: `<div>✓ Passport renewed</div><div>✓ Travel insurance €38</div><div>Visa appointment on 4 May</div>`,
  },
  {
    category: 'entities',
    name: 'bank-statement-eur',
    notes: 'Statement lines with euro amounts, bold total; Liberation Serif 16px.',
    font: 'Liberation Serif',
    css: box('Liberation Serif', 16, 'background: #fffdf7;'),
    html: `<div>12 Mar  Card payment, Bakery Sol  €6.80</div><div>14 Mar  Transfer from K. Meyer  €250.00</div><div><b>Balance €1,912.37</b></div>`,
  },
];

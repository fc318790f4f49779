/**
 * The OCR test set, as HTML. Every text here was written for this set. Line breaks in prose are
 * left to Chromium (fixed widths); render.ts reads the lines back from the layout, so the ground
 * truth is what was actually drawn, not what we hoped would be.
 */

export type OcrCategory =
  | 'ui'
  | 'article-serif'
  | 'article-sans'
  | 'code'
  | 'dark'
  | 'noisy'
  | 'rotated'
  | 'small'
  | 'table'
  | 'entities'
  | 'mixed-zh'
  | 'multicolumn'
  // accent-fixtures.ts: accented Latin letters, and plain English that must come back without accents
  | 'accents'
  | 'plain';

export interface OcrFixture {
  category: OcrCategory;
  name: string;
  notes: string;
  /** The family the text is meant to be set in; rendering fails if Chromium falls back from it. */
  font: string;
  /** Page CSS; `#shot` is the element that is captured. */
  css: string;
  html: string;
  deviceScaleFactor?: number;
  lang?: string;
  /** Exact text, for layout the line reader drops (code indentation); checked against the render. */
  truth?: string;
  /**
   * A CSS selector under #shot: the matched elements are read one after another in document order, each
   * top to bottom (columns, then what follows them), instead of one line across the whole image.
   */
  readingBlocks?: string;
}

export const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function svgBackground(svg: string): string {
  return `url("data:image/svg+xml,${encodeURIComponent(svg)}")`;
}

/** Grey high-contrast fractal noise as a CSS background; a fixed seed, so every render is the same. */
export function fractalNoise(seed: number): string {
  return svgBackground(
    `<svg xmlns="http://www.w3.org/2000/svg" width="240" height="240">
    <filter id="n"><feTurbulence type="fractalNoise" baseFrequency="0.6" numOctaves="4" seed="${seed}"/>
    <feColorMatrix type="saturate" values="0"/>
    <feComponentTransfer><feFuncR type="linear" slope="3.2" intercept="-0.8"/><feFuncG type="linear" slope="3.2" intercept="-0.8"/><feFuncB type="linear" slope="3.2" intercept="-0.8"/></feComponentTransfer></filter>
    <rect width="100%" height="100%" filter="url(#n)"/></svg>`,
  );
}

const NOISE = fractalNoise(11);

export function codeFixture(name: string, font: string, sizePx: number, notes: string, code: string): OcrFixture {
  return {
    category: 'code',
    name,
    notes,
    font,
    css: `#shot { background: #f6f8fa; border: 1px solid #d0d7de; border-radius: 6px; padding: 12px 16px; color: #1f2328; }
      pre { margin: 0; font: ${sizePx}px/1.45 "${font}"; }`,
    html: `<pre>${escapeHtml(code)}</pre>`,
    truth: code,
  };
}

/** One column of a multi-column page: paragraphs, and where a figure (a drawn picture and its caption) sits. */
export interface PageColumn {
  paragraphs: string[];
  /** The figure's caption; the figure goes after paragraph `figureAfter` (0: at the top of the column). */
  figure?: { caption: string; after: number };
}

/**
 * A multi-column article page: a headline across the columns, the columns (justified, set side by side
 * with a fixed gutter, optionally a thin rule in it as newspapers have), and a footnote under them.
 * Reading order in the truth: headline, column 1 top to bottom (its figure caption where it stands),
 * column 2, …, footnote: each is a reading block (`.rb`).
 */
export function multiColumnFixture(options: {
  name: string;
  notes: string;
  font: string;
  fontPx: number;
  lineHeight: number;
  widthPx: number;
  gutterPx: number;
  headlinePx: number;
  headline: string;
  columns: PageColumn[];
  footnote: string;
  /** A 1 px rule down the middle of each gutter. */
  rules?: boolean;
  /** Paragraphs set newspaper style: first-line indent, no space between them. */
  indent?: boolean;
  background?: string;
  color?: string;
}): OcrFixture {
  const { gutterPx, rules = false, indent = false } = options;
  const half = gutterPx / 2;
  const column = (c: PageColumn) => {
    const figure = c.figure ? `<figure><div class="pic"></div><figcaption>${escapeHtml(c.figure.caption)}</figcaption></figure>` : '';
    const paragraphs = c.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`);
    if (c.figure) paragraphs.splice(c.figure.after, 0, figure);
    return `<div class="col rb">${paragraphs.join('')}</div>`;
  };
  return {
    category: 'multicolumn',
    name: options.name,
    notes: options.notes,
    font: options.font,
    css: `#shot { width: ${options.widthPx}px; padding: 18px 20px; background: ${options.background ?? '#fff'}; color: ${options.color ?? '#1a1a1a'}; font: ${options.fontPx}px/${options.lineHeight} "${options.font}"; }
      h1 { font-size: ${options.headlinePx}px; line-height: 1.2; margin: 0 0 12px; }
      .cols { display: flex; align-items: flex-start; gap: ${rules ? half : gutterPx}px; }
      .col { flex: 1 1 0; min-width: 0; text-align: justify; }
      ${rules ? `.col + .col { border-left: 1px solid #888; padding-left: ${half - 1}px; }` : ''}
      .col p { margin: 0 0 ${indent ? 0 : Math.round(options.fontPx * 0.6)}px; ${indent ? 'text-indent: 1.2em;' : ''} }
      .col p:last-child { margin-bottom: 0; }
      figure { margin: 4px 0 ${Math.round(options.fontPx * 0.7)}px; }
      .pic { height: ${Math.round(options.widthPx / 9)}px; background: linear-gradient(160deg, #8da3b5 0%, #c9d4dc 55%, #6f7f6a 56%, #54614f 100%); }
      figcaption { font-size: 0.85em; font-style: italic; text-align: left; margin-top: 4px; color: #444; }
      .foot { margin: 14px 0 0; padding-top: 6px; border-top: 1px solid #aaa; font-size: 0.8em; }`,
    html: `<h1 class="rb">${escapeHtml(options.headline)}</h1><div class="cols">${options.columns.map(column).join('')}</div><p class="foot rb">${escapeHtml(options.footnote)}</p>`,
    readingBlocks: '.rb',
  };
}

export const FIXTURES: OcrFixture[] = [
  // ── ui ──────────────────────────────────────────────────────────────────────────────────────
  {
    category: 'ui',
    name: 'settings-menu',
    notes: 'Settings side navigation, 13px, one item highlighted.',
    font: 'DejaVu Sans',
    css: `#shot { width: 220px; background: #f8f9fa; border-right: 1px solid #dadce0; padding: 10px 0; font: 13px "DejaVu Sans"; color: #202124; }
      h2 { font-size: 15px; font-weight: bold; margin: 4px 16px 10px; }
      .item { padding: 7px 16px; } .item.on { background: #d3e3fd; color: #041e49; border-radius: 0 14px 14px 0; margin-right: 12px; }`,
    html: `<h2>Settings</h2><div class="item">Appearance</div><div class="item on">Notifications</div>
      <div class="item">Privacy and security</div><div class="item">Downloads</div><div class="item">Keyboard shortcuts</div>
      <div class="item">Languages and spelling</div><div class="item">Reset settings</div>`,
  },
  {
    category: 'ui',
    name: 'context-menu',
    notes: 'Right-click menu, 12px, shortcuts right-aligned on the same line; separators.',
    font: 'Liberation Sans',
    css: `#shot { width: 260px; background: #fff; border: 1px solid #c7c7c7; box-shadow: 0 2px 6px rgba(0,0,0,.2); padding: 4px 0; font: 12px "Liberation Sans"; color: #1b1b1b; }
      .row { display: flex; justify-content: space-between; padding: 4px 22px; } .row span:last-child { color: #6b6b6b; }
      .row.hover { background: #e8e8e8; } hr { border: 0; border-top: 1px solid #e0e0e0; margin: 4px 0; }`,
    html: `<div class="row"><span>Open image in new tab</span></div>
      <div class="row"><span>Save image as...</span><span>Ctrl+S</span></div>
      <div class="row"><span>Copy image</span></div>
      <div class="row"><span>Copy image address</span></div><hr>
      <div class="row hover"><span>Caption this image</span><span>Alt+Shift+C</span></div>
      <div class="row"><span>Search the web for this image</span></div><hr>
      <div class="row"><span>Inspect</span><span>Ctrl+Shift+I</span></div>`,
  },
  {
    category: 'ui',
    name: 'editor-toolbar',
    notes: 'Document editor toolbar, 12px buttons with drawn icons, plus a status line.',
    font: 'Liberation Sans',
    css: `#shot { background: #f3f3f3; border: 1px solid #d6d6d6; padding: 6px 8px; font: 12px "Liberation Sans"; color: #222; }
      .bar { display: flex; gap: 4px; align-items: center; }
      button { font: inherit; color: inherit; background: #fff; border: 1px solid #c9c9c9; border-radius: 3px; padding: 3px 8px; display: inline-flex; gap: 5px; align-items: center; }
      i { display: inline-block; width: 10px; height: 10px; border: 1.5px solid #555; border-radius: 2px; }
      .sep { width: 1px; height: 18px; background: #c9c9c9; margin: 0 4px; }
      .status { margin-top: 6px; color: #555; display: flex; gap: 24px; }`,
    html: `<div class="bar"><button><i></i>Undo</button><button>Redo</button><span class="sep"></span>
      <button>Georgia</button><button>14</button><span class="sep"></span>
      <button><b>Bold</b></button><button><i></i>Italic</button><button>Insert table</button><button>Comment</button>
      <span class="sep"></span><button>Share</button></div>
      <div class="status"><span>Saved 2 minutes ago</span><span>1,284 words</span><span>Page 3 of 7</span></div>`,
  },
  {
    category: 'ui',
    name: 'sign-in-form-hidpi',
    notes: 'Sign-in form, 12px text rendered at devicePixelRatio 2 (image is twice the CSS size).',
    font: 'DejaVu Sans',
    deviceScaleFactor: 2,
    css: `#shot { width: 280px; background: #fff; border: 1px solid #dfe1e5; border-radius: 8px; padding: 18px 20px; font: 12px "DejaVu Sans"; color: #202124; }
      h1 { font-size: 16px; margin: 0 0 14px; }
      label { display: flex; justify-content: space-between; margin: 10px 0 4px; }
      label a { color: #1a5fb4; text-decoration: none; }
      .field { border: 1px solid #9aa0a6; border-radius: 4px; padding: 6px 8px; min-height: 14px; }
      .check { display: flex; align-items: center; gap: 6px; margin: 12px 0; } .check i { width: 11px; height: 11px; border: 1px solid #5f6368; border-radius: 2px; background: #1a73e8; }
      .actions { display: flex; justify-content: space-between; align-items: center; }
      .actions span { color: #1a5fb4; } .actions b { background: #1a73e8; color: #fff; padding: 6px 14px; border-radius: 4px; font-weight: normal; }`,
    html: `<h1>Sign in to Harbourline</h1>
      <label>Email or username</label><div class="field">wren.okafor@example.net</div>
      <label><span>Password</span><a>Forgot password?</a></label><div class="field"></div>
      <div class="check"><i></i>Keep me signed in on this device</div>
      <div class="actions"><span>Create account</span><b>Sign in</b></div>`,
  },

  // ── article-serif ───────────────────────────────────────────────────────────────────────────
  {
    category: 'article-serif',
    name: 'lighthouse-keeper',
    notes: 'Liberation Serif 16px, 540px column.',
    font: 'Liberation Serif',
    css: `#shot { width: 540px; padding: 16px; background: #fffdf8; color: #1d1d1d; font: 16px/1.5 "Liberation Serif"; } p { margin: 0; }`,
    html: `<p>The lighthouse at Carrow Point was decommissioned in 1987, but the keepers' cottages never stood
      empty for long. A retired cartographer moved into the northern one and spent eleven winters redrawing
      the coastline from memory, correcting charts that had been wrong since the Admiralty survey of 1852.
      His notebooks, now held by the county archive, record every shoal and sandbar with the patience of
      someone who had nowhere else to be.</p>`,
  },
  {
    category: 'article-serif',
    name: 'sourdough',
    notes: 'DejaVu Serif 15px, 460px column.',
    font: 'DejaVu Serif',
    css: `#shot { width: 460px; padding: 16px; background: #fff; color: #222; font: 15px/1.55 "DejaVu Serif"; } p { margin: 0; }`,
    html: `<p>Sourdough rises because wild yeasts and lactic bacteria share the same jar without quarrelling.
      The bacteria lower the pH, which discourages mould, while the yeast produces the carbon dioxide that
      lifts the crumb. A starter kept at twenty-four degrees doubles in roughly six hours; move it to the
      fridge and it will sulk for days.</p>`,
  },
  {
    category: 'article-serif',
    name: 'river-review',
    notes: 'Liberation Serif, 22px bold headline over an 18px paragraph, 600px column.',
    font: 'Liberation Serif',
    css: `#shot { width: 600px; padding: 18px; background: #fff; color: #111; font: 18px/1.45 "Liberation Serif"; }
      h1 { font-size: 22px; margin: 0 0 8px; } p { margin: 0; }`,
    html: `<h1>A quiet novel about a loud river</h1>
      <p>Ilse Varga's second book follows a ferry pilot through one flood season on the Danube. Nothing
      dramatic happens until the final chapter, and that restraint is the point: the river does the
      shouting, and the people learn to speak between its roars.</p>`,
  },

  // ── article-sans ────────────────────────────────────────────────────────────────────────────
  {
    category: 'article-sans',
    name: 'battery-care',
    notes: 'Liberation Sans 15px, 500px column.',
    font: 'Liberation Sans',
    css: `#shot { width: 500px; padding: 16px; background: #fff; color: #202020; font: 15px/1.5 "Liberation Sans"; } p { margin: 0; }`,
    html: `<p>Lithium-ion cells age fastest when they sit at full charge in a warm place. If a laptop spends
      most of its life on a desk, limit charging to about 80 percent and let the fan breathe. Occasional
      deep discharges do not "calibrate" anything; they simply use up cycles you could have saved for a
      long train journey.</p>`,
  },
  {
    category: 'article-sans',
    name: 'cycle-lanes',
    notes: 'DejaVu Sans 14px, 520px column, two short paragraphs.',
    font: 'DejaVu Sans',
    css: `#shot { width: 520px; padding: 16px; background: #fff; color: #2b2b2b; font: 14px/1.5 "DejaVu Sans"; } p { margin: 0 0 10px; } p:last-child { margin: 0; }`,
    html: `<p>The council will repaint the cycle lanes on Mercer Street next month, widening them from 1.2 to
      1.8 metres and adding a low kerb where buses pull in.</p>
      <p>Residents raised concerns about deliveries, so loading bays will move to the side roads between
      7 and 10 each morning.</p>`,
  },
  {
    category: 'article-sans',
    name: 'museum-late',
    notes: 'Liberation Sans 17px with a bold lead-in, 560px column, grey page.',
    font: 'Liberation Sans',
    css: `#shot { width: 560px; padding: 18px; background: #f4f4f2; color: #1a1a1a; font: 17px/1.5 "Liberation Sans"; } p { margin: 0; }`,
    html: `<p><b>Late opening:</b> on the first Friday of every month the natural history galleries stay open
      until midnight. Bring a torch for the fossil hall, where the lights are dimmed so visitors can see the
      fluorescent minerals glow. Tickets are free, but the planetarium shows fill up quickly.</p>`,
  },

  // ── code ────────────────────────────────────────────────────────────────────────────────────
  codeFixture(
    'debounce-ts',
    'DejaVu Sans Mono',
    13,
    'TypeScript, DejaVu Sans Mono 13px, 2-space indentation.',
    `export function debounce<T extends unknown[]>(
  fn: (...args: T) => void,
  waitMs: number,
): (...args: T) => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), waitMs);
  };
}`,
  ),
  codeFixture(
    'top-words-py',
    'Liberation Mono',
    14,
    'Python, Liberation Mono 14px, 4-space indentation.',
    `def top_words(path, limit=10):
    counts = {}
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            for word in line.lower().split():
                counts[word] = counts.get(word, 0) + 1
    return sorted(counts.items(), key=lambda kv: -kv[1])[:limit]`,
  ),
  codeFixture(
    'package-json',
    'DejaVu Sans Mono',
    12,
    'JSON, DejaVu Sans Mono 12px.',
    `{
  "name": "tide-tables",
  "version": "2.4.1",
  "scripts": {
    "build": "esbuild src/main.ts --bundle --outdir=dist",
    "test": "node --test test/"
  },
  "engines": { "node": ">=20" }
}`,
  ),

  // ── dark ────────────────────────────────────────────────────────────────────────────────────
  {
    category: 'dark',
    name: 'download-toast',
    notes: 'Near-white on #202124, Liberation Sans 14px, pill buttons.',
    font: 'Liberation Sans',
    css: `#shot { width: 320px; background: #202124; color: #f1f3f4; border-radius: 8px; padding: 14px 16px; font: 14px/1.4 "Liberation Sans"; }
      .title { font-weight: bold; } .file { color: #bdc1c6; margin: 4px 0 12px; }
      .actions { display: flex; gap: 8px; } .actions span { border: 1px solid #5f6368; border-radius: 14px; padding: 4px 12px; color: #8ab4f8; }`,
    html: `<div class="title">Download complete</div><div class="file">quarterly-report-final.pdf (2.3 MB)</div>
      <div class="actions"><span>Open</span><span>Show in folder</span></div>`,
  },
  {
    category: 'dark',
    name: 'night-mode-prose',
    notes: 'Light grey on #1e1e1e, DejaVu Sans 15px, 480px column.',
    font: 'DejaVu Sans',
    css: `#shot { width: 480px; background: #1e1e1e; color: #d4d4d4; padding: 18px; font: 15px/1.55 "DejaVu Sans"; } p { margin: 0; }`,
    html: `<p>Night mode is easier on the eyes in a dim room, but pure white text on pure black can smear for
      readers with astigmatism. Most themes soften both ends: off-white letters on a charcoal background
      keep the contrast high without the halo.</p>`,
  },
  {
    category: 'dark',
    name: 'music-player',
    notes: 'Pale blue on navy, Liberation Sans 13-17px, lower-contrast secondary text.',
    font: 'Liberation Sans',
    css: `#shot { width: 300px; background: #0b1d3a; color: #cfe3ff; padding: 16px; border-radius: 10px; font: 13px/1.5 "Liberation Sans"; }
      .title { font-size: 17px; font-weight: bold; color: #fff; } .sub { color: #8fa8cc; }
      .bar { height: 4px; background: #29456f; margin: 10px 0 4px; } .bar div { width: 72%; height: 4px; background: #7fb2ff; }
      .time { display: flex; justify-content: space-between; color: #8fa8cc; font-size: 12px; }
      .actions { display: flex; gap: 18px; margin-top: 8px; }`,
    html: `<div class="title">Low Tide Sessions</div><div class="sub">Track 7 of 12, Saltmarsh Choir</div>
      <div class="bar"><div></div></div><div class="time"><span>3:42</span><span>5:09</span></div>
      <div class="actions"><span>Shuffle</span><span>Repeat</span><span>Lyrics</span></div>`,
  },

  // ── noisy ───────────────────────────────────────────────────────────────────────────────────
  {
    category: 'noisy',
    name: 'lost-cat-noise',
    notes: 'Near-black regular-weight text straight on high-contrast grey fractal noise, Liberation Sans 19px.',
    font: 'Liberation Sans',
    css: `#shot { width: 380px; padding: 18px; background: #aaa ${NOISE}; color: #1a1a1a; font: 19px/1.45 "Liberation Sans"; }`,
    html: `<div>Lost cat answers to Pepper</div><div>Grey tabby, white socks, very shy</div><div>Last seen near Orchard Lane</div>`,
  },
  {
    category: 'noisy',
    name: 'roadworks-stripes',
    notes: 'Dark text on diagonal yellow/white stripes, DejaVu Sans bold 18px.',
    font: 'DejaVu Sans',
    css: `#shot { width: 420px; padding: 16px 18px; color: #1a1a1a; font: bold 18px/1.5 "DejaVu Sans";
        background: repeating-linear-gradient(45deg, #ffd84d 0 14px, #fff6cc 14px 28px); }`,
    html: `<div>Road closed for resurfacing</div><div>Diversion via Kingsway and Hale Road</div><div>Reopens Monday 06:00</div>`,
  },
  {
    category: 'noisy',
    name: 'rooftop-cinema-gradient',
    notes: 'White serif text with a soft shadow on an orange-to-purple gradient with a dotted overlay.',
    font: 'Liberation Serif',
    css: `#shot { width: 440px; padding: 20px; color: #fff; font: 22px/1.4 "Liberation Serif"; text-shadow: 0 1px 2px rgba(0,0,0,.45);
        background: radial-gradient(circle, rgba(255,255,255,.28) 1.5px, transparent 2px) 0 0 / 9px 9px,
          linear-gradient(120deg, #ff9a3c 0%, #e4577a 45%, #5b2a86 100%); }
      .small { font-size: 17px; }`,
    html: `<div><b>Open-air cinema on the roof</b></div><div>Films start at sunset every Thursday</div>
      <div class="small">Bring a blanket; we supply the popcorn.</div>`,
  },

  {
    category: 'noisy',
    name: 'night-market-bokeh',
    notes: 'White text with a thin dark outline over a busy photo-like background: coloured bokeh blobs and grain.',
    font: 'DejaVu Sans',
    css: `#shot { width: 430px; padding: 18px 20px; color: #fff; font: bold 19px/1.5 "DejaVu Sans"; -webkit-text-stroke: 0.6px #222;
        background: ${NOISE} 0 0 / 120px 120px, radial-gradient(circle at 12% 30%, #ffd36e 0 22px, transparent 40px),
          radial-gradient(circle at 48% 78%, #ff7aa8 0 26px, transparent 48px), radial-gradient(circle at 82% 25%, #9ff0ff 0 18px, transparent 36px),
          radial-gradient(circle at 70% 90%, #fff 0 14px, transparent 30px), linear-gradient(160deg, #2d3b6b, #7a4b8f 55%, #c9804a);
        background-blend-mode: overlay, normal, normal, normal, normal, normal; }
      .small { font-size: 15px; font-weight: normal; -webkit-text-stroke-width: 0.35px; }`,
    html: `<div>Night market every Saturday</div><div>Street food, live music, vintage stalls</div>
      <div class="small">Riverside car park, 18:00 until late</div>`,
  },

  // ── rotated ─────────────────────────────────────────────────────────────────────────────────
  {
    category: 'rotated',
    name: 'sticky-note-plus4',
    notes: 'Yellow sticky note rotated +4 degrees, Liberation Sans 16px.',
    font: 'Liberation Sans',
    css: `#shot { padding: 36px 28px; background: #e9e6df; }
      .note { width: 280px; padding: 14px 16px; background: #fff59d; box-shadow: 2px 3px 6px rgba(0,0,0,.25); color: #2a2a2a;
        font: 16px/1.6 "Liberation Sans"; transform: rotate(4deg); }`,
    html: `<div class="note"><div>Call the plumber before Thursday</div><div>Return library books (3 overdue)</div><div>Buy a birthday card for Ana</div></div>`,
  },
  {
    category: 'rotated',
    name: 'pool-notice-minus5',
    notes: 'Serif paragraph rotated -5 degrees, Liberation Serif 16px, 400px column.',
    font: 'Liberation Serif',
    css: `#shot { padding: 44px 30px; background: #fff; }
      .notice { width: 400px; padding: 12px 14px; border: 2px solid #333; color: #111; font: 16px/1.45 "Liberation Serif"; transform: rotate(-5deg); }
      p { margin: 0; }`,
    html: `<div class="notice"><p>The swimming pool will close for maintenance from 14 to 21 March. During this week the gym
      and sauna remain open as usual, and members may use the pool at Eastfield Leisure Centre free of charge.</p></div>`,
  },
  {
    category: 'rotated',
    name: 'parcel-label-plus7',
    notes: 'Shipping label rotated +7.5 degrees, DejaVu Sans bold 15px on cardboard brown.',
    font: 'DejaVu Sans',
    css: `#shot { padding: 40px 30px; background: #c8a47a; }
      .label { width: 260px; padding: 12px 14px; background: #fdfdfb; color: #c62828; border: 3px solid #c62828;
        font: bold 15px/1.5 "DejaVu Sans"; transform: rotate(7.5deg); }
      .label div:last-child { color: #222; font-weight: normal; }`,
    html: `<div class="label"><div>FRAGILE - handle with care</div><div>This side up</div><div>Parcel 2 of 3</div></div>`,
  },

  // ── small ───────────────────────────────────────────────────────────────────────────────────
  {
    category: 'small',
    name: 'footer-9px',
    notes: 'Page footer, Liberation Sans 9px, mid-grey on white.',
    font: 'Liberation Sans',
    css: `#shot { width: 460px; padding: 10px 12px; background: #fafafa; border-top: 1px solid #e5e5e5; color: #555; font: 9px/1.5 "Liberation Sans"; }
      nav { display: flex; gap: 14px; margin-top: 3px; }`,
    html: `<div>© 2025 Northwind Atlas Ltd. All rights reserved. Registered in England and Wales, company no. 08817342.</div>
      <div>Prices include VAT where applicable.</div>
      <nav><span>Terms of use</span><span>Privacy notice</span><span>Cookie settings</span><span>Accessibility</span></nav>`,
  },
  {
    category: 'small',
    name: 'photo-caption-10px',
    notes: 'Italic photo caption, DejaVu Sans 10px, 340px column.',
    font: 'DejaVu Sans',
    css: `#shot { width: 340px; padding: 8px 10px; background: #fff; color: #444; font: italic 10px/1.5 "DejaVu Sans"; } p { margin: 0; }`,
    html: `<p>Fishermen mending nets at dawn in the harbour at Peniche, Portugal. Photograph taken with a 35 mm
      lens on expired film, scanned at the lab in 2019.</p>`,
  },
  {
    category: 'small',
    name: 'article-meta-11px',
    notes: 'Breadcrumb and article metadata, Liberation Serif 11px.',
    font: 'Liberation Serif',
    css: `#shot { width: 360px; padding: 8px 10px; background: #fff; color: #333; font: 11px/1.55 "Liberation Serif"; }
      .crumbs { color: #2455a4; }`,
    html: `<div class="crumbs">Home / Guides / Gardening / Composting</div><div>Updated 3 May 2024, 6 min read, 14 comments</div>
      <div>Filed under: soil, worms, kitchen waste</div>`,
  },

  // ── table ───────────────────────────────────────────────────────────────────────────────────
  {
    category: 'table',
    name: 'train-departures',
    notes: 'Departure board table with borders, Liberation Sans 13px, bold header.',
    font: 'Liberation Sans',
    css: `#shot { padding: 10px; background: #fff; font: 13px "Liberation Sans"; color: #1c1c1c; }
      table { border-collapse: collapse; } th, td { border: 1px solid #b8b8b8; padding: 5px 10px; text-align: left; }
      th { background: #ececec; } td:nth-child(3) { text-align: center; }`,
    html: `<table><tr><th>Departure</th><th>Destination</th><th>Platform</th><th>Status</th></tr>
      <tr><td>08:14</td><td>Bristol Temple Meads</td><td>4</td><td>On time</td></tr>
      <tr><td>08:32</td><td>Cardiff Central</td><td>2</td><td>Delayed 6 min</td></tr>
      <tr><td>08:45</td><td>London Paddington</td><td>1</td><td>On time</td></tr>
      <tr><td>09:03</td><td>Exeter St Davids</td><td>5</td><td>Cancelled</td></tr></table>`,
  },
  {
    category: 'table',
    name: 'market-prices',
    notes: 'Zebra-striped table without borders, DejaVu Sans 12px, numbers right-aligned.',
    font: 'DejaVu Sans',
    css: `#shot { padding: 10px; background: #fff; font: 12px "DejaVu Sans"; color: #222; }
      table { border-collapse: collapse; } th, td { padding: 5px 12px; text-align: left; }
      th { border-bottom: 2px solid #444; } tr:nth-child(even) td { background: #f0f4f8; } td:nth-child(n+3), th:nth-child(n+3) { text-align: right; }`,
    html: `<table><tr><th>Item</th><th>Unit</th><th>Price</th><th>Change</th></tr>
      <tr><td>Apples (Braeburn)</td><td>kg</td><td>2.40</td><td>+0.15</td></tr>
      <tr><td>Bananas</td><td>bunch</td><td>1.10</td><td>0.00</td></tr>
      <tr><td>Blueberries</td><td>150 g</td><td>2.95</td><td>-0.30</td></tr>
      <tr><td>Clementines</td><td>600 g</td><td>1.85</td><td>+0.05</td></tr></table>`,
  },
  {
    category: 'table',
    name: 'plan-comparison',
    notes: 'Pricing comparison, Liberation Serif 14px, row headers in bold, light rules.',
    font: 'Liberation Serif',
    css: `#shot { padding: 10px; background: #fff; font: 14px "Liberation Serif"; color: #1a1a1a; }
      table { border-collapse: collapse; } th, td { padding: 6px 14px; border-bottom: 1px solid #ddd; text-align: left; }
      thead th { border-bottom: 2px solid #333; } tbody th { font-weight: bold; }`,
    html: `<table><thead><tr><th>Feature</th><th>Starter</th><th>Team</th><th>Enterprise</th></tr></thead><tbody>
      <tr><th>Storage</th><td>50 GB</td><td>1 TB</td><td>Unlimited</td></tr>
      <tr><th>Users</th><td>1</td><td>up to 25</td><td>Custom</td></tr>
      <tr><th>Support</th><td>Email</td><td>Chat and email</td><td>24/7 phone</td></tr>
      <tr><th>Price per month</th><td>$4</td><td>$19</td><td>Contact us</td></tr></tbody></table>`,
  },

  // ── entities ────────────────────────────────────────────────────────────────────────────────
  {
    category: 'entities',
    name: 'contact-card',
    notes: 'Business card: name, role, e-mail, phone, URL; Liberation Sans 14px.',
    font: 'Liberation Sans',
    css: `#shot { width: 340px; padding: 16px 18px; background: #fff; border: 1px solid #ddd; border-radius: 6px; font: 14px/1.55 "Liberation Sans"; color: #222; }
      .name { font-size: 17px; font-weight: bold; } .role { color: #666; margin-bottom: 8px; } a { color: #1558b0; text-decoration: none; }`,
    html: `<div class="name">Dr. Amara Okonkwo-Reyes</div><div class="role">Senior Hydrologist, Fenwick Water Trust</div>
      <div><a>amara.okonkwo@fenwick-water.org.uk</a></div><div>+44 (0)20 7946 0382</div>
      <div><a>https://fenwick-water.org.uk/team/amara</a></div>`,
  },
  {
    category: 'entities',
    name: 'invoice-lines',
    notes: 'Invoice with dates in two formats, euro and pound amounts right-aligned; DejaVu Sans 13px.',
    font: 'DejaVu Sans',
    css: `#shot { width: 400px; padding: 14px 16px; background: #fff; font: 13px/1.6 "DejaVu Sans"; color: #222; }
      .head { font-weight: bold; font-size: 15px; } .meta { color: #555; margin-bottom: 6px; }
      .line { display: flex; justify-content: space-between; } .total { border-top: 1px solid #999; margin-top: 4px; padding-top: 4px; font-weight: bold; }`,
    html: `<div class="head">Invoice INV-2024-0917</div><div class="meta">Issued 12 September 2024, due 12/10/2024</div>
      <div class="line"><span>Consulting, 6.5 h at €85.00</span><span>€552.50</span></div>
      <div class="line"><span>Rail fare Leeds to York</span><span>£38.20</span></div>
      <div class="line"><span>VAT 21% on consulting</span><span>€116.03</span></div>
      <div class="line total"><span>Total due</span><span>€668.53 + £38.20</span></div>`,
  },
  {
    category: 'entities',
    name: 'harvest-fair',
    notes: 'Event listing: date and time range, prices, e-mail, US phone number, URL with a query; Liberation Serif 15px.',
    font: 'Liberation Serif',
    css: `#shot { width: 520px; padding: 14px 16px; background: #fbf7ee; font: 15px/1.55 "Liberation Serif"; color: #2b2118; }
      .title { font-size: 19px; font-weight: bold; }`,
    html: `<div class="title">Harvest Fair 2025</div><div>Sat 27 Sep, 10:00-17:30, Millbrook Commons</div>
      <div>Tickets: $12.50 adults, $6 under-16s, free for under-5s</div>
      <div>RSVP: events@millbrook-commons.org or call (415) 555-0148</div>
      <div>Details at www.millbrook-commons.org/harvest?ref=poster</div>`,
  },

  // ── mixed-zh ────────────────────────────────────────────────────────────────────────────────
  {
    category: 'mixed-zh',
    name: 'privacy-notice',
    notes: 'Simplified Chinese prose with English terms and numbers, Noto Sans CJK SC 15px, 420px column.',
    font: 'Noto Sans CJK SC',
    lang: 'zh-Hans',
    css: `#shot { width: 420px; padding: 14px 16px; background: #fff; color: #1f1f1f; font: 15px/1.7 "Noto Sans CJK SC"; } p { margin: 0 0 6px; } p:last-child { margin: 0; }`,
    html: `<p>AltSight 会在您的设备上生成图片描述，不会上传任何图片。</p>
      <p>首次使用需要下载约 180 MB 的模型文件，之后可以离线运行。</p>
      <p>如果浏览器支持 WebGPU，识别速度会明显提高。</p>`,
  },
  {
    category: 'mixed-zh',
    name: 'bilingual-menu',
    notes: 'Bilingual app menu, Chinese label then English, Noto Sans CJK SC 13px.',
    font: 'Noto Sans CJK SC',
    lang: 'zh-Hans',
    css: `#shot { width: 250px; padding: 6px 0; background: #fff; border: 1px solid #ccc; color: #222; font: 13px "Noto Sans CJK SC"; }
      div { padding: 5px 16px; } div span { color: #777; margin-left: 8px; }`,
    html: `<div>文件<span>File</span></div><div>编辑<span>Edit</span></div><div>视图<span>View</span></div>
      <div>插入图片<span>Insert image</span></div><div>导出为 PDF<span>Export as PDF</span></div><div>帮助与反馈<span>Help &amp; feedback</span></div>`,
  },
  {
    category: 'mixed-zh',
    name: 'tea-label',
    notes: 'Product label, Noto Serif CJK SC 16px, full-width colons, yen price, ISO date.',
    font: 'Noto Serif CJK SC',
    lang: 'zh-Hans',
    css: `#shot { width: 400px; padding: 16px 18px; background: #f3f7ef; border: 2px solid #4b6b3a; color: #1e2a17; font: 16px/1.65 "Noto Serif CJK SC"; }
      .name { font-size: 20px; font-weight: bold; }`,
    html: `<div class="name">有机绿茶 Organic Green Tea</div><div>产地：浙江杭州 Origin: Hangzhou, Zhejiang</div>
      <div>净含量 Net weight: 250 g</div><div>价格 Price: ¥68.00</div><div>保质期至 Best before: 2026-03-31</div>`,
  },

  // ── multicolumn ─────────────────────────────────────────────────────────────────────────────
  multiColumnFixture({
    name: 'two-column-feature',
    notes: 'Feature page, Liberation Serif 15px, two justified columns with a 20px gutter, bold 26px headline across both, figure with italic caption at the top of column 2, footnote under a rule.',
    font: 'Liberation Serif',
    fontPx: 15,
    lineHeight: 1.45,
    widthPx: 760,
    gutterPx: 20,
    headlinePx: 26,
    headline: 'Why the town of Aldwick still rings its flood bell every spring',
    columns: [
      {
        paragraphs: [
          "Every year on the second Sunday of March, volunteers climb the tower of St Brannoc's church and ring the old flood bell forty times. Nobody in Aldwick has needed the warning since the embankment was raised in 1961, yet the ritual draws more visitors each spring than the summer regatta.",
          'The bell was cast in 1793 after a storm surge pushed seawater two miles inland and drowned the lower market.* For a century and a half it was the only alarm the marsh farms could hear, and the parish kept a rota of ringers who slept in shifts whenever the wind turned east.',
        ],
      },
      {
        figure: { caption: 'The flood bell during its last recasting in 1954. Its inscription asks the sea to keep its distance.', after: 0 },
        paragraphs: [
          'Today the rota survives as a social club. Its twelve members meet in the vestry on Thursday evenings, repair the ropes, and argue about whether the bell should be rung by hand or by the electric motor fitted in 1998.',
          'Marta Hale, who has led the club for nine years, thinks the answer is obvious. "A motor cannot get tired," she says, "and that is exactly why it should not be trusted with something people are meant to remember."',
        ],
      },
    ],
    footnote: "* The embankment figures come from the county archive; the 1793 date is taken from the foundry's ledger, not from the bell itself.",
  }),
  multiColumnFixture({
    name: 'three-column-newsletter',
    notes: 'Community newsletter, DejaVu Sans 12px, three narrow justified columns (wide word gaps) with a 16px gutter, 24px headline across all three, caption in column 2, footnote.',
    font: 'DejaVu Sans',
    fontPx: 12,
    lineHeight: 1.5,
    widthPx: 800,
    gutterPx: 16,
    headlinePx: 24,
    headline: 'Community garden opens its new seed library to every resident',
    background: '#fcfbf7',
    columns: [
      {
        paragraphs: [
          'The seed library in the old bicycle shed on Fenwick Road opened last Saturday with more than three hundred packets of beans, squash, lettuce and heritage tomatoes.',
          'Members borrow a packet in spring, grow the plants through summer, and return a share of the saved seed in autumn, so the collection keeps growing from one year to the next.',
        ],
      },
      {
        figure: { caption: 'Drawers of the seed library, labelled by plant family and sowing month.', after: 1 },
        paragraphs: [
          'Volunteers sorted the first donations at long tables in the community hall, checking each envelope for the variety name, the year of harvest and the gardener who grew it.',
          'Packets older than four years go into a separate drawer for germination tests before they are lent out again.',
        ],
      },
      {
        paragraphs: [
          'Borrowing is free and needs no membership card. The library is open on Wednesday afternoons from 2 to 5 and on Saturday mornings from 9 to 12.',
          "A beginners' workshop on saving pepper seed is planned for the last weekend of August. Questions can be left in the blue box by the gate.",
        ],
      },
    ],
    footnote: 'Seed library volunteers: Priya Nair, Tomasz Zielinski and Ruth Abara. Next committee meeting: 14 July, 7 pm, in the hall.',
  }),
  multiColumnFixture({
    name: 'newspaper-narrow-gutter',
    notes: 'Newspaper page, Liberation Serif 13px, three dense justified columns with 12px gutters and a thin rule in each, indented paragraphs, bold 24px headline over two lines, caption in column 3, correction under a rule.',
    font: 'Liberation Serif',
    fontPx: 13,
    lineHeight: 1.35,
    widthPx: 720,
    gutterPx: 12,
    headlinePx: 24,
    rules: true,
    indent: true,
    background: '#f7f5ef',
    color: '#161616',
    headline: 'Harbour board approves night ferry trial despite objections from island residents',
    columns: [
      {
        paragraphs: [
          'The harbour board voted six to three on Tuesday to run a night ferry between Port Ellery and the three outer islands for a trial period of eight weeks, starting in the middle of September. The crossing, which now ends at half past seven in the evening, will continue until just after midnight on Fridays and Saturdays.',
          'Supporters on the board argued that the late sailings would let island families attend evening events on the mainland without booking a hotel.',
        ],
      },
      {
        paragraphs: [
          'Residents of Skarra, the smallest of the islands, were less convinced. At a crowded meeting in the school hall, several speakers said that the noise of engines and car ramps after dark would disturb a colony of storm petrels nesting below the pier.',
          "They asked the board to publish its survey of the birds before any trial began. The board's chair, Colin Tervit, said the survey would be released next week.",
        ],
      },
      {
        figure: { caption: 'The Skarra pier at dusk. Storm petrels nest in the stone wall below the landing stage.', after: 0 },
        paragraphs: [
          'Fares on the night sailings will match the daytime prices, and island residents keep their discount of forty per cent. A decision on the timetable is expected in November, after the board has counted passengers and reviewed complaints.',
        ],
      },
    ],
    footnote: 'Correction: an earlier version of this article gave the length of the trial as six weeks. It is eight weeks.',
  }),
];

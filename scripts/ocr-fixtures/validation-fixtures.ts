/**
 * The OCR validation set: 24 images, 2 per category of the test set (fixtures.ts), rendered to
 * tests/fixtures/ocr-validation/ by `render.ts --set validation`. Same fonts, sizes and kinds of
 * styling as the test set, but every text, number, name and code snippet is new, so settings tuned
 * on the test set can be checked on text they were never tuned on. Never tune on this set (README.md).
 *
 * The recogniser's dictionary has no `€`, `£` or `©`; `€` appears once (entities/travel-itinerary)
 * and the other two not at all, so the set is not dominated by characters no setting can read.
 */
import { codeFixture, fractalNoise, multiColumnFixture, type OcrFixture } from './fixtures';

export const VALIDATION_FIXTURES: OcrFixture[] = [
  // ── ui ──────────────────────────────────────────────────────────────────────────────────────
  {
    category: 'ui',
    name: 'file-menu',
    notes: 'Application File menu, DejaVu Sans 13px, shortcuts right-aligned on the same line; separators, one item highlighted, one disabled.',
    font: 'DejaVu Sans',
    css: `#shot { width: 290px; background: #fdfdfd; border: 1px solid #bdbdbd; box-shadow: 0 3px 8px rgba(0,0,0,.18); padding: 5px 0; font: 13px "DejaVu Sans"; color: #222; }
      .row { display: flex; justify-content: space-between; padding: 5px 20px; } .row span:last-child { color: #707070; }
      .row.hover { background: #2f6fd6; color: #fff; } .row.hover span:last-child { color: #dce8ff; }
      .row.off { color: #9a9a9a; } hr { border: 0; border-top: 1px solid #dedede; margin: 4px 0; }`,
    html: `<div class="row"><span>New window</span><span>Ctrl+N</span></div>
      <div class="row"><span>New private window</span><span>Ctrl+Shift+P</span></div>
      <div class="row hover"><span>Open file...</span><span>Ctrl+O</span></div>
      <div class="row"><span>Recent projects</span></div><hr>
      <div class="row"><span>Save a copy</span><span>Ctrl+Alt+S</span></div>
      <div class="row off"><span>Revert to saved</span></div>
      <div class="row"><span>Print...</span><span>Ctrl+P</span></div><hr>
      <div class="row"><span>Close tab</span><span>Ctrl+W</span></div>
      <div class="row"><span>Quit</span><span>Ctrl+Q</span></div>`,
  },
  {
    category: 'ui',
    name: 'checkout-form-hidpi',
    notes: 'Shipping-address form, Liberation Sans 12px at devicePixelRatio 2 (image is twice the CSS size); filled fields, a checkbox, two buttons.',
    font: 'Liberation Sans',
    deviceScaleFactor: 2,
    css: `#shot { width: 300px; background: #fff; border: 1px solid #d9dce1; border-radius: 6px; padding: 16px 20px; font: 12px "Liberation Sans"; color: #1d2430; }
      h1 { font-size: 16px; margin: 0 0 4px; } .step { color: #6a7280; margin-bottom: 8px; }
      label { display: block; margin: 10px 0 4px; color: #4a5261; }
      .field { border: 1px solid #a3a9b3; border-radius: 4px; padding: 6px 8px; }
      .pair { display: flex; gap: 10px; } .pair > div { flex: 1; }
      .check { display: flex; align-items: center; gap: 6px; margin: 12px 0; } .check i { width: 11px; height: 11px; border: 1px solid #4a5261; border-radius: 2px; }
      .actions { display: flex; justify-content: space-between; align-items: center; }
      .actions span { color: #0b57d0; } .actions b { background: #0b57d0; color: #fff; padding: 6px 12px; border-radius: 4px; font-weight: normal; }`,
    html: `<h1>Shipping address</h1><div class="step">Step 2 of 4</div>
      <label>Full name</label><div class="field">Tomasz Lindqvist</div>
      <label>Street address</label><div class="field">42 Quarry Hill Road, Flat 3B</div>
      <div class="pair"><div><label>City</label><div class="field">Sheffield</div></div><div><label>Postcode</label><div class="field">S11 8QT</div></div></div>
      <div class="check"><i></i>Use this as my billing address</div>
      <div class="actions"><span>Back to cart</span><b>Continue to payment</b></div>`,
  },

  // ── article-serif ───────────────────────────────────────────────────────────────────────────
  {
    category: 'article-serif',
    name: 'glacier-retreat',
    notes: 'Liberation Serif 16px, 520px column.',
    font: 'Liberation Serif',
    css: `#shot { width: 520px; padding: 16px; background: #fffdf8; color: #1d1d1d; font: 16px/1.5 "Liberation Serif"; } p { margin: 0; }`,
    html: `<p>When the surveyors first photographed the Morteratsch glacier in 1878, its snout reached almost to
      the railway line. Today a walker needs forty minutes to get from the old terminus to the ice, passing
      signposts that mark where the edge stood in each decade. The glacier lost another 33 metres of length
      last summer, and the meltwater lake at its foot is now deep enough for the guides to forbid swimming.</p>`,
  },
  {
    category: 'article-serif',
    name: 'letterpress-revival',
    notes: 'DejaVu Serif, 21px bold headline over a 15px paragraph, 480px column.',
    font: 'DejaVu Serif',
    css: `#shot { width: 480px; padding: 16px; background: #fff; color: #222; font: 15px/1.55 "DejaVu Serif"; }
      h1 { font-size: 21px; margin: 0 0 8px; } p { margin: 0; }`,
    html: `<h1>Why printers are buying old presses</h1>
      <p>A cast-iron platen press weighs more than a small car and prints one sheet at a time, yet wedding
      stationers cannot find enough of them. Clients want the bite of metal type pressed into thick cotton
      paper, a texture no laser printer can fake. A restored press from the 1920s now sells for about
      $7,500, three times what it fetched a decade ago.</p>`,
  },

  // ── article-sans ────────────────────────────────────────────────────────────────────────────
  {
    category: 'article-sans',
    name: 'heat-pumps',
    notes: 'Liberation Sans 15px, 480px column.',
    font: 'Liberation Sans',
    css: `#shot { width: 480px; padding: 16px; background: #fff; color: #202020; font: 15px/1.5 "Liberation Sans"; } p { margin: 0; }`,
    html: `<p>A heat pump moves warmth rather than making it, which is why a unit drawing 1 kW of electricity can
      deliver 3 or 4 kW of heat. Efficiency drops as the outdoor air gets colder, so installers size the
      system for the coldest week of the year. Radiators may need to be larger, because the water running
      through them is cooler than with a gas boiler.</p>`,
  },
  {
    category: 'article-sans',
    name: 'library-renovation',
    notes: 'DejaVu Sans 14px with a bold lead-in, 540px column, two short paragraphs on a grey page.',
    font: 'DejaVu Sans',
    css: `#shot { width: 540px; padding: 16px; background: #f4f4f2; color: #2b2b2b; font: 14px/1.5 "DejaVu Sans"; } p { margin: 0 0 10px; } p:last-child { margin: 0; }`,
    html: `<p><b>Temporary move:</b> the central library on Gresham Square closes on 2 June for an eighteen-month
      renovation that will add a lift, a roof garden and 240 new study seats.</p>
      <p>Loans, printing and the children's reading club move to the former post office on Dale Street,
      open Tuesday to Saturday from 9 to 6.</p>`,
  },

  // ── code ────────────────────────────────────────────────────────────────────────────────────
  codeFixture(
    'config-loader-rs',
    'DejaVu Sans Mono',
    13,
    'Rust, DejaVu Sans Mono 13px, 4-space indentation.',
    `use std::{collections::HashMap, fs, io};
pub fn load_env(path: &str) -> io::Result<HashMap<String, String>> {
    let mut vars = HashMap::new();
    for line in fs::read_to_string(path)?.lines() {
        if let Some((key, value)) = line.split_once('=') {
            vars.insert(key.trim().to_owned(), value.trim().to_owned());
        }
    }
    Ok(vars)
}`,
  ),
  codeFixture(
    'retry-go',
    'Liberation Mono',
    14,
    'Go, Liberation Mono 14px, tab indentation (8 columns).',
    `func retry(ctx context.Context, attempts int, op func() error) error {
	var err error
	for i := 0; i < attempts; i++ {
		if err = op(); err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Duration(i+1) * 250 * time.Millisecond):
		}
	}
	return fmt.Errorf("after %d attempts: %w", attempts, err)
}`,
  ),

  // ── dark ────────────────────────────────────────────────────────────────────────────────────
  {
    category: 'dark',
    name: 'sql-editor-dark',
    notes: 'SQL in a dark editor theme, Liberation Mono 13px, light grey on #1e1e1e with coloured keywords and strings, 2-space indentation.',
    font: 'Liberation Mono',
    css: `#shot { background: #1e1e1e; color: #d4d4d4; border-radius: 6px; padding: 12px 16px; }
      pre { margin: 0; font: 13px/1.5 "Liberation Mono"; } .k { color: #569cd6; } .s { color: #ce9178; } .n { color: #b5cea8; }`,
    html: `<pre><span class="k">SELECT</span> c.name, <span class="k">COUNT</span>(o.id) <span class="k">AS</span> orders, <span class="k">SUM</span>(o.total) <span class="k">AS</span> revenue
<span class="k">FROM</span> customers c
  <span class="k">JOIN</span> orders o <span class="k">ON</span> o.customer_id = c.id
<span class="k">WHERE</span> o.created_at &gt;= <span class="s">'2024-07-01'</span>
  <span class="k">AND</span> o.status &lt;&gt; <span class="s">'refunded'</span>
<span class="k">GROUP BY</span> c.name
<span class="k">HAVING</span> <span class="k">COUNT</span>(o.id) &gt; <span class="n">3</span>
<span class="k">ORDER BY</span> revenue <span class="k">DESC</span>
<span class="k">LIMIT</span> <span class="n">20</span>;</pre>`,
    truth: `SELECT c.name, COUNT(o.id) AS orders, SUM(o.total) AS revenue
FROM customers c
  JOIN orders o ON o.customer_id = c.id
WHERE o.created_at >= '2024-07-01'
  AND o.status <> 'refunded'
GROUP BY c.name
HAVING COUNT(o.id) > 3
ORDER BY revenue DESC
LIMIT 20;`,
  },
  {
    category: 'dark',
    name: 'calendar-reminder',
    notes: 'Calendar reminder card, near-white on #262a33, DejaVu Sans 13-15px, muted secondary text and pill buttons.',
    font: 'DejaVu Sans',
    css: `#shot { width: 360px; background: #262a33; color: #eceff4; border-radius: 10px; padding: 14px 16px; font: 13px/1.5 "DejaVu Sans"; }
      .kind { color: #88c0d0; font-size: 12px; } .title { font-size: 15px; font-weight: bold; margin: 2px 0; } .sub { color: #a3abb9; }
      .actions { display: flex; gap: 8px; margin-top: 12px; } .actions span { border: 1px solid #4c566a; border-radius: 14px; padding: 3px 12px; color: #d8dee9; white-space: nowrap; }`,
    html: `<div class="kind">Reminder in 15 minutes</div><div class="title">Dentist appointment</div>
      <div class="sub">Tomorrow, 09:15 - 09:45</div><div class="sub">Kestrel Dental Clinic, 2nd floor</div>
      <div class="actions"><span>Snooze 10 min</span><span>Get directions</span><span>Dismiss</span></div>`,
  },

  // ── noisy ───────────────────────────────────────────────────────────────────────────────────
  {
    category: 'noisy',
    name: 'yard-sale-noise',
    notes: 'Near-black serif text straight on high-contrast grey fractal noise (another seed), Liberation Serif 20px.',
    font: 'Liberation Serif',
    css: `#shot { width: 400px; padding: 18px; background: #b0b0b0 ${fractalNoise(29)}; color: #141414; font: 20px/1.45 "Liberation Serif"; }`,
    html: `<div>Yard sale this Sunday from 8 am</div><div>Bikes, board games, kitchen chairs</div><div>14 Willow Crescent, cash only</div>`,
  },
  {
    category: 'noisy',
    name: 'climbing-wall-stripes',
    notes: 'White bold text with a thin dark outline on diagonal blue stripes under noise, Liberation Sans 18px, smaller regular last line.',
    font: 'Liberation Sans',
    css: `#shot { width: 420px; padding: 16px 18px; color: #fff; font: bold 18px/1.5 "Liberation Sans"; -webkit-text-stroke: 0.5px #10233f;
        background: ${fractalNoise(5)} 0 0 / 160px 160px, repeating-linear-gradient(-35deg, #2a5d9f 0 16px, #3f7fcf 16px 30px, #5b93d8 30px 38px);
        background-blend-mode: soft-light, normal; }
      .small { font-size: 15px; font-weight: normal; -webkit-text-stroke-width: 0.3px; }`,
    html: `<div>Climbing wall open late on Wednesdays</div><div>Beginner taster session 19:30</div>
      <div class="small">Shoes and harness included, ages 12+</div>`,
  },

  // ── rotated ─────────────────────────────────────────────────────────────────────────────────
  {
    category: 'rotated',
    name: 'recipe-card-minus3',
    notes: 'Lined index card rotated -3.5 degrees, Liberation Serif 16px, bold title.',
    font: 'Liberation Serif',
    css: `#shot { padding: 36px 30px; background: #d9d2c5; }
      .card { width: 300px; padding: 12px 16px; color: #2a2320; font: 16px/1.6 "Liberation Serif"; transform: rotate(-3.5deg);
        background: repeating-linear-gradient(#fffef9 0 24.6px, #b9d3ee 24.6px 25.6px); box-shadow: 1px 3px 6px rgba(0,0,0,.25); }
      .card b { font-size: 18px; }`,
    html: `<div class="card"><div><b>Lemon barley water</b></div><div>100 g pearl barley, rinsed</div><div>2 unwaxed lemons, zest and juice</div>
      <div>1.5 litres water, 3 tbsp honey</div><div>Simmer 20 minutes, strain, chill</div></div>`,
  },
  {
    category: 'rotated',
    name: 'price-tag-plus6',
    notes: 'Shop price tag rotated +6 degrees, DejaVu Sans bold 15px, red sale line on a white tag over a grey shelf.',
    font: 'DejaVu Sans',
    css: `#shot { padding: 40px 32px; background: #8d949b; }
      .tag { width: 240px; padding: 12px 14px; background: #fff; color: #222; border-radius: 4px; font: bold 15px/1.5 "DejaVu Sans"; transform: rotate(6deg); }
      .tag .sale { color: #d32f2f; } .tag .old { font-weight: normal; color: #555; }`,
    html: `<div class="tag"><div class="sale">SALE -30%</div><div>Merino wool scarf</div><div class="old">Was $48.00, now $33.60</div><div class="old">Item 40-1187</div></div>`,
  },

  // ── small ───────────────────────────────────────────────────────────────────────────────────
  {
    category: 'small',
    name: 'changelog-9px',
    notes: 'Release notes, DejaVu Sans 9px, mid-grey on white, bold version line.',
    font: 'DejaVu Sans',
    css: `#shot { width: 420px; padding: 10px 12px; background: #fff; color: #555; font: 9px/1.55 "DejaVu Sans"; } b { color: #333; }`,
    html: `<div><b>Version 3.8.2</b>, released 14 January 2025</div>
      <div>Fixed a crash when importing CSV files larger than 2 GB.</div>
      <div>Sync now retries up to 5 times before showing an error.</div>
      <div>Dark theme: improved contrast of disabled buttons.</div>`,
  },
  {
    category: 'small',
    name: 'cookie-banner-10px',
    notes: 'Cookie consent bar, Liberation Sans 10px paragraph in a 400px column, three 10px buttons below.',
    font: 'Liberation Sans',
    css: `#shot { width: 400px; padding: 8px 10px; background: #f7f7f7; border-top: 1px solid #ddd; color: #3a3a3a; font: 10px/1.5 "Liberation Sans"; } p { margin: 0 0 6px; }
      nav { display: flex; gap: 8px; } nav span { border: 1px solid #888; border-radius: 3px; padding: 2px 8px; } nav span:first-child { background: #333; color: #fff; border-color: #333; }`,
    html: `<p>We use cookies to remember your settings and to count visits. Optional analytics cookies are off
      until you turn them on. Read more in our cookie policy.</p>
      <nav><span>Accept all</span><span>Reject optional</span><span>Manage preferences</span></nav>`,
  },

  // ── table ───────────────────────────────────────────────────────────────────────────────────
  {
    category: 'table',
    name: 'exchange-rates',
    notes: 'Exchange-rate table with borders, Liberation Sans 13px, bold header on grey, numbers right-aligned, signed percentages.',
    font: 'Liberation Sans',
    css: `#shot { padding: 10px; background: #fff; font: 13px "Liberation Sans"; color: #1c1c1c; }
      table { border-collapse: collapse; } th, td { border: 1px solid #b8b8b8; padding: 5px 10px; text-align: left; }
      th { background: #ececec; } td:nth-child(n+3), th:nth-child(n+3) { text-align: right; }`,
    html: `<table><tr><th>Currency</th><th>Code</th><th>Per 1 USD</th><th>24h</th></tr>
      <tr><td>Japanese yen</td><td>JPY</td><td>151.37</td><td>-0.42%</td></tr>
      <tr><td>Swiss franc</td><td>CHF</td><td>0.8842</td><td>+0.18%</td></tr>
      <tr><td>Chinese yuan</td><td>CNY</td><td>7.2315</td><td>+0.06%</td></tr>
      <tr><td>Canadian dollar</td><td>CAD</td><td>1.3620</td><td>-0.11%</td></tr></table>`,
  },
  {
    category: 'table',
    name: 'library-loans',
    notes: 'Loans table, Liberation Serif 14px, light rules, zebra rows, last column centred.',
    font: 'Liberation Serif',
    css: `#shot { padding: 10px; background: #fff; font: 14px "Liberation Serif"; color: #1a1a1a; }
      table { border-collapse: collapse; } th, td { padding: 6px 14px; border-bottom: 1px solid #ddd; text-align: left; }
      th { border-bottom: 2px solid #333; } tr:nth-child(even) td { background: #f5f1e8; } td:last-child, th:last-child { text-align: center; }`,
    html: `<table><tr><th>Title</th><th>Author</th><th>Due</th><th>Renewals</th></tr>
      <tr><td>The Salt Road</td><td>Miriam Achterberg</td><td>02 Apr</td><td>1</td></tr>
      <tr><td>Birds of the Estuary</td><td>J. K. Pemberton</td><td>09 Apr</td><td>0</td></tr>
      <tr><td>Practical Joinery</td><td>Hal Osei</td><td>16 Apr</td><td>2</td></tr>
      <tr><td>A Winter in Svalbard</td><td>Sigrid Vale</td><td>16 Apr</td><td>0</td></tr></table>`,
  },

  // ── entities ────────────────────────────────────────────────────────────────────────────────
  {
    category: 'entities',
    name: 'order-confirmation',
    notes: 'Order confirmation: order number, UTC timestamp, dollar amounts right-aligned, percentage discount, e-mail, URL with a query; DejaVu Sans 13px.',
    font: 'DejaVu Sans',
    css: `#shot { width: 440px; padding: 14px 16px; background: #fff; font: 13px/1.6 "DejaVu Sans"; color: #222; }
      .head { font-weight: bold; font-size: 15px; } .meta { color: #555; margin-bottom: 6px; }
      .line { display: flex; justify-content: space-between; } .total { border-top: 1px solid #999; margin-top: 4px; padding-top: 4px; font-weight: bold; }
      .foot { margin-top: 8px; color: #444; } a { color: #1558b0; text-decoration: none; }`,
    html: `<div class="head">Order #A7-55120 confirmed</div><div class="meta">Placed 3 March 2025 at 14:07 UTC</div>
      <div class="line"><span>Trail runners, size 10.5 (x1)</span><span>$89.00</span></div>
      <div class="line"><span>Discount SPRING15 (-15%)</span><span>-$13.35</span></div>
      <div class="line"><span>Shipping, 3-5 days</span><span>$6.95</span></div>
      <div class="line total"><span>Total charged</span><span>$82.60</span></div>
      <div class="foot">Questions? support@tallgrass-outfitters.com</div>
      <div><a>https://tallgrass-outfitters.com/orders/A7-55120?tab=tracking</a></div>`,
  },
  {
    category: 'entities',
    name: 'travel-itinerary',
    notes: 'Travel itinerary: booking code, ISO date and times, yen and euro prices with a percentage, international phone, e-mail, URL; Liberation Serif 15px. The only € in the set.',
    font: 'Liberation Serif',
    css: `#shot { width: 500px; padding: 14px 16px; background: #f4f8fb; font: 15px/1.55 "Liberation Serif"; color: #1b2733; }
      .title { font-size: 19px; font-weight: bold; }`,
    html: `<div class="title">Itinerary QX4-8NB2</div><div>Flight NH 218, 2025-06-18, depart 11:25, arrive 07:40 (+1)</div>
      <div>Hotel Minato Bay, 3 nights: ¥42,600 incl. 10% tax</div>
      <div>Airport rail transfer booked: €18.50 per person</div>
      <div>Front desk: +81 3-5555-0193, stay@hotel-minatobay.jp</div>
      <div>Check-in guide: www.hotel-minatobay.jp/en/access#station</div>`,
  },

  // ── mixed-zh ────────────────────────────────────────────────────────────────────────────────
  {
    category: 'mixed-zh',
    name: 'weather-alert',
    notes: 'Simplified Chinese weather notice with English terms, numbers and a degree sign, Noto Sans CJK SC 15px, 400px column.',
    font: 'Noto Sans CJK SC',
    lang: 'zh-Hans',
    css: `#shot { width: 400px; padding: 14px 16px; background: #fff; color: #1f1f1f; font: 15px/1.7 "Noto Sans CJK SC"; } p { margin: 0 0 6px; } p:last-child { margin: 0; }
      b { color: #b3261e; }`,
    html: `<p><b>雷阵雨黄色预警</b></p>
      <p>明天午后有强雷阵雨，最高气温 31°C，请减少户外活动。</p>
      <p>空气质量指数 AQI 为 85，适合开窗通风。</p>
      <p>数据来源：市气象台，更新于 07:30。</p>`,
  },
  {
    category: 'mixed-zh',
    name: 'cafe-menu',
    notes: 'Bilingual café menu, Chinese then English, yen prices right-aligned, Noto Serif CJK SC 16px, bold title.',
    font: 'Noto Serif CJK SC',
    lang: 'zh-Hans',
    css: `#shot { width: 320px; padding: 14px 18px; background: #faf6ef; border: 2px solid #6b4f3a; color: #2b1d12; font: 16px/1.7 "Noto Serif CJK SC"; }
      .name { font-size: 20px; font-weight: bold; margin-bottom: 4px; } .row { display: flex; justify-content: space-between; }
      .note { font-size: 14px; color: #6b4f3a; margin-top: 4px; }`,
    html: `<div class="name">今日饮品 Drinks</div>
      <div class="row"><span>拿铁 Latte</span><span>¥28</span></div>
      <div class="row"><span>美式咖啡 Americano</span><span>¥22</span></div>
      <div class="row"><span>桂花乌龙 Osmanthus Oolong</span><span>¥26</span></div>
      <div class="row"><span>抹茶蛋糕 Matcha cake</span><span>¥35</span></div>
      <div class="note">会员九折 Members get 10% off</div>`,
  },

  // ── multicolumn ─────────────────────────────────────────────────────────────────────────────
  multiColumnFixture({
    name: 'two-column-report',
    notes: 'Club report, DejaVu Serif 14px, two justified columns with an 18px gutter, bold 24px headline across both, figure with caption inside column 1, footnote.',
    font: 'DejaVu Serif',
    fontPx: 14,
    lineHeight: 1.5,
    widthPx: 780,
    gutterPx: 18,
    headlinePx: 24,
    headline: 'Mountain rescue team trains new volunteers for the winter season',
    columns: [
      {
        figure: { caption: 'Trainees lower a stretcher down the north gully during a night exercise in October.', after: 1 },
        paragraphs: [
          'Eleven new volunteers joined the Glenmoray mountain rescue team this autumn, the largest intake in a decade. They spend their first three months learning to read avalanche forecasts and to carry a stretcher across scree.',
          'Training takes place on two evenings a week and on one full weekend a month.',
        ],
      },
      {
        paragraphs: [
          'Team leader Fergus Mackay says the hardest lesson is patience. "Most of a rescue is waiting for the weather, for the light, or for a second team," he explains. "People who want to rush in are the ones we worry about."',
          'New members are not sent on call-outs until they pass a written test and an assessment on the hill, usually in February.',
        ],
      },
    ],
    footnote: 'The team is funded entirely by donations. Call-out figures for last year are on the noticeboard at the village shop.',
  }),
  multiColumnFixture({
    name: 'three-column-bulletin',
    notes: 'Council bulletin, Liberation Sans 12.5px, three narrow justified columns with a 14px gutter, 22px headline across all three, caption in column 2, footnote.',
    font: 'Liberation Sans',
    fontPx: 12.5,
    lineHeight: 1.45,
    widthPx: 780,
    gutterPx: 14,
    headlinePx: 22,
    headline: 'Library extends opening hours after record number of study visits',
    columns: [
      {
        paragraphs: [
          'The central library on Quarry Street will stay open until nine in the evening from Monday to Thursday, starting next month.',
          'Staff counted more than twelve thousand study visits during the spring exam period, almost double the figure from two years ago, and many students were turned away when the reading rooms filled before lunch.',
        ],
      },
      {
        figure: { caption: 'The reading room on a weekday afternoon in May, two weeks before the exams.', after: 1 },
        paragraphs: [
          "To cope with the longer hours, the library will hire four part-time assistants and move the children's storytelling sessions to Saturday mornings.",
          'The quiet study room on the second floor will be split in two, with one half set aside for group work.',
        ],
      },
      {
        paragraphs: [
          'Visitors will need a library card to enter after six, and the cafe will close at seven. The extended timetable will be reviewed in January, when the council sets its budget.',
          'Comments can be sent to the branch manager, Helena Ostrowska, by post or through the form at the front desk.',
        ],
      },
    ],
    footnote: 'Opening hours on public holidays are unchanged. The mobile library keeps its usual Tuesday route.',
  }),
];

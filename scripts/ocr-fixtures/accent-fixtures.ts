/**
 * A fourth set, for accented Latin letters (é è ê ë à â ä á ã ó ò ô ö õ ú ù û ü ç ñ, capitals É À Ç Ê Ö Ü Ñ)
 * in French, Spanish, Portuguese, German and Italian: signs, menus, lists, a form and short paragraphs.
 * Category `plain` holds English text with no accent at all, in the same fonts, to catch accents the OCR
 * writes where there are none. Every text was written for this set; `scripts/bench/ocr-accents.ts` scores it.
 */
import { escapeHtml, type OcrFixture } from './fixtures';

const box = (font: string, size: number, width: number, extra = '') =>
  `#shot { width: ${width}px; padding: 12px 16px; background: #fff; color: #1f2328; font: ${size}px/1.6 "${font}"; ${extra} }
   .row { display: flex; justify-content: space-between; gap: 24px; }
   .head { margin-bottom: 4px; }`;

/** One line per entry; a `[label, value]` pair is a row with the value flush right. The truth is checked against the render. */
function lines(items: (string | [string, string])[]): { html: string; truth: string } {
  const html = items
    .map((item, i) =>
      typeof item === 'string'
        ? `<div${i === 0 ? ' class="head"' : ''}>${escapeHtml(item)}</div>`
        : `<div class="row"><span>${escapeHtml(item[0])}</span><span>${escapeHtml(item[1])}</span></div>`,
    )
    .join('');
  return { html, truth: items.map((item) => (typeof item === 'string' ? item : item.join(' '))).join('\n') };
}

const prose = (paragraphs: string[]) => paragraphs.map((p) => `<p style="margin: 0 0 0.6em">${escapeHtml(p)}</p>`).join('');

export const ACCENT_FIXTURES: OcrFixture[] = [
  // ── accents ─────────────────────────────────────────────────────────────────────────────────
  {
    category: 'accents',
    name: 'fr-museum-sign',
    notes: 'French museum entrance sign with a heading in capitals; DejaVu Sans 16px, regular.',
    font: 'DejaVu Sans',
    lang: 'fr',
    css: box('DejaVu Sans', 16, 470),
    ...lines([
      'PAVILLON DES CÉRAMIQUES ÉMAILLÉES',
      'Entrée par la façade nord, à côté du théâtre',
      'Fermé le mardi et le 25 décembre',
      'Visites guidées à 10 h 30 et à 15 h',
      'Accès réservé aux élèves accompagnés',
    ]),
  },
  {
    category: 'accents',
    name: 'fr-bakery-menu',
    notes: 'French bakery price list, heading in capitals; Liberation Serif 15px, regular.',
    font: 'Liberation Serif',
    lang: 'fr',
    css: box('Liberation Serif', 15, 380, 'background: #fffdf7;'),
    ...lines([
      'BOULANGERIE DU CHÊNE VERT',
      ['Gâteau aux pêches et à la crème', '4,80'],
      ['Pâte feuilletée, pommes caramélisées', '3,20'],
      ['Flûte au levain, croûte dorée', '1,60'],
      ['Brioche tressée de Noël', '6,50'],
      ['Café crème ou thé à la menthe', '2,40'],
    ]),
  },
  {
    category: 'accents',
    name: 'fr-lake-italic',
    notes: 'French paragraph; DejaVu Serif 14px, italic, 420px column.',
    font: 'DejaVu Serif',
    lang: 'fr',
    css: box('DejaVu Serif', 14, 420, 'font-style: italic;'),
    html: prose([
      "Au début de l'été, les pêcheurs du lac rangent leurs canoës près du vieux château. On dit qu'à l'aube, où que l'on soit sur la rive, on entend déjà les cloches de l'église. Les enfants, très sûrs d'eux, prétendent que le goût du pain grillé y est meilleur qu'ailleurs ; leurs grands-parents sourient et ne répondent rien.",
    ]),
  },
  {
    category: 'accents',
    name: 'fr-account-form',
    notes: 'French account settings form: labels, values and two buttons; Liberation Sans 12px, regular.',
    font: 'Liberation Sans',
    lang: 'fr',
    css: `#shot { width: 400px; padding: 14px 16px; background: #fff; color: #202124; font: 12px/1.5 "Liberation Sans"; }
      h2 { font-size: 14px; margin: 0 0 8px; font-weight: normal; }
      .field { display: flex; margin: 4px 0; } .field span:first-child { width: 150px; color: #5f6368; }
      .buttons { display: flex; gap: 16px; margin: 10px 0 6px; }
      .buttons span { border: 1px solid #9aa0a6; border-radius: 4px; padding: 3px 10px; }
      .foot { color: #5f6368; }`,
    html:
      '<h2>Paramètres du compte</h2>' +
      [
        ['Prénom', 'Hélène'],
        ['Adresse électronique', 'helene.morel@exemple.fr'],
        ['Ville', 'Besançon'],
        ['Langue préférée', 'Français'],
      ]
        .map(([k, v]) => `<div class="field"><span>${k}</span><span>${v}</span></div>`)
        .join('') +
      '<div class="buttons"><span>Enregistrer les modifications</span><span>Déconnexion</span></div>' +
      '<div class="foot">Dernière mise à jour : 3 août, à 18 h 12</div>',
    truth: [
      'Paramètres du compte',
      'Prénom Hélène',
      'Adresse électronique helene.morel@exemple.fr',
      'Ville Besançon',
      'Langue préférée Français',
      'Enregistrer les modifications Déconnexion',
      'Dernière mise à jour : 3 août, à 18 h 12',
    ].join('\n'),
  },
  {
    category: 'accents',
    name: 'es-restaurant-menu',
    notes: 'Spanish menu of the day, heading in capitals; Liberation Sans 14px, regular.',
    font: 'Liberation Sans',
    lang: 'es',
    css: box('Liberation Sans', 14, 400),
    ...lines([
      'COCINA DE MONTAÑA',
      ['Sopa de ajo con huevo y jamón', '6,50'],
      ['Albóndigas en salsa de almendras', '9,80'],
      ['Merluza a la plancha con limón', '12,40'],
      ['Pimientos rellenos de atún', '8,90'],
      ['Piña asada, helado de turrón', '4,70'],
      ['Menú para niños (hasta 10 años)', '7,00'],
    ]),
  },
  {
    category: 'accents',
    name: 'es-bookshop-address',
    notes: 'Spanish shop address and opening hours; DejaVu Sans Mono 13px, regular.',
    font: 'DejaVu Sans Mono',
    lang: 'es',
    css: box('DejaVu Sans Mono', 13, 420, 'background: #f6f8fa;'),
    ...lines([
      'Librería El Búho Lector',
      'Avenida de la Constitución 27, local B',
      '14002 Córdoba, España',
      'Teléfono: +34 957 481 230',
      'Horario: de lunes a sábado, 9:30 a 14:00',
      'Próxima lectura: La canción del pingüino',
    ]),
  },
  {
    category: 'accents',
    name: 'es-library-news-2x',
    notes: 'Spanish news paragraph; Liberation Serif 18px, regular, 440px column, deviceScaleFactor 2.',
    font: 'Liberation Serif',
    lang: 'es',
    deviceScaleFactor: 2,
    css: box('Liberation Serif', 18, 440),
    html: prose([
      'El ayuntamiento anunció ayer que la biblioteca municipal abrirá también los domingos durante el próximo otoño. Según la concejala de cultura, la decisión responde a una petición firmada por más de dos mil vecinos, muchos de ellos estudiantes que no encuentran un lugar tranquilo en casa. El horario ampliado costará poco: bastará con reorganizar los turnos del personal.',
    ]),
  },
  {
    category: 'accents',
    name: 'pt-grocery-offers',
    notes: 'Portuguese grocery offers list, heading in capitals; Liberation Sans 15px, regular.',
    font: 'Liberation Sans',
    lang: 'pt',
    css: box('Liberation Sans', 15, 360),
    ...lines([
      'PROMOÇÕES DA SEMANA',
      ['Pão de forma integral', '2,49'],
      ['Maçãs de Alcobaça (1 kg)', '1,89'],
      ['Açúcar mascavo', '3,15'],
      ['Pêssegos em calda', '2,75'],
      ['Limões biológicos', '0,99'],
      ['Feijão preto, lata', '1,29'],
    ]),
  },
  {
    category: 'accents',
    name: 'pt-letters-low-contrast',
    notes: 'Portuguese paragraph, grey on light grey (low contrast); DejaVu Serif 13px, regular, 400px column.',
    font: 'DejaVu Serif',
    lang: 'pt',
    css: box('DejaVu Serif', 13, 400, 'background: #f4f5f7; color: #8a8f98;'),
    html: prose([
      'A avó da Joana ainda guarda, numa gaveta da cómoda, as cartas que o avô lhe escreveu de São Tomé. São páginas amareladas, com a letra apertada de quem não queria gastar papel. Ela lê-as devagar, sem óculos, e diz que não precisa de as ver: já as sabe de cor.',
    ]),
  },
  {
    category: 'accents',
    name: 'de-bakery-sign-bold',
    notes: 'German shop sign with headings in capitals; DejaVu Sans 20px, bold throughout.',
    font: 'DejaVu Sans',
    lang: 'de',
    css: box('DejaVu Sans', 20, 500, 'font-weight: bold; background: #fdf6e3; color: #3b2f1e;'),
    ...lines([
      'ÖFFNUNGSZEITEN',
      'Montag bis Freitag 6-18 Uhr',
      'Samstag 7-13 Uhr, Sonntag geschlossen',
      'Frische Brötchen, Käse und Äpfel',
      'ÜBERGANG HINTER DEM GEBÄUDE',
    ]),
  },
  {
    category: 'accents',
    name: 'de-garden-shop-italic',
    notes: 'German paragraph; Liberation Serif 16px, italic, 440px column.',
    font: 'Liberation Serif',
    lang: 'de',
    css: box('Liberation Serif', 16, 440, 'font-style: italic;'),
    html: prose([
      'Im Frühling öffnet der kleine Gärtnerladen am Fluss wieder seine Türen. Die Besitzerin, Frau Müller, verkauft dort Kräuter, Tomatenpflanzen und selbst gezogene Rosen. Wer früh kommt, bekommt oft noch einen Becher Tee dazu; später am Tag wird es eng, weil die Nachbarn über die neuesten Sorten plaudern möchten.',
    ]),
  },
  {
    category: 'accents',
    name: 'it-station-bar-menu',
    notes: 'Italian bar price list with a note; DejaVu Sans 12px, regular.',
    font: 'DejaVu Sans',
    lang: 'it',
    css: box('DejaVu Sans', 12, 340),
    ...lines([
      'BAR DELLA STAZIONE',
      ['Caffè espresso', '1,20'],
      ['Cappuccino con cacao', '1,60'],
      ['Cornetto alla crema', '1,40'],
      ['Tiramisù della casa', '4,50'],
      ['Spremuta di arancia', '3,00'],
      'Aperto anche il lunedì, però chiuso a Ferragosto.',
      'È GRADITA LA PRENOTAZIONE PER I GRUPPI',
    ]),
  },
  {
    category: 'accents',
    name: 'it-train-notice-dark',
    notes: 'Italian station notice, light on dark, heading in capitals; Liberation Sans 15px, regular, 430px column.',
    font: 'Liberation Sans',
    lang: 'it',
    css: box('Liberation Sans', 15, 430, 'background: #1e2227; color: #e8eaed;'),
    html:
      '<div class="head">AVVISO AI VIAGGIATORI</div>' +
      prose([
        "Da lunedì il treno regionale delle 8.15 per Città di Castello partirà dal binario 4. A causa dei lavori sulla linea, la corsa può subire un ritardo di circa venti minuti. Ci scusiamo per il disagio: più informazioni sono disponibili alla biglietteria, aperta finché c'è servizio.",
      ]),
  },
  {
    category: 'accents',
    name: 'caps-headings-2x',
    notes: 'Headings in capitals, French, Spanish and German; Liberation Sans 22px, regular, deviceScaleFactor 2.',
    font: 'Liberation Sans',
    lang: 'fr',
    deviceScaleFactor: 2,
    css: box('Liberation Sans', 22, 520, 'line-height: 1.5;'),
    ...lines([
      'FÊTE DE LA MUSIQUE À LYON',
      'LEÇONS DE FRANÇAIS POUR ADULTES',
      'ÉTÉ 2026 : INSCRIPTIONS OUVERTES',
      'CAMPAÑA DE OTOÑO EN LA SIERRA',
      'GRÖSSE UND FARBE WÄHLEN',
      'ÜBERSICHT DER BESTELLUNGEN',
    ]),
  },
  // ── plain (English, no accent anywhere: catches false accents) ─────────────────────────────
  {
    category: 'plain',
    name: 'en-clinic-note',
    notes: 'English paragraph, no accents; DejaVu Serif 15px, regular, 430px column.',
    font: 'DejaVu Serif',
    css: box('DejaVu Serif', 15, 430),
    html: prose([
      'The official at the clinic filed a brief note: the lift in the north office jammed just after five, and a junior fitter fixed it with a file and a length of cotton line. Nobody was injured, though a jar of jelly from the staff fridge did not survive the jolt. A fjord postcard on the ceiling tile came loose as well.',
    ]),
  },
  {
    category: 'plain',
    name: 'en-settings-list',
    notes: 'English app menu and settings list, no accents; Liberation Sans 13px, regular.',
    font: 'Liberation Sans',
    css: `${box('Liberation Sans', 13, 380)} .bar { display: flex; gap: 14px; border-bottom: 1px solid #d0d7de; padding-bottom: 4px; margin-bottom: 6px; }`,
    html:
      '<div class="bar"><span>File</span><span>Edit</span><span>View</span><span>Insert</span><span>Tools</span><span>Help</span></div>' +
      lines(['Join a meeting', 'Lift limits on linked files', ['Notifications', 'On'], ['Journal entries', 'Filtered'], 'Conflict in line 14 of config.json', 'Minimise to the tray icon']).html,
    truth: [
      'File Edit View Insert Tools Help',
      'Join a meeting',
      'Lift limits on linked files',
      'Notifications On',
      'Journal entries Filtered',
      'Conflict in line 14 of config.json',
      'Minimise to the tray icon',
    ].join('\n'),
  },
  {
    category: 'plain',
    name: 'en-shop-basket',
    notes: 'English shop basket, no accents; DejaVu Sans 14px, regular.',
    font: 'DejaVu Sans',
    css: box('DejaVu Sans', 14, 380),
    ...lines([
      'YOUR BASKET',
      ['Jojoba oil, 50 ml', '6.40'],
      ['Linen tea towel', '4.10'],
      ['Fine cotton socks', '3.95'],
      ['Tin of olive oil', '9.20'],
      ['Jam jar lids (12)', '2.60'],
      ['Icing nozzle kit', '5.75'],
    ]),
  },
];

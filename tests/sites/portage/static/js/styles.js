// Constructable style sheets shared by the shadow roots (one parse, adopted everywhere).
function sheet(text) {
  const s = new CSSStyleSheet();
  s.replaceSync(text);
  return s;
}

export const base = sheet(`
  :host { display: block; color: #1f2a24; }
  :host([hidden]) { display: none; }
  *, *::before, *::after { box-sizing: border-box; }
  h1 { font: 600 1.75rem/1.2 Georgia, "Times New Roman", serif; margin: 0 0 .75rem; }
  h1:focus { outline: none; }
  h2 { font-size: 1.15rem; margin: 1.5rem 0 .5rem; }
  p { line-height: 1.5; margin: 0 0 .75rem; }
  a { color: #1d5c3a; }
  .lede { color: #44524a; max-width: 42rem; }
  .fine { font-size: .875rem; color: #44524a; }
  .btn { display: inline-flex; align-items: center; justify-content: center; gap: .4rem;
         min-height: 44px; padding: .6rem 1.25rem; border-radius: 6px; border: 2px solid #1d5c3a;
         font: inherit; font-weight: 600; line-height: 1.2; cursor: pointer; text-decoration: none; }
  .btn--primary { background: #1d5c3a; color: #fff; }
  .btn--primary:hover { background: #174a2f; }
  .btn--secondary { background: #fff; color: #1d5c3a; }
  .btn[disabled] { opacity: .6; cursor: progress; }
  .field { display: grid; gap: .3rem; margin: 0 0 1rem; max-width: 28rem; }
  .field label, .field legend { font-weight: 600; }
  .field input, .field select { font: inherit; padding: .55rem .65rem; min-height: 44px;
         border: 1px solid #8a978f; border-radius: 4px; background: #fff; width: 100%; }
  .field input:focus-visible, .field select:focus-visible { outline: 3px solid #f2b33d; outline-offset: 1px; }
  .field input[aria-invalid="true"], .field select[aria-invalid="true"] { border: 2px solid #b3261e; }
  .field .hint { font-size: .875rem; color: #55625a; margin: 0; }
  .field-error { color: #b3261e; font-weight: 600; margin: 0; }
  .error-summary { border: 3px solid #b3261e; padding: 1rem 1.25rem; margin: 0 0 1.5rem; max-width: 36rem; }
  .error-summary h2 { margin-top: 0; }
  .error-summary ul { margin: 0; padding-left: 1.1rem; }
  .error-summary a { color: #b3261e; font-weight: 600; }
  .notice { padding: .75rem 1rem; border-radius: 6px; margin: 0 0 1rem; }
  .notice--error { background: #fdecea; color: #8c1d18; }
  .money { font-variant-numeric: tabular-nums; white-space: nowrap; }
  .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0);
         white-space: nowrap; }
  .stack > * + * { margin-top: 1rem; }
  .row { display: flex; flex-wrap: wrap; gap: 1rem; align-items: flex-end; }
  @media (max-width: 600px) { h1 { font-size: 1.45rem; } .btn { width: 100%; } }
`);

export const shell = sheet(`
  :host { min-height: 100vh; display: flex; flex-direction: column; background: #f7f5ef; }
  .skip { position: absolute; left: -999px; }
  .skip:focus { left: 1rem; top: 1rem; background: #fff; padding: .5rem; z-index: 10; }
  header { display: flex; align-items: center; justify-content: space-between; gap: 1rem;
           padding: .9rem clamp(1rem, 4vw, 3rem); background: #1d5c3a; color: #fff; }
  .brand { color: #fff; font: 700 1.25rem/1 Georgia, serif; text-decoration: none; letter-spacing: .02em; }
  nav ul { display: flex; gap: 1.75rem; list-style: none; margin: 0; padding: 0; }
  nav a { color: #fff; font-size: .9rem; text-decoration: none; padding: 2px 0; }
  nav a:hover, nav a[aria-current="page"] { text-decoration: underline; text-underline-offset: 4px; }
  main { flex: 1; width: 100%; max-width: 68rem; margin: 0 auto; padding: 2rem clamp(1rem, 4vw, 3rem);
         min-height: 100vh; }
  footer { padding: 1.25rem clamp(1rem, 4vw, 3rem); font-size: .85rem; color: #44524a; border-top: 1px solid #ddd8ca; }
  @media (max-width: 600px) { nav ul { gap: 1.25rem; } .brand { font-size: 1.05rem; } }
`);

export const cards = sheet(`
  .toolbar { display: flex; justify-content: space-between; align-items: center; flex-wrap: wrap;
             gap: .75rem; margin: 1.25rem 0; }
  .toolbar .field { margin: 0; grid-auto-flow: column; align-items: center; gap: .6rem; }
  .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(14rem, 1fr)); gap: 1.25rem;
          list-style: none; margin: 0; padding: 0; }
  .card { background: #fff; border: 1px solid #e2ddd0; border-radius: 8px; overflow: hidden; height: 100%;
          display: flex; flex-direction: column; }
  .card img { width: 100%; aspect-ratio: 4 / 3; object-fit: cover; background: #dfe7df; display: block; }
  .card__body { padding: .9rem 1rem 1.1rem; display: grid; gap: .35rem; }
  .card :is(h2, h3) { font-size: 1.05rem; margin: 0; }
  .card :is(h2, h3) a { color: inherit; text-decoration: none; }
  .card :is(h2, h3) a::after { content: ""; position: absolute; inset: 0; }
  .card { position: relative; }
  .card .price { font-weight: 700; font-size: 1.05rem; margin: 0; }
  .card .was { color: #6b766f; font-weight: 400; text-decoration: line-through; margin-left: .4rem; font-size: .9rem; }
  .card .blurb { font-size: .9rem; color: #44524a; margin: 0; }
`);

export const forms = sheet(`
  form { max-width: 40rem; }
  fieldset { border: 0; padding: 0; margin: 0 0 1.25rem; }
  .choice { display: flex; gap: .6rem; align-items: center; padding: .55rem .75rem; border: 1px solid #cfd6d1;
            border-radius: 6px; background: #fff; margin-bottom: .5rem; min-height: 44px; font-weight: 400 !important; }
  .choice input { width: 1.2rem; height: 1.2rem; accent-color: #1d5c3a; }
  .choice .money { margin-left: auto; font-weight: 600; }
  .two { display: grid; grid-template-columns: 1fr 1fr; gap: 0 1rem; }
  .two .field { max-width: none; }
  @media (max-width: 600px) { .two { grid-template-columns: 1fr; } }
  .auth { background: #fff; border: 1px solid #e2ddd0; border-radius: 8px; padding: 1.5rem; max-width: 30rem; }
`);

export const tables = sheet(`
  table { border-collapse: collapse; width: 100%; max-width: 44rem; background: #fff; }
  th, td { text-align: left; padding: .7rem .6rem; border-bottom: 1px solid #e2ddd0; }
  td.num, th.num { text-align: right; }
  tfoot th, tfoot td { font-weight: 700; border-bottom: 0; }
  .breakdown { max-width: 26rem; background: #fff; border: 1px solid #e2ddd0; border-radius: 8px; padding: .5rem 1rem; }
  .breakdown div { display: flex; justify-content: space-between; padding: .45rem 0; }
  .breakdown dt { color: #33413a; }
  .breakdown dd { margin: 0; }
  .breakdown .grand { border-top: 2px solid #1f2a24; margin-top: .35rem; padding-top: .6rem; font-weight: 700; font-size: 1.1rem; }
  @media (max-width: 600px) { .hide-small { display: none; } }
`);

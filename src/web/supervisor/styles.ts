export const FONTS_AR =
  '"Noto Sans Arabic", "Noto Naskh Arabic", "Segoe UI", Tahoma, "Geeza Pro", "Noto Sans", Roboto, Arial, "Liberation Sans", sans-serif';
export const FONTS_EN =
  '-apple-system, "Segoe UI", Roboto, "Noto Sans", "Helvetica Neue", Arial, "Liberation Sans", "Noto Sans Arabic", sans-serif';

/** One stylesheet for both directions: logical properties only, so Arabic needs no second one. */
export const SUPERVISOR_CSS = `
* { box-sizing: border-box; }
body { margin: 0; color: #1c2321; background: #f3f6f5; line-height: 1.5; font-size: 15px; }
a { color: #0f6e56; }
.top { background: #0f3b30; color: #fff; }
.top .in { max-width: 1280px; margin: 0 auto; padding: 0 20px; display: flex; align-items: center; gap: 20px; height: 56px; }
.brand { font-weight: 800; font-size: 20px; color: #fff; text-decoration: none; }
.brand small { font-weight: 500; font-size: 13px; opacity: .8; margin-inline-start: 8px; }
.top nav { display: flex; gap: 4px; flex: 1; }
.top nav a { color: #d8efe7; text-decoration: none; padding: 6px 12px; border-radius: 8px; }
.top nav a[aria-current="page"] { background: rgba(255,255,255,.14); color: #fff; }
.top .lang, .top .me { color: #d8efe7; text-decoration: none; font-size: 14px; }
main { max-width: 1280px; margin: 0 auto; padding: 20px; }
h1 { font-size: 22px; margin: 4px 0 16px; }
h2 { font-size: 17px; margin: 0 0 12px; }
.card { background: #fff; border-radius: 12px; padding: 16px 18px; box-shadow: 0 1px 4px rgba(0,0,0,.06); margin-block-end: 16px; }
form.filters { display: flex; flex-wrap: wrap; gap: 10px 14px; align-items: end; }
form.filters .field { display: flex; flex-direction: column; gap: 4px; } form.filters label { font-size: 13px; color: #4b5754; }
form.filters select, form.filters input { font: inherit; padding: 6px 8px; border: 1px solid #c9d4d1; border-radius: 8px; background: #fff; min-width: 120px; }
.btn { font: inherit; display: inline-block; padding: 7px 14px; border-radius: 8px; border: 1px solid #0f6e56; background: #0f6e56; color: #fff; text-decoration: none; cursor: pointer; }
.btn.secondary { background: #fff; color: #0f6e56; }
.tiles { display: grid; grid-template-columns: repeat(auto-fill, minmax(200px, 1fr)); gap: 12px; margin-block-end: 16px; }
.tile { background: #fff; border-radius: 12px; padding: 12px 14px; box-shadow: 0 1px 4px rgba(0,0,0,.06); }
.tile .label { font-size: 13px; color: #4b5754; }
.tile .value { font-size: 24px; font-weight: 700; color: #0f3b30; }
.tile .sub { font-size: 12px; color: #6b7774; }
.grid2 { display: grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); gap: 16px; }
table { width: 100%; border-collapse: collapse; font-size: 14px; }
th, td { text-align: start; padding: 8px 6px; border-block-end: 1px solid #e4ebe9; vertical-align: top; }
th { font-size: 12px; color: #4b5754; font-weight: 600; }
td.num, th.num { text-align: end; font-variant-numeric: tabular-nums; }
.q { unicode-bidi: plaintext; max-width: 360px; }
.pill { display: inline-block; padding: 1px 8px; border-radius: 999px; font-size: 12px; background: #eef4f2; color: #0f3b30; white-space: nowrap; }
.pill.warn { background: #fdecea; color: #8a1c12; }
.pill.swatch { border-inline-start: 10px solid; } .pill.precision { border-color: #0f6e56; } .pill.coverage { border-color: #2563eb; }
.pill.ok { background: #e5f5ee; color: #0f6e56; }
.muted { color: #6b7774; font-size: 13px; }
.error { background: #fdecea; color: #8a1c12; border-radius: 10px; padding: 12px 16px; margin-block-end: 16px; }
.alerts li { margin-block-end: 6px; }
.chart { width: 100%; height: auto; display: block; }
.msg { border-radius: 10px; padding: 8px 12px; margin-block-end: 8px; background: #f7faf9; border-inline-start: 4px solid #c9d4d1; }
.msg.customer { border-inline-start-color: #3b82f6; }
.msg.bot { border-inline-start-color: #13a37f; }
.msg.agent { border-inline-start-color: #b45309; }
.msg.note { background: #fff8e6; }
.msg .meta { font-size: 12px; color: #6b7774; display: flex; gap: 10px; flex-wrap: wrap; }
.msg .body { white-space: pre-wrap; unicode-bidi: plaintext; margin-block-start: 4px; }
.handoff-mark { border: 1px dashed #8a1c12; border-radius: 10px; padding: 8px 12px; margin-block-end: 8px; background: #fffafa; }
.pager { display: flex; justify-content: flex-end; margin-block-start: 12px; }
`;

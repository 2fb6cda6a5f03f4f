import { CONSOLE_CSS } from '../console/styles.js';

/** The console's stylesheet plus the editor's own pieces; logical properties, so rtl needs nothing more. */
export const EDITOR_CSS = `${CONSOLE_CSS}
.intro { color: #5b6663; margin: 0 0 14px; }
table.list { width: 100%; border-collapse: collapse; }
.list th, .list td { text-align: start; padding: 9px 12px; border-bottom: 1px solid #e7ecea; vertical-align: top; }
.list th { font-size: 12px; color: #5b6663; font-weight: 600; background: #f8faf9; }
.pill { display: inline-block; font-size: 12px; padding: 1px 8px; border-radius: 10px; background: #e2e9e6; }
.pill.published { background: #d7f2e8; color: #0b5c47; } .pill.draft { background: #fff1cc; color: #6b4e00; } .pill.archived { background: #eceff1; color: #546e7a; }
.btn { white-space: nowrap; font: inherit; border: 1px solid #c5d1cc; background: #fff; border-radius: 8px; padding: 6px 12px; cursor: pointer; color: inherit; text-decoration: none; display: inline-block; }
.btn.primary { background: #0f6e56; border-color: #0f6e56; color: #fff; } .btn.danger { color: #a12a2a; border-color: #e3b4b4; }
.btn:disabled { opacity: .5; cursor: default; }
.editor { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 16px; }
@media (max-width: 900px) { .editor { grid-template-columns: 1fr; } }
.pane { padding: 16px; }
.field { display: flex; flex-direction: column; gap: 4px; margin-bottom: 12px; font-size: 13px; color: #5b6663; }
.field input, .field select, .field textarea { font-size: 15px; color: #1c2321; }
input[type="text"], input[type="search"] { font: inherit; border: 1px solid #c5d1cc; border-radius: 8px; padding: 6px 8px; background: #fff; }
textarea.body { min-height: 320px; font-family: ui-monospace, "Noto Sans Mono", monospace; font-size: 14px; line-height: 1.6; unicode-bidi: plaintext; }
.row { display: flex; gap: 12px; flex-wrap: wrap; } .row > .field { flex: 1; min-width: 140px; }
ol.questions { margin: 0 0 8px; padding-inline-start: 22px; } ol.questions li { margin-bottom: 6px; }
ol.questions li .q { display: flex; gap: 6px; } ol.questions input { flex: 1; unicode-bidi: plaintext; }
.preview { border: 1px solid #e7ecea; border-radius: 10px; padding: 12px 16px; min-height: 200px; background: #fcfdfd; overflow-wrap: anywhere; }
.preview p, .preview li { unicode-bidi: plaintext; }
.actions { display: flex; gap: 10px; flex-wrap: wrap; align-items: center; margin-top: 8px; }
.status-line { min-height: 1.5em; font-size: 14px; color: #0b5c47; } .status-line.error { color: #a12a2a; }
.notice { background: #fff8e1; border-inline-start: 4px solid #f0a500; padding: 8px 12px; border-radius: 8px; margin-bottom: 12px; }
.diff-summary { display: flex; gap: 8px; flex-wrap: wrap; margin: 8px 0; }
.diff-summary span { background: #eef4f2; border-radius: 8px; padding: 4px 10px; font-size: 13px; }
table.changes { width: 100%; border-collapse: collapse; font-size: 14px; margin-top: 8px; }
.changes th, .changes td { text-align: start; padding: 6px 8px; border-bottom: 1px solid #e7ecea; vertical-align: top; }
.changes td.q { unicode-bidi: plaintext; }
.better { color: #0b5c47; font-weight: 600; } .worse { color: #a12a2a; font-weight: 600; }
.gap { padding: 14px 16px; margin-bottom: 12px; }
.gap h2 { display: flex; gap: 10px; align-items: baseline; flex-wrap: wrap; }
.gap ul { margin: 6px 0 10px; padding-inline-start: 20px; } .gap li { unicode-bidi: plaintext; }
.meta { color: #5b6663; font-size: 13px; font-weight: 400; }
.lines { font-family: ui-monospace, "Noto Sans Mono", monospace; font-size: 13px; white-space: pre-wrap; margin: 0; padding: 10px; background: #fcfdfd; border-radius: 8px; overflow-wrap: anywhere; }
.lines .add { background: #e3f6ec; display: block; } .lines .del { background: #fde8e8; display: block; text-decoration: line-through; }
.lines .same { display: block; color: #5b6663; }
.versions td form { display: inline; }
`;

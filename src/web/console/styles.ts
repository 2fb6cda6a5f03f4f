/**
 * The console's stylesheet: the storefront's colours and type, tighter for a work tool. Logical
 * properties throughout (inline-start/end), so right-to-left needs no second stylesheet.
 */
export const CONSOLE_CSS = `
* { box-sizing: border-box; }
body { margin: 0; color: #1c2321; background: #f3f5f4; line-height: 1.5; font-size: 15px; }
a { color: #0f6e56; }
:focus-visible { outline: 3px solid #f0a500; outline-offset: 2px; border-radius: 4px; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.top { background: #0f3b30; color: #fff; }
.top .in { display: flex; align-items: center; gap: 16px; height: 56px; padding: 0 20px; }
.brand { font-weight: 800; font-size: 20px; color: #fff; text-decoration: none; }
.brand small { font-weight: 500; font-size: 14px; color: #cfe3dc; margin-inline-start: 8px; }
.top nav { display: flex; gap: 14px; flex: 1; }
.top nav a, .top .lang { color: #d8efe7; text-decoration: none; }
.top nav a[aria-current="page"] { color: #fff; font-weight: 700; }
.top .me { color: #cfe3dc; font-size: 14px; }
.top button { font: inherit; font-size: 14px; background: transparent; color: #fff; border: 1px solid #5f8f80; border-radius: 8px; padding: 4px 10px; cursor: pointer; }
.switch { display: inline-flex; align-items: center; gap: 8px; }
.switch .track { width: 34px; height: 20px; border-radius: 10px; background: #5b6663; position: relative; transition: background .15s; }
.switch .track::after { content: ""; position: absolute; top: 2px; inset-inline-start: 2px; width: 16px; height: 16px; border-radius: 50%; background: #fff; transition: inset-inline-start .15s; }
.switch[aria-checked="true"] .track { background: #13a37f; }
.switch[aria-checked="true"] .track::after { inset-inline-start: 16px; }
main { padding: 20px; max-width: 1280px; margin: 0 auto; }
h1 { font-size: 22px; margin: 0 0 12px; } h2 { font-size: 16px; margin: 0 0 10px; }
.bar { display: flex; flex-wrap: wrap; align-items: end; gap: 12px; margin-bottom: 14px; }
.tabs { border: 0; margin: 0; min-inline-size: 0; display: inline-flex; background: #e2e9e6; border-radius: 10px; padding: 3px; }
.tabs button { font: inherit; border: 0; background: transparent; padding: 6px 14px; border-radius: 8px; cursor: pointer; color: #1c2321; }
.tabs button[aria-pressed="true"] { background: #fff; font-weight: 700; box-shadow: 0 1px 3px rgba(0,0,0,.1); }
.filters { display: flex; gap: 10px; flex-wrap: wrap; margin-inline-start: auto; }
.filters label { display: flex; flex-direction: column; font-size: 12px; color: #5b6663; gap: 2px; }
select, input[type="email"], input[type="password"], textarea { font: inherit; border: 1px solid #c5d1cc; border-radius: 8px; padding: 6px 8px; background: #fff; color: inherit; }
.live { font-size: 13px; color: #5b6663; display: inline-flex; align-items: center; gap: 6px; }
.live::before { content: ""; width: 8px; height: 8px; border-radius: 50%; background: #b9c4c0; }
.live[data-connected="true"]::before { background: #13a37f; }
.card { background: #fff; border-radius: 12px; box-shadow: 0 1px 4px rgba(0,0,0,.06); }
table.queue { width: 100%; border-collapse: collapse; }
.queue th, .queue td { text-align: start; padding: 10px 12px; border-bottom: 1px solid #e7ecea; vertical-align: top; }
.queue th { font-size: 12px; color: #5b6663; font-weight: 600; background: #f8faf9; }
.queue tr.breached td:first-child { box-shadow: inset 4px 0 0 #c0392b; }
[dir="rtl"] .queue tr.breached td:first-child { box-shadow: inset -4px 0 0 #c0392b; }
.queue .name { font-weight: 700; } .queue .question { color: #5b6663; font-size: 13px; max-width: 360px; unicode-bidi: plaintext; }
.queue .empty td { text-align: center; color: #5b6663; padding: 28px; }
.badge { display: inline-block; font-size: 12px; border-radius: 999px; padding: 1px 8px; background: #eef4f2; color: #0f3b30; white-space: nowrap; }
.badge.sla { background: #fdecea; color: #a5281b; font-weight: 700; }
.badge.negative { background: #fdecea; color: #a5281b; } .badge.positive { background: #e3f6ee; color: #0f6e56; }
.badge.note { background: #fff3c4; color: #6b5200; }
.btn { font: inherit; border-radius: 8px; padding: 6px 14px; cursor: pointer; border: 1px solid #0f6e56; background: #fff; color: #0f6e56; }
.btn.primary { background: #0f6e56; color: #fff; }
.btn.danger { border-color: #a5281b; color: #a5281b; }
.btn:disabled { opacity: .55; cursor: default; }
.error { color: #a5281b; font-size: 14px; min-height: 1em; }
.login { max-width: 380px; margin: 60px auto; padding: 28px; }
.login form { display: grid; gap: 12px; } .login label { display: grid; gap: 4px; font-weight: 600; }
.desk { display: grid; grid-template-columns: minmax(0, 1fr) 360px; gap: 18px; align-items: start; }
@media (max-width: 900px) { .desk { grid-template-columns: 1fr; } }
.conv-head { padding: 14px 18px; display: flex; flex-wrap: wrap; gap: 8px 16px; align-items: center; border-bottom: 1px solid #e7ecea; }
.conv-head h1 { margin: 0; } .conv-head .meta { flex: 1; color: #5b6663; font-size: 14px; display: flex; gap: 6px; flex-wrap: wrap; }
.conv-head .meta > span:not(.badge) + span::before { content: "·"; margin-inline-end: 6px; }
.conv-actions { display: flex; gap: 8px; }
.thread { list-style: none; margin: 0; padding: 16px 18px; display: flex; flex-direction: column; gap: 10px; max-height: 56vh; overflow-y: auto; }
.msg { max-width: 78%; border-radius: 12px; padding: 8px 12px; background: #eef4f2; }
.msg .who { display: flex; gap: 8px; align-items: center; font-size: 12px; color: #5b6663; margin-bottom: 2px; flex-wrap: wrap; }
.msg .body { unicode-bidi: plaintext; overflow-wrap: anywhere; } .msg .body p { margin: 0 0 6px; } .msg .body p:last-child { margin: 0; }
.msg.customer { align-self: flex-start; background: #fff; border: 1px solid #dfe7e4; }
.msg.bot { align-self: flex-end; background: #e6f2ee; }
.msg.agent { align-self: flex-end; background: #0f6e56; color: #fff; } .msg.agent .who { color: #d8efe7; } .msg.agent a { color: #fff; }
.msg.note { align-self: flex-end; background: #fff8dc; border: 1px dashed #c9a400; color: #3d3000; }
.msg.note .who { color: #6b5200; }
.msg.system { align-self: center; background: transparent; color: #5b6663; font-size: 13px; max-width: 90%; text-align: center; }
.msg .sources { font-size: 13px; margin-top: 4px; } .msg .sources ul { margin: 2px 0 0; padding-inline-start: 18px; }
.typing { color: #5b6663; font-size: 13px; padding: 0 18px; margin: 0; }
.msg .translation { margin-top: 6px; padding-top: 6px; border-top: 1px dashed #b9c9c3; font-size: 14px; unicode-bidi: plaintext; overflow-wrap: anywhere; }
.msg .translation .label { display: block; font-size: 11px; color: #5b6663; } .msg .translation p { margin: 0; white-space: pre-line; }
.msg.agent .translation { border-top-color: #7fb8a5; } .msg.agent .translation .label { color: #d8efe7; }
.notice { margin: 12px 18px 0; padding: 8px 12px; border-radius: 8px; background: #fff4e5; color: #5c3b00; font-size: 14px; }
.hint { margin: 0; font-size: 13px; color: #0f6e56; }
.composer { padding: 12px 18px 16px; border-top: 1px solid #e7ecea; display: grid; gap: 8px; }
.composer textarea { width: 100%; min-height: 76px; resize: vertical; unicode-bidi: plaintext; }
.composer.noting textarea { background: #fff8dc; border-color: #c9a400; }
.composer .row { display: flex; gap: 12px; align-items: center; flex-wrap: wrap; }
.composer .row .error { flex: 1; }
.keys { margin: 0; font-size: 12px; color: #5b6663; }
kbd { font-family: ui-monospace, monospace; font-size: 11px; background: #eef1f0; border: 1px solid #c5d1cc; border-bottom-width: 2px; border-radius: 4px; padding: 0 4px; direction: ltr; unicode-bidi: isolate; }
.editing { display: flex; gap: 8px; align-items: center; font-size: 13px; background: #eef4f2; border-radius: 8px; padding: 4px 10px; }
.editing[hidden] { display: none; }
.reply-wrap { position: relative; }
.picker { position: absolute; inset-inline: 0; bottom: 100%; margin: 0 0 4px; padding: 4px; list-style: none; background: #fff; border: 1px solid #c5d1cc; border-radius: 10px; box-shadow: 0 6px 18px rgba(0,0,0,.12); max-height: 240px; overflow-y: auto; z-index: 5; }
.picker [role="option"] { padding: 6px 10px; border-radius: 6px; cursor: pointer; }
.picker [role="option"][aria-selected="true"] { background: #e6f2ee; outline: 2px solid #0f6e56; }
.picker .code { font-family: ui-monospace, monospace; color: #0f6e56; margin-inline-end: 8px; direction: ltr; unicode-bidi: isolate; }
.picker .empty { color: #5b6663; cursor: default; }
.side { display: grid; gap: 18px; }
.side > section { padding: 14px 16px; }
.suggestion { border: 1px solid #dfe7e4; border-radius: 10px; padding: 10px 12px; margin-bottom: 10px; }
.suggestion .kind { font-size: 12px; color: #5b6663; margin-bottom: 4px; }
.suggestion .body { unicode-bidi: plaintext; overflow-wrap: anywhere; font-size: 14px; } .suggestion .body p { margin: 0 0 6px; }
.suggestion .cites { font-size: 12px; color: #5b6663; margin: 4px 0; }
.suggestion .acts { display: flex; gap: 6px; flex-wrap: wrap; margin-top: 6px; }
.suggestion .acts .btn { padding: 3px 10px; font-size: 13px; }
.earlier { list-style: none; padding: 0; margin: 0 0 12px; font-size: 13px; }
.earlier li { padding: 4px 0; border-bottom: 1px solid #eef1f0; unicode-bidi: plaintext; }
.trend svg { width: 100%; height: 56px; background: #f8faf9; border-radius: 8px; }
.side h3.sub { font-size: 13px; color: #5b6663; margin: 6px 0 4px; font-weight: 600; }
.muted { color: #5b6663; font-size: 13px; }
`;

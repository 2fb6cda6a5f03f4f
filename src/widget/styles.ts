/** The widget's own styles, inside its shadow root: the host page's CSS cannot reach them, nor they it. */
export const STYLES = `
:host { all: initial; }
* { box-sizing: border-box; }
.root {
  --accent: #0f6e56; --accent-ink: #fff; --ink: #1c2321; --muted: #5b6663; --line: #dfe5e3;
  --bot: #f1f5f4; --me: #0f6e56; --me-ink: #fff; --agent: #fff6e0;
  position: fixed; bottom: 20px; z-index: 2147483000; color: var(--ink);
  font: 15px/1.55 -apple-system, "Segoe UI", Roboto, "Noto Sans", "Helvetica Neue", Arial, "Liberation Sans", "Noto Sans Arabic", sans-serif;
}
.root[dir="rtl"] { font-family: "Noto Sans Arabic", "Noto Naskh Arabic", "Segoe UI", Tahoma, "Geeza Pro", "Noto Sans", Roboto, Arial, "Liberation Sans", sans-serif; font-size: 16px; }
.root.right { right: 20px; } .root.left { left: 20px; }
.launcher {
  width: 60px; height: 60px; border-radius: 50%; border: 0; cursor: pointer; background: var(--accent); color: var(--accent-ink);
  box-shadow: 0 6px 20px rgba(0,0,0,.22); display: grid; place-items: center;
}
.root.left .launcher { margin-inline-end: auto; } .launcher svg { width: 28px; height: 28px; }
.launcher:focus-visible, button:focus-visible, textarea:focus-visible, a:focus-visible { outline: 3px solid #f0b429; outline-offset: 2px; }
.panel {
  position: absolute; bottom: 76px; width: min(380px, calc(100vw - 40px)); height: min(600px, calc(100vh - 120px));
  background: #fff; border-radius: 16px; box-shadow: 0 12px 40px rgba(0,0,0,.25); display: flex; flex-direction: column; overflow: hidden;
}
.root.right .panel { right: 0; } .root.left .panel { left: 0; }
.panel[hidden] { display: none; }
header { background: var(--accent); color: var(--accent-ink); padding: 14px 16px; display: flex; gap: 10px; align-items: flex-start; }
header .titles { flex: 1; } header h2 { margin: 0; font-size: 17px; font-weight: 700; } header p { margin: 2px 0 0; font-size: 13px; opacity: .9; }
header button { background: transparent; border: 0; color: inherit; font-size: 22px; line-height: 1; cursor: pointer; padding: 2px 6px; border-radius: 6px; }
.status { padding: 8px 14px; font-size: 13px; background: #fff6e0; border-bottom: 1px solid var(--line); }
.status[hidden] { display: none; }
.log { flex: 1; overflow-y: auto; padding: 14px; display: flex; flex-direction: column; gap: 10px; background: #fbfcfc; }
.msg { max-width: 86%; padding: 9px 12px; border-radius: 14px; word-wrap: break-word; overflow-wrap: anywhere; }
.msg .who { display: block; font-size: 12px; color: var(--muted); margin-bottom: 2px; }
.msg.customer { align-self: flex-end; background: var(--me); color: var(--me-ink); border-end-end-radius: 4px; }
.msg.customer .who { color: rgba(255,255,255,.8); }
.msg.bot, .msg.welcome { align-self: flex-start; background: var(--bot); border-end-start-radius: 4px; }
.msg.agent { align-self: flex-start; background: var(--agent); border-end-start-radius: 4px; }
.msg.streaming { opacity: .8; }
.typing { align-self: flex-start; font-size: 12px; color: var(--muted); font-style: italic; }
.msg.failed { outline: 2px solid #c0392b; }
.body p, .body ul, .body ol { margin: 0 0 6px; unicode-bidi: plaintext; } .body p:last-child { margin-bottom: 0; }
.body ul, .body ol { padding-inline-start: 20px; } .body li { unicode-bidi: plaintext; }
.body a { color: inherit; text-decoration: underline; } .body code { background: rgba(0,0,0,.06); padding: 0 3px; border-radius: 3px; }
.body pre { white-space: pre-wrap; direction: ltr; text-align: left; background: rgba(0,0,0,.06); padding: 6px; border-radius: 6px; }
.body h1, .body h2, .body h3, .body h4 { font-size: 1em; margin: 0 0 4px; }
.sources { margin-top: 8px; padding-top: 6px; border-top: 1px solid var(--line); font-size: 13px; }
.sources ul { margin: 2px 0 0; padding-inline-start: 18px; } .sources a { color: var(--accent); }
.rate { margin-top: 6px; font-size: 13px; display: flex; gap: 6px; align-items: center; flex-wrap: wrap; }
.rate button { border: 1px solid var(--line); background: #fff; border-radius: 999px; padding: 2px 12px; cursor: pointer; font: inherit; }
.survey { margin-top: 8px; display: grid; gap: 6px; }
.scale { display: flex; flex-wrap: wrap; gap: 4px; direction: ltr; justify-content: flex-start; }
.root[dir="rtl"] .scale { direction: rtl; }
.scale button { min-width: 30px; height: 30px; border: 1px solid var(--line); background: #fff; border-radius: 8px; cursor: pointer; font: inherit; color: #b7791f; }
.scale button.on { background: #fff3d6; border-color: #f0b429; }
.survey textarea { resize: vertical; min-height: 38px; padding: 6px 8px; border: 1px solid var(--line); border-radius: 8px; font: inherit; }
.send-survey { justify-self: start; border: 0; background: var(--accent); color: var(--accent-ink); border-radius: 999px; padding: 4px 14px; cursor: pointer; font: inherit; }
.notice { align-self: center; font-size: 13px; color: var(--muted); text-align: center; max-width: 90%; }
.divider { align-self: center; font-size: 12px; color: var(--muted); border-top: 1px solid var(--line); width: 100%; text-align: center; padding-top: 6px; }
.actions { padding: 8px 12px 0; display: flex; }
.actions button { border: 1px solid var(--accent); color: var(--accent); background: #fff; border-radius: 999px; padding: 4px 14px; cursor: pointer; font: inherit; font-size: 14px; }
form { display: flex; gap: 8px; padding: 10px 12px 12px; align-items: flex-end; }
textarea { flex: 1; resize: none; min-height: 42px; max-height: 120px; padding: 10px 12px; border: 1px solid var(--line); border-radius: 12px; font: inherit; color: inherit; unicode-bidi: plaintext; }
form button { height: 42px; min-width: 42px; border: 0; border-radius: 12px; background: var(--accent); color: var(--accent-ink); cursor: pointer; padding: 0 12px; font: inherit; }
.root[dir="rtl"] form button svg { transform: scaleX(-1); }
.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
`;

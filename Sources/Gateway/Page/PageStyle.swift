/// `/assets/style.css`. Colours meet WCAG AA contrast on their backgrounds.
let pageStyle = #"""
:root {
  --bg: #f4f5f7; --card: #ffffff; --text: #1b1f24; --muted: #4a5563; --line: #d5d9e0;
  --accent: #1f4fd1; --accent-dark: #173c9f; --focus: #f5a524;
  --created: #e7edfb; --created-text: #173c9f;
  --confirmed: #fff3d6; --confirmed-text: #6b4a00;
  --delivered: #ddf3e4; --delivered-text: #135c2e;
  --cancelled: #fbe3e3; --cancelled-text: #8a1c1c;
}
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--text); background: var(--bg); }
.top { background: #14213d; color: #fff; padding: 1.25rem 2rem; }
.top h1 { margin: 0; font-size: 1.6rem; letter-spacing: .02em; }
.tagline { margin: .25rem 0 0; color: #d9e1f2; }
main { max-width: 1200px; margin: 1.5rem auto; padding: 0 1rem; }
.columns { display: grid; grid-template-columns: minmax(360px, 1fr) minmax(0, 1.15fr); gap: 1.5rem; align-items: start; }
@media (max-width: 900px) { .columns { grid-template-columns: 1fr; } }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 1.25rem 1.5rem; box-shadow: 0 1px 2px rgba(0,0,0,.04); }
.card h2 { margin: 0 0 1rem; font-size: 1.2rem; }
.card-head { display: flex; justify-content: space-between; align-items: center; }
.card-head h2 { margin: 0; }
.field { display: flex; flex-direction: column; gap: .25rem; margin-bottom: .75rem; }
.field label, .lookup > label { font-weight: 600; font-size: .9rem; }
input, select { font: inherit; color: var(--text); background: #fff; border: 1px solid #8a94a6; border-radius: 6px; padding: .45rem .6rem; min-width: 0; }
input:focus, select:focus, button:focus, a:focus { outline: 3px solid var(--focus); outline-offset: 1px; }
fieldset.items { border: 1px solid var(--line); border-radius: 8px; padding: .75rem 1rem .5rem; margin: 0 0 .75rem; }
legend { font-weight: 600; padding: 0 .35rem; }
.item-row { display: grid; grid-template-columns: minmax(0, 1fr) 4.75rem 6.5rem 2.25rem; gap: .6rem; align-items: end; border-bottom: 1px dashed var(--line); margin-bottom: .5rem; }
.item-row:last-child { border-bottom: 0; }
.item-row input { width: 100%; }
@media (max-width: 480px) { .item-row { grid-template-columns: 1fr 1fr 2.25rem; } .item-row .grow { grid-column: 1 / -1; } }
.row { display: flex; gap: 1rem; flex-wrap: wrap; }
.row .field { flex: 1 1 10rem; }
.help { color: var(--muted); font-size: .875rem; margin: 0 0 1rem; }
button { font: inherit; font-weight: 600; border-radius: 6px; padding: .5rem 1rem; border: 1px solid var(--accent); background: var(--accent); color: #fff; cursor: pointer; }
button:hover { background: var(--accent-dark); }
button:disabled { opacity: .6; cursor: progress; }
button.secondary { background: #fff; color: var(--accent-dark); }
button.secondary:hover { background: #eef2fc; }
button.remove-item { background: none; border: 1px solid transparent; color: #a11d1d; font-size: 1.1rem; line-height: 1; padding: .45rem .55rem; margin-bottom: .75rem; }
button.remove-item:hover { background: #fbe3e3; border-color: #d98a8a; }
[hidden] { display: none !important; }
button.danger { background: #fff; border-color: #a11d1d; color: #a11d1d; padding: .3rem .8rem; }
button.danger:hover { background: #fbe3e3; }
.lookup { margin: 1rem 0; }
.lookup-row { display: flex; gap: .5rem; margin-top: .25rem; }
.lookup-row input { flex: 1; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.banner { border-radius: 8px; padding: .75rem 1rem; margin-bottom: 1rem; border: 1px solid; }
.banner-error { background: #fbe3e3; border-color: #d98a8a; color: #6e1111; }
.banner-notice { background: #e7f0fb; border-color: #9db8e0; color: #173c6b; }
.empty { color: var(--muted); }
.orders { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: .75rem; }
.order { border: 1px solid var(--line); border-radius: 8px; padding: .75rem 1rem; display: grid; grid-template-columns: 1fr auto; gap: .25rem 1rem; }
.order.highlight { box-shadow: 0 0 0 3px var(--focus); }
.order-id { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .85rem; color: var(--muted); word-break: break-all; }
.order-items { margin: .15rem 0; }
.order-meta { color: var(--muted); font-size: .875rem; }
.order-side { display: flex; flex-direction: column; align-items: flex-end; gap: .5rem; }
.badge { display: inline-block; font-size: .8rem; font-weight: 700; letter-spacing: .03em; text-transform: uppercase; border-radius: 999px; padding: .15rem .65rem; }
.badge.created { background: var(--created); color: var(--created-text); }
.badge.confirmed { background: var(--confirmed); color: var(--confirmed-text); }
.badge.delivered { background: var(--delivered); color: var(--delivered-text); }
.badge.cancelled { background: var(--cancelled); color: var(--cancelled-text); }
.live { font-size: .75rem; color: var(--muted); }
.cancel-reason { color: var(--cancelled-text); font-size: .875rem; font-weight: 600; }
[hidden] { display: none !important; }
.session { display: flex; align-items: center; gap: .75rem; margin-top: .5rem; }
.sign-in { max-width: 28rem; margin: 0 auto; }
.foot { text-align: center; color: var(--muted); padding: 2rem 0; }
.foot a { color: var(--accent-dark); }
"""#

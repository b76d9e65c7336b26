/**
 * The review page: plain HTML, CSS and a small script, served by the edge, no build step. The
 * report text with every value's evidence highlighted (flagged ones in a distinct colour), the
 * flagged fields beside it with the model's value, the samples and the signals that lowered the
 * confidence; buttons for every action, and the same on the keyboard: a accept, e edit,
 * n not stated, j/k next/previous field, ] next report.
 */
const style = `:root{--flag:#ffd0c2;--ok:#d9f0ff;--focus:#1f5fbf}
[hidden]{display:none!important}
body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#1b1b1b}
#actions{display:flex;flex-wrap:wrap;gap:.4rem;margin:.6rem 0}
#actions button{font:inherit;padding:.25rem .6rem}
header{display:flex;gap:1.5rem;align-items:center;padding:.6rem 1rem;border-bottom:1px solid #ccc;background:#f7f7f7}
header h1{font-size:1.05rem;margin:0}
main{display:grid;grid-template-columns:minmax(0,3fr) minmax(0,2fr);gap:1rem;padding:1rem}
#text{white-space:pre-wrap;font-family:ui-monospace,monospace;font-size:13.5px;border:1px solid #ddd;padding:1rem;max-height:80vh;overflow:auto}
mark{background:var(--ok);border-radius:2px}
mark.flagged{background:var(--flag);outline:1px solid #c0542f}
mark.current{outline:3px solid var(--focus)}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:.3rem .4rem;border-bottom:1px solid #eee;vertical-align:top}
tr.current{background:#eef3ff;outline:2px solid var(--focus)}
tr.done td{color:#666}
.signals{font-size:12px;color:#444}
.coverage{background:#fff3cd;border-left:4px solid #c77700;padding:.3rem .6rem;margin:.3rem 0}
.low{color:#b3261e;font-weight:600}
kbd{border:1px solid #999;border-radius:3px;padding:0 .3rem;font-size:12px;background:#fff}
#help{font-size:13px;color:#333}
#status{min-height:1.5em}
input[type=text]{font:inherit;width:8rem}
.sr{position:absolute;left:-9999px}
`

/** The page's script: sign-in, the queue, the fields, the keyboard. */
const script = `const $ = (id) => document.getElementById(id)
const params = new URLSearchParams(location.search)
let token = sessionStorage.getItem('radstruct-reviewer') || ''
let queue = [], done = 0, report = null, fields = [], cur = 0, editing = false
const api = async (method, path, body) => {
  const res = await fetch(path, { method, headers: { authorization: 'Bearer ' + token, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined })
  if (!res.ok) { const p = await res.json().catch(() => ({})); throw new Error(p.detail || res.statusText) }
  return res.status === 204 ? null : res.json()
}
const say = (s) => { $('status').textContent = s }
const fmt = (v) => v === null || v === undefined ? 'null' : String(v)
const esc = (s) => String(s).replace(/[&<>"]/g, (c) => '&#' + c.charCodeAt(0) + ';')
async function start() {
  try { await api('GET', '/v1/review/me') } catch (e) { $('login').hidden = false; say(e.message); return }
  $('login').hidden = true; $('work').hidden = false
  await loadQueue()
}
async function loadQueue() {
  const q = new URLSearchParams({ order: params.get('order') || 'confidence' })
  for (const k of ['task', 'batch', 'field']) if (params.get(k)) q.set(k, params.get(k))
  queue = (await api('GET', '/v1/review/queue?' + q)).reports
  if (params.get('batch')) { const o = await api('GET', '/v1/review/batches/' + params.get('batch')); $('overview').textContent = 'batch: ' + o.flaggedFields + ' flagged, ' + o.reviewed + ' reviewed, ' + o.corrected + ' corrected' }
  await nextReport()
}
async function nextReport() {
  if (report) await api('DELETE', '/v1/review/reports/' + report.report + '/claim').catch(() => {})
  report = null
  while (queue.length) {
    const entry = queue.shift()
    try { await api('POST', '/v1/review/reports/' + entry.report + '/claim'); report = await api('GET', '/v1/review/reports/' + entry.report); break }
    catch (e) { say(e.message) }
  }
  if (!report) { $('reportTitle').textContent = ''; $('text').textContent = ''; $('fields').innerHTML = ''; $('progress').textContent = done + ' report(s) reviewed; queue clear'; say('Queue clear.'); return }
  render()
}
function decided(f) { return report.decisions.some((d) => d.field === f) }
function render() {
  fields = report.flagged.map((x) => x.field)
  cur = Math.max(0, fields.findIndex((f) => !decided(f)))
  $('reportTitle').textContent = 'Report ' + report.id + ' (batch ' + report.batch + ', ' + report.task + ')'
  const cov = report.result && report.result.coverage
  $('coverage').hidden = !cov || cov.reasons.length === 0
  $('coverage').textContent = cov && cov.reasons.length ? (cov.whole ? 'Whole report flagged: ' : 'Report coverage ' + cov.confidence.toFixed(2) + ': ') + cov.reasons.map((x) => x.detail).join('; ') : ''
  $('progress').textContent = 'report ' + (done + 1) + ' of ' + (done + 1 + queue.length) + ' in the queue'
  renderText(); renderFields(); $('text').focus()
}
function renderText() {
  const text = report.text || '(report text not available)'
  const spans = Object.entries((report.result && report.result.evidence) || {}).filter(([, s]) => s).map(([f, s]) => ({ f, ...s })).sort((a, b) => a.start - b.start)
  let html = '', at = 0
  for (const s of spans) {
    if (s.start < at) continue
    const cls = [fields.includes(s.f) ? 'flagged' : '', fields[cur] === s.f ? 'current' : ''].join(' ').trim()
    html += esc(text.slice(at, s.start)) + '<mark class="' + cls + '" title="' + esc(s.f) + '" data-field="' + esc(s.f) + '">' + esc(text.slice(s.start, s.end)) + '</mark>'
    at = s.end
  }
  $('text').innerHTML = html + esc(text.slice(at))
  const m = $('text').querySelector('mark.current'); if (m) m.scrollIntoView({ block: 'nearest' })
}
function renderFields() {
  const r = report.result || { values: {}, confidence: {}, signals: {}, sampled: {} }
  $('fields').innerHTML = fields.map((f, i) => {
    const sig = Object.entries(r.signals[f] || {}).map(([k, v]) => '<span class="' + (v < 0.5 ? 'low' : '') + '">' + k + ' ' + v.toFixed(2) + '</span>').join(', ')
    const last = report.decisions.filter((d) => d.field === f).at(-1)
    const decision = last ? (last.action === 'accept' ? 'accepted' : last.action === 'not_stated' ? 'not stated' : 'corrected to ' + fmt(last.newValue)) : ''
    const edit = i === cur && editing ? '<input type="text" id="edit" aria-label="Correct value of ' + f + '" value="' + esc(fmt(r.values[f])) + '">' : esc(decision)
    return '<tr class="' + (i === cur ? 'current ' : '') + (last ? 'done' : '') + '" aria-current="' + (i === cur) + '"><td>' + esc(f) + '</td><td>' + esc(fmt(r.values[f])) + '</td><td>' + esc(((r.sampled || {})[f] || []).map(fmt).join(', ')) + '</td><td>' + (r.confidence[f] ?? 0).toFixed(2) + '<div class="signals">' + sig + '</div></td><td>' + edit + '</td></tr>'
  }).join('')
  if (editing) { const e = $('edit'); e.focus(); e.select() }
}
async function decide(action, value) {
  const field = fields[cur]
  const body = { field, action }
  if (action === 'correct') body.value = /^-?\\d+(\\.\\d+)?$/.test(value) ? Number(value) : value
  try {
    await api('POST', '/v1/review/reports/' + report.report + '/decisions', body)
    report = await api('GET', '/v1/review/reports/' + report.report)
    say(field + ': ' + (action === 'correct' ? 'corrected to ' + value : action.replace('_', ' ')))
    if (report.flagged.every((x) => decided(x.field))) { done++; return nextReport() }
    render()
  } catch (e) { say(e.message) }
}
const act = {
  accept: () => decide('accept'),
  none: () => decide('not_stated'),
  edit: () => { editing = true; renderFields() },
  next: () => { cur = Math.min(fields.length - 1, cur + 1); renderText(); renderFields() },
  prev: () => { cur = Math.max(0, cur - 1); renderText(); renderFields() },
  skip: () => { done++; nextReport() },
}
for (const [k, f] of Object.entries(act)) $('b-' + k).onclick = () => { if (report && !editing) f() }
document.addEventListener('keydown', (ev) => {
  if (!report) return
  if (editing) {
    if (ev.key === 'Enter') { ev.preventDefault(); editing = false; decide('correct', $('edit').value.trim()) }
    if (ev.key === 'Escape') { editing = false; renderFields() }
    return
  }
  if (ev.target instanceof HTMLInputElement) return
  const k = ev.key
  if (k === 'a') act.accept()
  else if (k === 'n') act.none()
  else if (k === 'e') { ev.preventDefault(); act.edit() }
  else if (k === 'j' || k === 'ArrowDown') act.next()
  else if (k === 'k' || k === 'ArrowUp') act.prev()
  else if (k === ']') act.skip()
})
$('signin').onclick = () => { token = $('token').value.trim(); sessionStorage.setItem('radstruct-reviewer', token); start() }
$('token').addEventListener('keydown', (e) => { if (e.key === 'Enter') $('signin').click() })
if (token) start()
`

/** The markup around them. */
const markup = (css: string, js: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>radstruct review</title>
<style>
${css}</style></head>
<body>
<header><h1>radstruct review</h1><span id="progress" aria-live="polite"></span><span id="overview"></span></header>
<section id="login" style="padding:1rem">
  <label for="token">Reviewer token</label> <input id="token" type="password" size="40" autocomplete="off">
  <button id="signin">Sign in</button>
</section>
<main id="work" hidden>
  <section aria-label="Report"><h2 id="reportTitle" style="font-size:1rem"></h2><p id="coverage" class="coverage" role="note" hidden></p><div id="text" tabindex="0"></div></section>
  <section aria-label="Flagged fields">
    <table><thead><tr><th>field</th><th>model</th><th>samples</th><th>confidence</th><th>decision</th></tr></thead><tbody id="fields"></tbody></table>
    <div id="actions" role="toolbar" aria-label="Decision on the current field">
      <button id="b-accept" title="a">Accept</button>
      <button id="b-edit" title="e">Edit value</button>
      <button id="b-none" title="n">Not stated</button>
      <button id="b-prev" title="k">Previous field</button>
      <button id="b-next" title="j">Next field</button>
      <button id="b-skip" title="]">Next report</button>
    </div>
    <p id="help">Keys: <kbd>a</kbd> accept &nbsp; <kbd>e</kbd> edit (<kbd>Enter</kbd> saves) &nbsp; <kbd>n</kbd> not stated &nbsp; <kbd>j</kbd>/<kbd>k</kbd> next/previous field &nbsp; <kbd>]</kbd> next report</p>
    <p id="status" role="status" aria-live="polite"></p>
  </section>
</main>
<script>
${js}</script></body></html>`

export function reviewPage(): string {
  return markup(style, script)
}

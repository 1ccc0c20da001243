// switchboard's chat widget. Put it on any site:
//
//   <script src="https://chat.example.com/webapp/widget.js" data-channel="CHANNEL_ID" async></script>
//
// It adds a floating chat button that opens the channel's chat page in an
// iframe. Options, as data-* attributes of the script tag: data-title (the
// label of the button and frame), data-position ("right" or "left"),
// data-color (the button's CSS color), data-open ("true" to open at load).
(function () {
  'use strict';
  var script = document.currentScript;
  if (!script) return;
  var channel = script.getAttribute('data-channel');
  if (!channel) {
    console.error('switchboard widget: the script tag needs data-channel="<channel id>"');
    return;
  }
  var id = 'switchboard-widget-' + channel.replace(/[^A-Za-z0-9_-]/g, '_');
  if (document.getElementById(id)) return; // the snippet was pasted twice
  var base = script.src.replace(/\/webapp\/widget\.js([?#].*)?$/, '');
  var title = script.getAttribute('data-title') || 'Chat';
  var side = script.getAttribute('data-position') === 'left' ? 'left' : 'right';
  var color = script.getAttribute('data-color') || '#2563eb';
  var ICON_CHAT =
    '<svg width="28" height="28" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" aria-hidden="true">' +
    '<path d="M21 15a2 2 0 0 1-2 2H7l-4 4V5a2 2 0 0 1 2-2h14a2 2 0 0 1 2 2z"/></svg>';
  var ICON_CLOSE =
    '<svg width="26" height="26" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" aria-hidden="true">' +
    '<path d="M18 6 6 18M6 6l12 12"/></svg>';

  function style(el, props) {
    for (var k in props) el.style.setProperty(k, props[k]);
  }

  var root = document.createElement('div');
  root.id = id;
  var button = document.createElement('button');
  button.type = 'button';
  button.className = 'switchboard-widget-button';
  button.setAttribute('aria-label', 'Open ' + title);
  button.setAttribute('aria-expanded', 'false');
  button.innerHTML = ICON_CHAT;
  style(button, {
    position: 'fixed', bottom: '20px', [side]: '20px', width: '56px', height: '56px', 'border-radius': '50%',
    border: 'none', background: color, color: '#fff', cursor: 'pointer', 'z-index': '2147483000',
    'box-shadow': '0 4px 14px rgba(0,0,0,.25)', display: 'flex', 'align-items': 'center', 'justify-content': 'center',
    padding: '0',
  });
  var panel = document.createElement('div');
  panel.className = 'switchboard-widget-frame';
  panel.hidden = true;
  style(panel, {
    position: 'fixed', bottom: '88px', [side]: '20px', width: '380px', height: '600px',
    'max-width': 'calc(100vw - 40px)', 'max-height': 'calc(100vh - 108px)', 'border-radius': '12px',
    overflow: 'hidden', 'box-shadow': '0 8px 30px rgba(0,0,0,.25)', background: '#fff', 'z-index': '2147483000',
  });
  var frame = null;

  function setOpen(open) {
    if (open && !frame) {
      frame = document.createElement('iframe');
      frame.src = base + '/chat/' + encodeURIComponent(channel) + '?embed=1';
      frame.title = title;
      style(frame, { width: '100%', height: '100%', border: '0', display: 'block' });
      panel.appendChild(frame);
    }
    panel.hidden = !open;
    panel.style.setProperty('display', open ? 'block' : 'none');
    button.innerHTML = open ? ICON_CLOSE : ICON_CHAT;
    button.setAttribute('aria-expanded', String(open));
    button.setAttribute('aria-label', (open ? 'Close ' : 'Open ') + title);
  }

  button.addEventListener('click', function () {
    setOpen(panel.hidden);
  });
  document.addEventListener('keydown', function (e) {
    if (e.key === 'Escape' && !panel.hidden) setOpen(false);
  });
  root.appendChild(panel);
  root.appendChild(button);
  function mount() {
    document.body.appendChild(root);
    setOpen(script.getAttribute('data-open') === 'true');
  }
  if (document.body) mount();
  else document.addEventListener('DOMContentLoaded', mount);
})();

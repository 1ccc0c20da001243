// switchboard's chat widget. Put it on any site:
//
//   <script src="https://chat.example.com/webapp/widget.js" data-channel="CHANNEL_ID" async></script>
//
// It adds a floating chat button that opens the channel's chat page in an
// iframe, in the bot's appearance (its name, colours, side and language, set
// in the administration: read from the channel's config). Options, as data-*
// attributes of the script tag, override it: data-title (the label of the
// button and frame), data-position ("right" or "left"), data-color (the
// button's CSS color), data-open ("true" to open at load).
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
  var config = base + '/v1/webapp/' + encodeURIComponent(channel) + '/config';
  fetch(config)
    .then(function (res) { return res.ok ? res.json() : {}; })
    .catch(function () { return {}; })
    .then(function (c) { build(c.appearance || {}); });

  // build adds the button and the frame, in the bot's look.
  function build(look) {
    if (document.getElementById(id)) return; // the snippet was pasted twice
    var attr = function (name) { return script.getAttribute(name); };
    var title = attr('data-title') || look.title || 'Chat';
    var position = attr('data-position') || look.launcher;
    var side = position === 'left' ? 'left' : 'right';
    var color = attr('data-color') || look.accent || '#2563eb';
    var textColor = attr('data-color') ? '#fff' : look.accent_text || '#fff';
    var label = function (open) {
      var l = open ? look.close_label : look.open_label;
      return l && !attr('data-title') ? l : (open ? 'Close ' : 'Open ') + title;
    };
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
    button.setAttribute('aria-label', label(false));
    button.setAttribute('aria-expanded', 'false');
    button.innerHTML = ICON_CHAT;
    style(button, {
      position: 'fixed', bottom: '20px', [side]: '20px', width: '56px', height: '56px', 'border-radius': '50%',
      border: 'none', background: color, color: textColor, cursor: 'pointer', 'z-index': '2147483000',
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
      button.setAttribute('aria-label', label(open));
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
  }
})();

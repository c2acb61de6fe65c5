// live.js: the live meeting view (issue 9, page_live.c). Polls the meeting's live.json every
// few seconds and ticks the countdown between polls; when another device has stamped (the
// current row or the number of stamps changed) it reloads the page, which the server renders
// from its own state. Without this script the page works by reloading it.
(function () {
  'use strict';
  var root = document.getElementById('live');
  if (!root || !window.fetch) return;
  var url = root.getAttribute('data-json');
  var current = root.getAttribute('data-current');
  var stamps = root.getAttribute('data-stamps');
  var state = root.getAttribute('data-state');
  var count = document.getElementById('live-count');
  var status = document.getElementById('live-status');
  var remaining = count ? parseInt(count.getAttribute('data-remaining'), 10) : NaN;
  var at = Date.now();

  function text(s) {
    if (s > 0) {
      var sec = s % 60;
      return Math.floor(s / 60) + ':' + (sec < 10 ? '0' : '') + sec + ' tilbage';
    }
    if (s === 0) return 'til tiden';
    return Math.floor((-s + 59) / 60) + ' min over tid';
  }

  function tick() {
    if (!count || isNaN(remaining)) return;
    var s = remaining - Math.floor((Date.now() - at) / 1000);
    count.textContent = text(s);
    count.parentNode.classList.toggle('live-over', s < 0);
    if (status) {
      status.textContent = 'I gang: ' + text(s);
      status.classList.toggle('live-over', s < 0);
    }
  }

  function poll() {
    fetch(url, {credentials: 'same-origin', cache: 'no-store'})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (d) {
        if (!d) return;
        var cur = d.current === null ? '0' : String(d.current);
        if (cur !== current || String(d.stamps) !== stamps || d.state !== state) {
          window.location.reload();
          return;
        }
        if (typeof d.remaining === 'number') {
          remaining = d.remaining;
          at = Date.now();
        }
      })
      .catch(function () { /* the next poll tries again */ });
  }

  window.setInterval(tick, 1000);
  window.setInterval(poll, 5000);
})();

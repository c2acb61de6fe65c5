// referat.js: the case editor's live time plan (issue 8). While a start or a duration is typed,
// each sub-item's "Tid: 10.30-11.00" line is computed again in the page, by the rule the server
// uses (src/model/timetable.c): a sub-item without a start begins where the one before ends,
// the first where the cases before it end (the fieldset's data-from); a row blank in title,
// start and duration is left out. The form works without it: the server computes the same
// times, and its warnings, when the form is sent. Loaded from a file (CSP script-src 'self').
"use strict";

(function () {
  // "10.30", "10:30" or "10" as minutes since midnight; -1 when it is not a time.
  function parse(s) {
    var m = /^(\d{1,2})(?:[.:](\d\d))?$/.exec(s);
    if (!m) return -1;
    var h = Number(m[1]), min = m[2] ? Number(m[2]) : 0;
    return h > 23 || min > 59 ? -1 : h * 60 + min;
  }

  function format(t) {
    if (t < 0 || t >= 24 * 60) return "";
    var h = Math.floor(t / 60), m = t % 60;
    return (h < 10 ? "0" : "") + h + "." + (m < 10 ? "0" : "") + m;
  }

  function field(row, what) {
    var el = row.querySelector('[name$="].' + what + '"]');
    return el ? el.value.trim() : "";
  }

  // The row's time line: the server's (p.slot) or one made here after the duration field.
  function line(row) {
    var p = row.querySelector("p.slot");
    if (!p) {
      p = document.createElement("p");
      p.className = "meta slot";
      var after = row.querySelector('[name$="].tekst"]');
      var box = after ? after.closest(".field") : null;
      if (box) box.after(p);
      else row.append(p);
    }
    return p;
  }

  function update(plan) {
    var from = parse(plan.dataset.from || ""), end = parse(plan.dataset.end || "");
    var prev = from, first = true;
    plan.querySelectorAll("fieldset.subitem").forEach(function (row) {
      var title = field(row, "titel"), start = field(row, "start"), mins = field(row, "minutter");
      if (!title && !start && !mins) {
        var old = row.querySelector("p.slot");
        if (old) old.textContent = "";
        return;
      }
      var s = start ? parse(start) : first ? from : prev;
      var d = /^\d+$/.test(mins) ? Number(mins) : 0;
      var e = s >= 0 && d >= 1 && d <= 1440 ? s + d : -1;
      var text;
      if (s >= 0 && e >= 0 && format(e)) text = "Tid: " + format(s) + "\u2013" + format(e);
      else if (s >= 0) text = "Tid: fra " + format(s) + " (ingen varighed)";
      else text = "Tid: kan ikke beregnes";
      if (e >= 0 && end >= 0 && e > end) text += " (efter mødets afslutning)";
      line(row).textContent = text;
      prev = e;
      first = false;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("fieldset.timetable").forEach(function (plan) {
      plan.addEventListener("input", function () {
        update(plan);
      });
    });
  });
})();

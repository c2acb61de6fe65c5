// decision.js: the decision page's live suggestions (issue 9). While an entry's decision text
// is typed, the page asks the server (POST /arbejde/sag/ID/beslutning/forslag, the whole form
// with its CSRF token) which follow-ups the extraction reads out of it, and shows them with
// their Bekræft / Afvis buttons, the same buttons the server renders. Nothing is saved here:
// the buttons submit the form as they do without script. Loaded from a file (script-src
// 'self'); text goes into the page as text only. A phrase button appends its phrase in the page
// (by the server's rule, model/decision.c) instead of sending the form.
"use strict";

(function () {
  function line(s) {
    var li = document.createElement("li");
    li.className = "suggestion";
    var t = s.owner + (s.role ? " (" + s.role + ")" : "") + (s.due ? ", frist " + s.due : "");
    li.append(document.createTextNode(t));
    if (s.text) {
      li.append(document.createTextNode(": "));
      var q = document.createElement("q");
      q.textContent = s.text;
      li.append(q);
    }
    [["Bekræft", s.confirm], ["Afvis", s.reject]].forEach(function (b) {
      var button = document.createElement("button");
      button.type = "submit";
      button.name = "handling";
      button.value = b[1];
      button.textContent = b[0];
      li.append(document.createTextNode(" "), button);
    });
    return li;
  }

  function show(box, answer) {
    box.replaceChildren();
    if (!answer.suggestions.length) return;
    var p = document.createElement("p");
    p.textContent = "Forslag til opfølgning, læst ud af teksten:";
    var ul = document.createElement("ul");
    ul.className = "list";
    answer.suggestions.forEach(function (s) { ul.append(line(s)); });
    box.append(p, ul);
  }

  function ask(form, entry, box) {
    var body = new URLSearchParams(new FormData(form));
    body.set("indgang", entry);
    fetch(form.getAttribute("action") + "/forslag", {
      method: "POST", body: body, credentials: "same-origin",
      headers: {"Accept": "application/json"}
    }).then(function (r) {
      return r.ok ? r.json() : null;
    }).then(function (answer) {
      if (answer) show(box, answer);
    }).catch(function () { /* the page still works: the buttons submit the form */ });
  }

  // decision_append_phrase: the text without trailing blanks, a stop if it has none, a blank,
  // then the phrase with its stop.
  function append(text, phrase) {
    var t = text.replace(/\s+$/, "");
    if (t && !/[.!?:]$/.test(t)) t += ".";
    var p = phrase.trim();
    if (p && !/[.!?]$/.test(p)) p += ".";
    return t ? t + " " + p : p;
  }

  document.addEventListener("click", function (ev) {
    var b = ev.target.closest && ev.target.closest("button[name='handling'][value^='frase:']");
    if (!b || !b.form) return;
    var m = /^frase:(\d+):\d+$/.exec(b.value);
    var area = m && b.form.querySelector("textarea[name='b[" + m[1] + "].tekst']");
    if (!area) return;
    ev.preventDefault();
    area.value = append(area.value, b.textContent);
    area.dispatchEvent(new Event("input"));
    area.focus();
  });

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form textarea[name$='].tekst']").forEach(function (area) {
      var m = /^b\[(\d+)\]\.tekst$/.exec(area.name);
      var form = area.form;
      var box = m && form && form.querySelector(".suggestions[data-entry='" + m[1] + "']");
      if (!box) return;
      var timer = 0;
      area.addEventListener("input", function () {
        clearTimeout(timer);
        timer = setTimeout(function () { ask(form, m[1], box); }, 400);
      });
    });
  });
})();

/* followup: a filter box, and how long till or since each task is due ("due in 5 h",
   "2 days overdue"), said at the reader's time and kept true as the page ages. The page
   itself says only the task's status ("overdue", "due now", "upcoming"), so that the
   build need not make it again as the clock moves. A classic script: it works from
   file://, reads only the JSON inlined in the page. */
(function () {
  "use strict";
  var holder = document.getElementById("followup-data");
  var data = holder ? JSON.parse(holder.textContent) : { tasks: {} };

  var box = document.getElementById("filter");
  if (box) {
    box.addEventListener("input", function () {
      var words = box.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
      document.querySelectorAll("[data-filter]").forEach(function (el) {
        var text = el.textContent.toLowerCase();
        el.hidden = !words.every(function (w) { return text.indexOf(w) !== -1; });
      });
    });
  }

  /* Copy a draft's text: the clipboard API where the page may use it, else a selection. */
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    button.addEventListener("click", function () {
      var source = document.getElementById(button.getAttribute("data-copy"));
      if (!source) return;
      var text = source.textContent, label = button.textContent;
      function done() { button.textContent = "Copied"; setTimeout(function () { button.textContent = label; }, 1500); }
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(done, function () { select(source); });
      } else { select(source); if (document.execCommand("copy")) done(); }
    });
  });
  function select(node) {
    var range = document.createRange();
    range.selectNodeContents(node);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });

  function span(ms) {
    var minutes = Math.max(0, Math.floor(ms / 60000));
    if (minutes < 60) return minutes + " min";
    var hours = Math.floor(minutes / 60);
    if (hours < 48) return hours + " h";
    return Math.floor(hours / 24) + " days";
  }

  function refresh() {
    var now = Date.now();
    document.querySelectorAll("[data-task]").forEach(function (el) {
      var task = data.tasks[el.getAttribute("data-task")];
      if (!task) return;
      /* "now": whenever the page is read (a reference to ask before applying) */
      var opens = task.opens === "now" ? now : Date.parse(task.opens), status, text;
      var due = task.due === "now" ? now : Date.parse(task.due);
      if (now < opens) { status = "upcoming"; text = "in " + span(opens - now); }
      else if (now <= due) { status = "due"; text = due - now < 60000 ? "due now" : "due in " + span(due - now); }
      else { status = "overdue"; text = span(now - due) + " overdue"; }
      el.classList.remove("upcoming", "due", "overdue");
      el.classList.add(status);
      var when = el.querySelector("[data-when]");
      if (when) when.textContent = text;
    });
  }

  /* On the dashboard, a task that fell due while the page was open moves to its section. */
  function regroup() {
    document.querySelectorAll("ul[data-section] > li[data-task]").forEach(function (li) {
      var status = ["overdue", "due", "upcoming"].filter(function (s) {
        return li.classList.contains(s);
      })[0];
      var home = document.querySelector('ul[data-section="' + status + '"]');
      if (home && li.parentNode !== home) home.appendChild(li);
    });
    document.querySelectorAll("ul[data-section]").forEach(function (ul) {
      var section = ul.getAttribute("data-section"), count = ul.children.length;
      document.querySelectorAll('[data-count-for="' + section + '"]').forEach(function (el) {
        el.textContent = count;
      });
      document.querySelectorAll('[data-empty-for="' + section + '"]').forEach(function (el) {
        el.hidden = count > 0;
      });
    });
  }

  function tick() { refresh(); regroup(); }
  tick();
  window.setInterval(tick, 60000);
})();

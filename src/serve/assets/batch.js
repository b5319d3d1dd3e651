// The batch page: while a batch is checked or made, ask for its status every second and show
// it; when its state changes, load the page again for what comes next (the server renders it).
(function () {
  "use strict";
  var box = document.getElementById("batch-progress");
  if (!box) return;
  var url = box.getAttribute("data-status-url");
  var state = box.getAttribute("data-state");
  if (["checking", "queued", "running"].indexOf(state) < 0) return;

  function set(id, value) {
    var el = document.getElementById(id);
    if (el) el.textContent = String(value);
  }

  function cell(row, text) {
    var td = document.createElement("td");
    td.textContent = text;
    row.appendChild(td);
  }

  function show(s) {
    set("batch-done", s.done);
    set("batch-total", s.total);
    set("batch-failed", s.failed);
    var bar = document.getElementById("batch-bar");
    if (bar) {
      bar.max = Math.max(1, s.total);
      bar.value = s.done;
    }
    var list = document.getElementById("batch-failures");
    if (list && list.children.length !== s.rows.length) {
      list.textContent = "";
      s.rows.forEach(function (p) {
        var tr = document.createElement("tr");
        cell(tr, p.row === null ? "–" : p.row);
        cell(tr, p.column_label === null ? "–" : p.column_label);
        cell(tr, p.message);
        list.appendChild(tr);
      });
    }
  }

  function tick() {
    fetch(url, { headers: { Accept: "application/json" }, cache: "no-store" })
      .then(function (r) {
        if (!r.ok) throw new Error(r.status);
        return r.json();
      })
      .then(function (s) {
        if (s.state !== state) {
          window.location.reload();
          return;
        }
        show(s);
        window.setTimeout(tick, 1000);
      })
      .catch(function () {
        window.setTimeout(tick, 3000);
      });
  }
  window.setTimeout(tick, 1000);
})();

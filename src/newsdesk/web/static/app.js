// The only script of the pages: it opens a cited source (and the folded list holding it), and follows a job's progress.
(function () {
  "use strict";
  function openSource(hash) {
    if (!hash || hash.length < 2) return;
    var el = document.getElementById(decodeURIComponent(hash.slice(1)));
    if (!el) return;
    // open the source, and any folded list that holds it
    for (var p = el; p; p = p.parentElement) if (p.tagName === "DETAILS") p.open = true;
    document.querySelectorAll(".flash").forEach(function (x) { x.classList.remove("flash"); });
    el.classList.add("flash");
    el.scrollIntoView({ block: "center" });
  }
  document.addEventListener("click", function (ev) {
    var a = ev.target.closest && ev.target.closest("a.cite, a[href^='#']");
    if (!a) return;
    var hash = a.getAttribute("href");
    if (hash && hash.charAt(0) === "#" && document.getElementById(hash.slice(1))) {
      ev.preventDefault();
      history.replaceState(null, "", hash);
      openSource(hash);
    }
  });
  window.addEventListener("DOMContentLoaded", function () {
    openSource(location.hash);
    var job = document.getElementById("job");
    if (!job) return;
    var id = job.dataset.job;
    function poll() {
      fetch("/api/jobs/" + encodeURIComponent(id), { headers: { Accept: "application/json" } })
        .then(function (r) { return r.json(); })
        .then(function (s) {
          document.getElementById("stage").textContent = s.stage;
          var bar = document.getElementById("bar");
          if (s.total) {
            bar.max = s.total; bar.value = s.done;
            document.getElementById("count").textContent = s.done + " / " + s.total;
          }
          if (s.status === "done" || s.status === "failed") location.reload();
          else setTimeout(poll, 400);
        })
        .catch(function () { setTimeout(poll, 1500); });
    }
    poll();
  });
})();

// Keyboard shortcuts for staff pages (documented on /help/): "/" focuses the search box, j and k move through
// the queue's rows, Enter opens the current one, x ticks it. Nothing happens while typing in a field.
(function () {
  "use strict";

  function typing(target) {
    var tag = target && target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable);
  }

  function rows() {
    return Array.prototype.slice.call(document.querySelectorAll("[data-queue] tr[data-row]"));
  }

  function move(step) {
    var all = rows();
    if (!all.length) return;
    var at = all.findIndex(function (row) { return row.classList.contains("is-current"); });
    var next = at < 0 ? (step > 0 ? 0 : all.length - 1) : Math.min(all.length - 1, Math.max(0, at + step));
    if (at >= 0) {
      all[at].classList.remove("is-current");
      all[at].removeAttribute("aria-current");
    }
    all[next].classList.add("is-current");
    all[next].setAttribute("aria-current", "true");
    all[next].scrollIntoView({ block: "nearest" });
  }

  function current() {
    return document.querySelector("[data-queue] tr.is-current");
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    var row;
    if (event.key === "/") {
      var box = document.getElementById("topsearch-q");
      if (box) {
        event.preventDefault();
        box.focus();
        box.select();
      }
    } else if (event.key === "j") {
      move(1);
    } else if (event.key === "k") {
      move(-1);
    } else if (event.key === "Enter" && (row = current())) {
      var link = row.querySelector("a.ref");
      if (link) link.click();
    } else if (event.key === "x" && (row = current())) {
      var box2 = row.querySelector("input[type=checkbox]");
      if (box2) box2.click();
    }
  });

  // A link to a folded form (the follow-up's "record the decision on …") opens it where it lands.
  function openTarget() {
    var target = location.hash && document.getElementById(location.hash.slice(1));
    if (target && target.tagName === "DETAILS") {
      target.open = true;
      target.scrollIntoView({ block: "start" });
    }
  }
  window.addEventListener("hashchange", openTarget);
  openTarget();
})();

/* Progressive enhancements of the portal's pages; every page works without them.
 *
 * - A table box that scrolls sideways gets a visible hint above it and becomes focusable, so
 *   keyboard users can scroll it too (the hint text comes from the page: data-table-scroll-hint).
 * - Collapsible filters (<details class="filter-panel">) start open on wide screens.
 * - A field's feedback region ([data-feedback-for]) that htmx fills live marks its field as
 *   invalid while it holds a message (the field itself is never replaced, so nothing typed is lost).
 */
(function () {
  "use strict";

  var hintText = document.body.getAttribute("data-table-scroll-hint") || "";
  var counter = 0;

  function markScrollable(box) {
    var scrollable = box.scrollWidth > box.clientWidth + 1;
    box.classList.toggle("is-scrollable", scrollable);
    var hint = box.previousElementSibling;
    if (!hint || !hint.classList.contains("table-scroll-hint")) {
      if (!scrollable || !hintText) {
        return;
      }
      counter += 1;
      hint = document.createElement("p");
      hint.className = "table-scroll-hint small mb-1";
      hint.id = "table-scroll-hint-" + counter;
      hint.textContent = hintText;
      box.parentNode.insertBefore(hint, box);
    }
    hint.classList.toggle("is-shown", scrollable);
    if (scrollable) {
      if (!box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("data-tabindex-added", "");
      }
      if (!box.hasAttribute("role")) {
        var caption = box.querySelector("caption");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", caption ? caption.textContent.trim() : hintText);
        box.setAttribute("data-role-added", "");
      }
      box.setAttribute("aria-describedby", hint.id);
    } else {
      if (box.hasAttribute("data-tabindex-added")) {
        box.removeAttribute("tabindex");
        box.removeAttribute("data-tabindex-added");
      }
      if (box.hasAttribute("data-role-added")) {
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
        box.removeAttribute("data-role-added");
      }
      box.removeAttribute("aria-describedby");
    }
  }

  function markAll() {
    document.querySelectorAll(".table-responsive").forEach(markScrollable);
  }

  function openFiltersOnWideScreens() {
    if (!window.matchMedia("(min-width: 992px)").matches) {
      return;
    }
    document.querySelectorAll("details.filter-panel[data-open-wide]").forEach(function (panel) {
      panel.open = true;
    });
  }

  // htmx announces each out-of-band swap on its target with the fragment it is about to insert.
  function markFeedbackField(event) {
    var region = event.target;
    var fragment = event.detail && event.detail.fragment;
    if (!fragment || !region.hasAttribute || !region.hasAttribute("data-feedback-for")) {
      return;
    }
    var field = document.getElementById(region.getAttribute("data-feedback-for"));
    if (!field) {
      return;
    }
    var invalid = fragment.textContent.trim() !== "";
    field.classList.toggle("is-invalid", invalid);
    if (invalid) {
      field.setAttribute("aria-invalid", "true");
    } else {
      field.removeAttribute("aria-invalid");
    }
  }

  document.addEventListener("htmx:oobBeforeSwap", markFeedbackField);

  function ready() {
    openFiltersOnWideScreens();
    markAll();
    var timer = null;
    window.addEventListener("resize", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(markAll, 150);
    });
    document.body.addEventListener("htmx:afterSettle", markAll);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();

/* A button with data-print prints the page (the recovery codes). */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var target = event.target;
    if (target instanceof Element && target.closest("[data-print]")) {
      window.print();
    }
  });
})();

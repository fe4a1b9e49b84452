/* The strategy-goal picker: a search box that filters the tree of goals.
 *
 * The tree is rendered by the server (strategy/widgets/goal_tree.html) and works without this
 * script. The script shows the search box; typing hides the goals that do not match. A goal
 * stays visible when it matches, when a goal below it matches, or when it is ticked.
 */
(function () {
  "use strict";

  function normalise(text) {
    return text.toLocaleLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }

  function filterNode(node, query) {
    var own = node.querySelector(":scope > .form-check");
    var checkbox = own ? own.querySelector("input") : null;
    var label = own ? own.querySelector("label") : null;
    var matches = !query || (label && normalise(label.textContent).indexOf(query) !== -1);
    var childMatches = false;
    node.querySelectorAll(":scope > ul > [data-goal-node]").forEach(function (child) {
      if (filterNode(child, query)) {
        childMatches = true;
      }
    });
    var visible = matches || childMatches || (checkbox && checkbox.checked);
    node.hidden = !visible;
    return visible && (matches || childMatches);
  }

  function setUp(picker) {
    var search = picker.querySelector("[data-goal-search]");
    var status = picker.querySelector("[data-goal-search-status]");
    if (!search) {
      return;
    }
    search.closest(".goal-picker-search").hidden = false;
    var timer = null;

    function apply() {
      var query = normalise(search.value.trim());
      var found = 0;
      picker.querySelectorAll("[data-goal-strategy]").forEach(function (strategy) {
        var any = false;
        strategy.querySelectorAll(":scope > ul > [data-goal-node]").forEach(function (node) {
          if (filterNode(node, query)) {
            any = true;
          }
        });
        var ticked = strategy.querySelector("input:checked") !== null;
        strategy.hidden = !(any || ticked || !query);
      });
      picker.querySelectorAll("[data-goal-node]").forEach(function (node) {
        var label = node.querySelector(":scope > .form-check > label");
        if (query && !node.hidden && label && normalise(label.textContent).indexOf(query) !== -1) {
          found += 1;
        }
      });
      if (status) {
        if (!query) {
          status.textContent = "";
        } else if (found) {
          status.textContent = status.getAttribute("data-text-some").replace("{count}", found);
        } else {
          status.textContent = status.getAttribute("data-text-none");
        }
      }
    }

    search.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(apply, 120);
    });
    search.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault(); // Enter filters; it does not submit the long form
        apply();
      }
    });
  }

  function ready() {
    document.querySelectorAll("[data-goal-picker]").forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();

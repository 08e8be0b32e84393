// The admin's autocompletes (select2) name their combobox by the field's label: empty, select2 leaves it nameless
// for screen readers (axe: aria-input-field-name). Also for inline rows added later.
(function () {
  "use strict";

  function labelOf(select) {
    var label = document.querySelector('label[for="' + select.id + '"]');
    return label ? label.textContent.replace(/:\s*$/, "").trim() : select.name;
  }

  function nameAll() {
    document.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      var container = select.nextElementSibling;
      if (!container || !container.classList.contains("select2")) {
        return;
      }
      var name = labelOf(select);
      container.querySelectorAll(".select2-selection, .select2-selection__rendered").forEach(function (element) {
        if (!element.getAttribute("aria-label")) {
          element.setAttribute("aria-label", name);
        }
      });
    });
  }

  // select2 builds its boxes when jQuery is ready (after this script, sometimes after "load"), and again for every
  // inline row added: name them whenever the page grows.
  document.addEventListener("DOMContentLoaded", function () {
    nameAll();
    new MutationObserver(nameAll).observe(document.body, { childList: true, subtree: true });
  });
})();

// Two fixes to the admin's widgets, also for inline rows added later:
// - the autocompletes (select2) name their combobox by the field's label: empty, select2 leaves it nameless for
//   screen readers (axe: aria-input-field-name);
// - an update's quote autocomplete offers only the quotes of the update's source, once one is chosen;
// - a date-only field loses the "Enter times in the Asia/Tokyo timezone" note that Django adds to every date input
//   when the browser's time zone differs: a day has no time to enter.
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

  function dropTimezoneNotes() {
    document.querySelectorAll("input.vDateField").forEach(function (input) {
      if (input.closest("p.datetime")) {
        return; // a date and a time: the note is about the time
      }
      var note = document.getElementById(input.id + "_timezone_warning_helptext");
      if (note) {
        note.remove();
      }
    });
  }

  function fixAll() {
    nameAll();
    dropTimezoneNotes();
  }

  function limitQuotesToTheSource() {
    if (!window.django || !window.django.jQuery) {
      return; // a page without autocompletes
    }
    var $ = window.django.jQuery;
    var opened = null;
    $(document).on("select2:opening", "select.admin-autocomplete", function () {
      opened = this;
    });
    $.ajaxPrefilter(function (options) {
      if (!opened || opened.dataset.modelName !== "statusupdate" || opened.dataset.fieldName !== "quote") {
        return;
      }
      var source = document.getElementById(opened.id.replace(/quote$/, "source"));
      if (source && source.value) {
        options.data = (options.data ? options.data + "&" : "") + "source=" + encodeURIComponent(source.value);
      }
    });
  }

  // select2 builds its boxes when jQuery is ready (after this script, sometimes after "load"), and again for every
  // inline row added: name them whenever the page grows.
  document.addEventListener("DOMContentLoaded", function () {
    limitQuotesToTheSource();
    fixAll();
    new MutationObserver(fixAll).observe(document.body, { childList: true, subtree: true });
  });
})();

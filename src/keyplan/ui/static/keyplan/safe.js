/* Loaded first, and synchronously, on every page.

   escapeHtml: the one way keyplan's scripts put data (names of accounts, products and
   people; anything a user typed or imported) into HTML they build, such as a chart's
   tooltip (ECharts shows tooltips as HTML). Text set with textContent needs no escaping;
   anything concatenated into markup goes through this.

   It also marks the page as having JavaScript (the "js" class on <html>), so styles can
   tell before the first paint; the Content-Security-Policy allows no inline script. */
(function () {
  "use strict";
  var ENTITIES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

  window.escapeHtml = function (value) {
    return String(value == null ? "" : value).replace(/[&<>"']/g, function (c) {
      return ENTITIES[c];
    });
  };

  document.documentElement.classList.add("js");
})();

/* The white-space tables (the territory's matrix, an account's row): a cell shows a
   figure, and its title the rest (a white-space cell's probability and the reasons, a
   pipeline cell's stage). Pointing at a cell shows the title; a phone cannot point, so a
   tap (or click) on a cell writes it in words, with its account and product, into the
   element named by the table's data-cell-detail.

   The account is the row's first cell when that holds a link (the matrix); the product
   is the header above the cell. All HTML built goes through escapeHtml (safe.js). */
(function () {
  "use strict";

  function words(node) {
    return node ? node.textContent.replace(/\s+/g, " ").trim() : "";
  }

  /* What the cell's figure is, by its state (its class), and what its title adds. */
  function describe(cell, currency) {
    var figure = words(cell), title = cell.title;
    var amount = figure && figure !== "—" ? figure + " " + currency : "";
    var cls = cell.classList;
    if (cls.contains("ws-owned")) {
      return ["Owned: " + (amount ? amount + " " : "") + "bought in the window"];
    }
    if (cls.contains("ws-pipeline")) {
      return [title + (amount ? ": " + amount + " open" : "")];
    }
    if (title && title !== "White space") {
      return ["White space: expected " + amount + " in the first year", title];
    }
    return ["White space" + (amount ? ": " + amount : "")];
  }

  document.addEventListener("click", function (event) {
    var cell = event.target.closest("td[title]");
    if (!cell || event.target.closest("a")) { return; }
    var table = cell.closest("table[data-cell-detail]");
    var detail = table && document.getElementById(table.dataset.cellDetail);
    if (!detail) { return; }
    var lines = [], first = cell.parentElement.cells[0];
    var account = first !== cell && first.querySelector("a");
    if (account) { lines.push("<strong>" + escapeHtml(words(account)) + "</strong>"); }
    var head = table.tHead && table.tHead.rows[0];
    var product = head && head.cells[cell.cellIndex];
    if (product) { lines.push(escapeHtml(words(product))); }
    describe(cell, table.dataset.currency || "").forEach(function (line) {
      lines.push(escapeHtml(line));
    });
    detail.innerHTML = lines.join("<br>");
  });
})();

// Tables on a phone: each row becomes a card whose cells say their column's name (CSS, under
// 40rem). The names are copied here from each table's header row, so that templates keep one
// header; without JavaScript a wide table scrolls inside its own box instead.
(function () {
  "use strict";
  document.querySelectorAll("main table").forEach(function (table) {
    var head = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
    if (!head || head.cells.length < 3) {
      return;
    }
    var names = [];
    Array.prototype.forEach.call(head.cells, function (cell) {
      for (var n = 0; n < (cell.colSpan || 1); n += 1) {
        names.push(cell.textContent.trim());
      }
    });
    Array.prototype.forEach.call(table.tBodies, function (body) {
      Array.prototype.forEach.call(body.rows, function (row) {
        var column = 0;
        Array.prototype.forEach.call(row.cells, function (cell) {
          if (names[column] && cell.colSpan === 1) {
            cell.setAttribute("data-label", names[column]);
          }
          column += cell.colSpan || 1;
        });
      });
    });
    table.classList.add("stacked-on-phone");
    if (table.tHead.querySelector("a, input, button")) {
      table.classList.add("stacked-keeps-head");
    }
  });
})();

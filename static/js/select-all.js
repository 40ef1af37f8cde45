// "Select everyone shown": one box that ticks every row's box of the same name. Without
// JavaScript the box stays hidden; "Everyone with a confirmed place" does the same job.
(function () {
  "use strict";
  document.querySelectorAll("[data-select-all]").forEach(function (all) {
    var boxes = Array.prototype.slice.call(
      all.form.querySelectorAll('input[type=checkbox][name="' + all.getAttribute("data-select-all") + '"]')
    );
    function reflect() {
      var ticked = boxes.filter(function (box) { return box.checked; }).length;
      all.checked = ticked === boxes.length && ticked > 0;
      all.indeterminate = ticked > 0 && ticked < boxes.length;
    }
    all.hidden = false;
    all.addEventListener("change", function () {
      boxes.forEach(function (box) { box.checked = all.checked; });
    });
    boxes.forEach(function (box) { box.addEventListener("change", reflect); });
    reflect();
  });
})();

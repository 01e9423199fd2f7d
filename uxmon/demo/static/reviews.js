// The product page's review stars. With the js-error switch the data never arrives
// and this line throws a TypeError, as a real widget would.
(function () {
  "use strict";
  const data = window.__reviewData;
  const stars = document.getElementById("review-stars");
  stars.textContent = "★ " + data.average.toFixed(1) + " from " + data.count + " reviews";
})();

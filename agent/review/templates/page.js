// Links marks in the article and the claims they support, both ways: hovering or focusing a
// claim lights its quotes; clicking a quote lights its claims and scrolls to the first one.
// Everything also works without JavaScript through plain #anchors.
(function () {
  "use strict";
  var marks = Array.prototype.slice.call(document.querySelectorAll("mark.quote"));
  var claims = Array.prototype.slice.call(document.querySelectorAll(".claim"));

  function marksOf(claimId) {
    return marks.filter(function (mark) {
      return (mark.getAttribute("data-claims") || "").split(" ").indexOf(claimId) !== -1;
    });
  }

  function clearActive() {
    marks.concat(claims).forEach(function (element) { element.classList.remove("active"); });
  }

  claims.forEach(function (claim) {
    var light = function () {
      clearActive();
      marksOf(claim.id).forEach(function (mark) { mark.classList.add("active"); });
    };
    claim.addEventListener("mouseenter", light);
    claim.addEventListener("focusin", light);
    claim.addEventListener("mouseleave", clearActive);
  });

  marks.forEach(function (mark) {
    mark.addEventListener("click", function () {
      clearActive();
      var ids = (mark.getAttribute("data-claims") || "").split(" ").filter(Boolean);
      ids.forEach(function (id) {
        var claim = document.getElementById(id);
        if (claim) { claim.classList.add("active"); }
      });
      var first = ids.length ? document.getElementById(ids[0]) : null;
      if (first) { first.scrollIntoView({ block: "nearest" }); }
    });
  });

  // read by the browser test: the script ran to the end and found every highlight
  document.body.setAttribute("data-highlights", String(marks.length));
})();

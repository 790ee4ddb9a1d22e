/* Draws every figure of the page with the app's own plotly.js and keeps filters in the URL. */
(function () {
  "use strict";

  function draw(container) {
    var source = document.getElementById(container.getAttribute("data-figure"));
    if (!source) { return; }
    var figure = JSON.parse(source.textContent);
    var config = {
      responsive: true,
      displaylogo: false,
      locale: document.documentElement.lang === "vi" ? "vi" : "en",
      toImageButtonOptions: {format: "png", filename: container.getAttribute("data-filename") || "bieu-do", scale: 2}
    };
    roomForTopLegend(container, figure);
    window.Plotly.newPlot(container, figure.data, figure.layout, config).then(function () {
      container.setAttribute("data-drawn", "1");
    });
  }

  function roomForTopLegend(container, figure) {
    // On a phone a legend above the plot wraps to a line per series and ran over the chart's
    // title: the top margin grows by a line per series.
    var layout = figure.layout || {};
    var legend = layout.legend || {};
    if (container.clientWidth >= 560 || legend.yanchor !== "bottom" || !(legend.y >= 1)) { return; }
    var lines = (figure.data || []).filter(function (trace) { return trace.showlegend !== false; }).length;
    layout.margin = Object.assign({}, layout.margin);
    layout.margin.t = (layout.margin.t || 80) + 20 * lines;
    layout.height = (layout.height || 420) + 20 * lines;
  }

  function autosubmit(form) {
    // Filters are GET forms: changing one reloads the page with the choice in the URL, so a
    // view can be bookmarked and shared. Empty fields are left out to keep the URL short.
    // (Not data-autosubmit: the site-wide autosubmit.js would post the form a second time.)
    form.querySelectorAll("select[data-filter]").forEach(function (select) {
      select.addEventListener("change", function () { submitClean(form); });
    });
    form.addEventListener("submit", function (event) { event.preventDefault(); submitClean(form); });
  }

  function submitClean(form) {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, name) {
      if (value !== "") { params.append(name, value); }
    });
    var query = params.toString();
    window.location.assign(form.getAttribute("action") + (query ? "?" + query : ""));
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".chart[data-figure]").forEach(draw);
    document.querySelectorAll("form.filters").forEach(autosubmit);
  });
}());

// Draws each <div class="chart"> from its Vega-Lite specification in #chart-specs (Vega-Embed, inlined
// above, as SVG), then marks it data-drawn="true"; a chart that fails says so in its place.
(() => {
  "use strict";
  // figures as the page prints them: 12 345, a narrow no-break space between thousands
  const NUMBERS = { decimal: ",", thousands: "\u202f", grouping: [3], currency: ["", " kr"] };
  const specs = JSON.parse(document.getElementById("chart-specs").textContent);
  for (const div of document.querySelectorAll("div.chart")) {
    vegaEmbed(div, specs[div.dataset.chart], { renderer: "svg", actions: false, formatLocale: NUMBERS })
      .then(() => { div.dataset.drawn = "true"; })
      .catch((error) => {
        div.dataset.error = String(error);
        div.textContent = `This chart could not be drawn: ${error}`;
      });
  }
})();

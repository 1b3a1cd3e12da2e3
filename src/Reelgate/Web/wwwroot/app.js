// Small progressive enhancements for the statically rendered pages: copy buttons, form helpers and Chart.js charts.
(() => {
  "use strict";

  document.addEventListener("click", async (event) => {
    const button = event.target.closest("[data-copy-target]");
    if (!button) return;
    const source = document.querySelector(button.dataset.copyTarget);
    if (!source) return;
    const text = source.textContent.trim();
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      const range = document.createRange();
      range.selectNodeContents(source);
      const selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      document.execCommand("copy");
    }
    const label = button.textContent;
    button.textContent = "Copied";
    setTimeout(() => { button.textContent = label; }, 2000);
  });

  // A character counter for text areas with data-counter.
  document.addEventListener("input", (event) => {
    const field = event.target.closest("[data-counter]");
    const counter = field && document.querySelector(field.dataset.counter);
    if (!counter) return;
    const max = Number(field.getAttribute("maxlength")) || 0;
    counter.textContent = max ? `${field.value.length} / ${max}` : String(field.value.length);
    counter.classList.toggle("over", max > 0 && field.value.length >= max);
  });

  // The price of the chosen option (data-price) shown in data-price-target; a preview of a chosen image (data-preview).
  document.addEventListener("change", (event) => {
    const select = event.target.closest("select[data-price-target]");
    const price = select && document.querySelector(select.dataset.priceTarget);
    if (price) price.textContent = select.selectedOptions[0]?.dataset.price ?? "";

    const input = event.target.closest("input[type=file][data-preview]");
    const preview = input && document.querySelector(input.dataset.preview);
    if (!preview) return;
    const file = input.files?.[0];
    const max = Number(input.dataset.maxBytes) || Infinity;
    input.setCustomValidity(file && file.size > max ? `The image may be at most ${Math.floor(max / 1048576)} MB.` : "");
    input.reportValidity();
    if (preview.src.startsWith("blob:")) URL.revokeObjectURL(preview.src);
    if (file && file.size <= max && file.type.startsWith("image/")) {
      preview.src = URL.createObjectURL(file);
      preview.hidden = false;
    } else {
      preview.removeAttribute("src");
      preview.hidden = true;
    }
  });

  let chartLibrary;
  function loadChartLibrary() {
    if (window.Chart) return Promise.resolve(window.Chart);
    chartLibrary ??= new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = document.querySelector('meta[name="chart-lib"]').content;
      script.onload = () => resolve(window.Chart);
      script.onerror = reject;
      document.head.appendChild(script);
    });
    return chartLibrary;
  }

  async function drawCharts() {
    const canvases = document.querySelectorAll("canvas[data-chart]");
    if (canvases.length === 0) return;
    const Chart = await loadChartLibrary();
    const styles = getComputedStyle(document.documentElement);
    const text = styles.getPropertyValue("--muted").trim() || "#a3a3b5";
    const grid = styles.getPropertyValue("--line").trim() || "#262633";
    for (const canvas of canvases) {
      const config = JSON.parse(canvas.dataset.chart);
      Chart.getChart(canvas)?.destroy();
      new Chart(canvas, {
        type: config.type,
        data: {
          labels: config.labels,
          datasets: config.datasets.map((d) => ({ label: d.label, data: d.data, backgroundColor: d.color, borderRadius: 4, maxBarThickness: 22 })),
        },
        options: {
          responsive: true,
          maintainAspectRatio: false,
          animation: false,
          plugins: { legend: { display: config.datasets.length > 1, labels: { color: text } } },
          scales: {
            x: { stacked: config.stacked, ticks: { color: text, maxRotation: 0, autoSkipPadding: 12 }, grid: { display: false } },
            y: { stacked: config.stacked, beginAtZero: true, ticks: { color: text, precision: config.integers ? 0 : undefined }, grid: { color: grid } },
          },
        },
      });
    }
  }

  document.addEventListener("DOMContentLoaded", drawCharts);
  window.Blazor?.addEventListener("enhancedload", drawCharts);
})();

// The findings table of report.html: filters by checkpoint, severity and operator, and
// pages, over the JSON embedded in the page. Values are set as text (textContent), never
// parsed as markup.
(() => {
  "use strict";
  const data = JSON.parse(document.getElementById("findings-data").textContent);
  const body = document.getElementById("findings-body");
  const status = document.getElementById("findings-status");
  const prev = document.getElementById("findings-prev");
  const next = document.getElementById("findings-next");
  const size = data.page_rows;
  const labels = data.labels;
  // A label with its {} filled, in order.
  const fill = (text, ...args) => args.reduce((t, a) => t.replace("{}", String(a)), text);
  const sevIndex = data.columns.indexOf("severity");
  const filters = data.filters.map((name) => {
    const i = data.columns.indexOf(name);
    const el = document.getElementById("filter-" + name);
    const values = [...new Set(data.rows.map((r) => r[i]))].sort();
    values.forEach((v, k) => {
      const o = document.createElement("option");
      o.value = String(k);
      o.textContent = v === "" ? labels.none : String(v);
      el.appendChild(o);
    });
    return { i, el, values };
  });
  let page = 0;
  const render = () => {
    const rows = data.rows.filter((r) =>
      filters.every((f) => f.el.value === "" || r[f.i] === f.values[Number(f.el.value)]));
    const pages = Math.max(1, Math.ceil(rows.length / size));
    page = Math.min(Math.max(page, 0), pages - 1);
    const frag = document.createDocumentFragment();
    for (const r of rows.slice(page * size, (page + 1) * size)) {
      const tr = document.createElement("tr");
      tr.className = "sev-" + r[sevIndex];
      for (const v of r) {
        const td = document.createElement("td");
        td.textContent = String(v);
        tr.appendChild(td);
      }
      frag.appendChild(tr);
    }
    body.replaceChildren(frag);
    status.textContent = rows.length === 0
      ? labels.no_match
      : fill(labels.status, page * size + 1, Math.min(rows.length, (page + 1) * size), rows.length) +
        (rows.length < data.embedded ? fill(labels.filtered, data.embedded) : "") +
        fill(labels.page, page + 1, pages);
    prev.disabled = page === 0;
    next.disabled = page >= pages - 1;
  };
  for (const f of filters) f.el.addEventListener("change", () => { page = 0; render(); });
  prev.addEventListener("click", () => { page -= 1; render(); });
  next.addEventListener("click", () => { page += 1; render(); });
  render();
  document.body.dataset.findingsTable = "ready";
})();

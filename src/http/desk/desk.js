// The desk's little script: keyboard navigation, and the page viewer
// (zoom, pan, the evidence value's box). Everything works without it
// except the viewer's interaction; the first box is drawn by the server.
"use strict";
(function () {
  const typing = (e) => /^(INPUT|TEXTAREA|SELECT)$/.test(e.target.tagName);

  // ---- queue: j/k to move, Enter to open, click a row to open
  const rows = Array.from(document.querySelectorAll("table.queue tbody tr[data-href]"));
  let cur = -1;
  const setRow = (i) => {
    if (!rows.length) return;
    cur = Math.max(0, Math.min(rows.length - 1, i));
    rows.forEach((r, k) => r.classList.toggle("cur", k === cur));
    rows[cur].scrollIntoView({ block: "nearest" });
  };
  rows.forEach((r) => r.addEventListener("click", (e) => {
    if (e.target.closest("a")) return;
    location.href = r.dataset.href;
  }));

  // ---- application: flagged checks, j/k to move between them
  const flagged = Array.from(document.querySelectorAll("article.check.flagged"));
  let fcur = -1;
  const setFlag = (i) => {
    if (!flagged.length) return;
    fcur = (i + flagged.length) % flagged.length;
    flagged.forEach((a, k) => a.classList.toggle("cur", k === fcur));
    flagged[fcur].scrollIntoView({ block: "center", behavior: "smooth" });
    const first = flagged[fcur].querySelector("button.locate.diff") || flagged[fcur].querySelector("button.locate");
    if (first) select(first, false);
  };

  // ---- the viewer
  const stage = document.getElementById("stage");
  const canvas = document.getElementById("canvas");
  const img = document.getElementById("page");
  const svg = document.getElementById("overlay");
  const title = document.getElementById("vtitle");
  const SVGNS = "http://www.w3.org/2000/svg";
  let scale = 1, tx = 0, ty = 0, focus = null;

  const apply = () => { canvas.style.transform = `translate(${tx}px, ${ty}px) scale(${scale})`; };
  const size = () => [img.naturalWidth || 1, img.naturalHeight || 1];
  const fitScale = () => {
    const [w, h] = size();
    return Math.min(stage.clientWidth / w, stage.clientHeight / h);
  };
  const fit = () => {
    const [w, h] = size();
    scale = fitScale();
    tx = (stage.clientWidth - w * scale) / 2;
    ty = (stage.clientHeight - h * scale) / 2;
    apply();
  };
  // Zoom so the box is comfortably legible, centred in the stage.
  const showBox = (b) => {
    const [w, h] = size();
    const [vw, vh] = svgSize();
    const sx = w / vw, sy = h / vh; // page units → image pixels
    const bw = b[2] * sx, bh = b[3] * sy;
    const f = fitScale();
    scale = Math.max(f, Math.min(stage.clientWidth * 0.55 / bw, stage.clientHeight * 0.3 / bh, f * 3));
    tx = stage.clientWidth / 2 - (b[0] * sx + bw / 2) * scale;
    ty = stage.clientHeight / 2 - (b[1] * sy + bh / 2) * scale;
    apply();
  };
  const svgSize = () => {
    const vb = svg.viewBox.baseVal;
    return vb && vb.width > 1 ? [vb.width, vb.height] : size();
  };
  const zoomAt = (factor, cx, cy) => {
    const ns = Math.max(fitScale() * 0.5, Math.min(scale * factor, 8));
    tx = cx - (cx - tx) * (ns / scale);
    ty = cy - (cy - ty) * (ns / scale);
    scale = ns;
    apply();
  };

  function draw(btn) {
    const [dw, dh] = btn.dataset.size.split(",").map(Number);
    const [w, h] = dw > 0 && dh > 0 ? [dw, dh] : size();
    svg.setAttribute("viewBox", `0 0 ${w} ${h}`);
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    // Every value of this check on this page (of this file), the chosen one highlighted.
    const same = document.querySelectorAll(`button.locate[data-check="${btn.dataset.check}"][data-src="${CSS.escape(btn.dataset.src)}"]`);
    const seen = new Set();
    same.forEach((o) => {
      if (o === btn || seen.has(o.dataset.bbox)) return;
      seen.add(o.dataset.bbox);
      svg.appendChild(rect(o.dataset.bbox, "bx"));
    });
    svg.appendChild(rect(btn.dataset.bbox, "hl"));
  }
  function rect(bbox, cls) {
    const [x, y, w, h] = bbox.split(",").map(Number);
    const r = document.createElementNS(SVGNS, "rect");
    r.setAttribute("x", x); r.setAttribute("y", y); r.setAttribute("width", w); r.setAttribute("height", h);
    r.setAttribute("class", cls);
    return r;
  }
  function select(btn, scroll) {
    if (!stage) return;
    document.querySelectorAll("button.locate.sel").forEach((b) => b.classList.remove("sel"));
    btn.classList.add("sel");
    focus = btn.dataset.bbox.split(",").map(Number);
    title.textContent = `${btn.dataset.check} · ${btn.dataset.file} · ${btn.querySelector(".f").textContent}`;
    canvas.hidden = false;
    const nopage = document.getElementById("nopage");
    if (nopage) nopage.hidden = true;
    const go = () => { draw(btn); showBox(focus); };
    if (img.getAttribute("src") !== btn.dataset.src) {
      img.onload = go;
      img.setAttribute("src", btn.dataset.src);
    } else if (img.complete && img.naturalWidth) {
      go();
    } else {
      img.onload = go;
    }
    if (scroll) btn.scrollIntoView({ block: "nearest" });
  }

  if (stage) {
    document.querySelectorAll("button.locate").forEach((b) => b.addEventListener("click", () => select(b, false)));
    const initial = document.querySelector("article.flagged button.locate.diff") || document.querySelector("article.flagged button.locate");
    if (initial) select(initial, false);
    document.querySelectorAll("[data-zoom]").forEach((b) => b.addEventListener("click", () => {
      const z = b.dataset.zoom;
      if (z === "fit") fit();
      else zoomAt(z === "in" ? 1.25 : 0.8, stage.clientWidth / 2, stage.clientHeight / 2);
    }));
    stage.addEventListener("wheel", (e) => {
      e.preventDefault();
      const r = stage.getBoundingClientRect();
      zoomAt(e.deltaY < 0 ? 1.12 : 0.89, e.clientX - r.left, e.clientY - r.top);
    }, { passive: false });
    let drag = null;
    stage.addEventListener("pointerdown", (e) => {
      drag = { x: e.clientX - tx, y: e.clientY - ty };
      stage.classList.add("drag");
      stage.setPointerCapture(e.pointerId);
    });
    stage.addEventListener("pointermove", (e) => {
      if (!drag) return;
      tx = e.clientX - drag.x; ty = e.clientY - drag.y; apply();
    });
    const end = () => { drag = null; stage.classList.remove("drag"); };
    stage.addEventListener("pointerup", end);
    stage.addEventListener("pointercancel", end);
    window.addEventListener("resize", () => { if (focus) showBox(focus); else fit(); });
  }

  // ---- print
  const printBtn = document.getElementById("print-now");
  if (printBtn) printBtn.addEventListener("click", () => window.print());

  // ---- keys
  document.addEventListener("keydown", (e) => {
    if (typing(e) || e.ctrlKey || e.metaKey || e.altKey) return;
    const k = e.key;
    if (rows.length) {
      if (k === "j") setRow(cur + 1);
      else if (k === "k") setRow(cur - 1);
      else if (k === "Enter" && cur >= 0) location.href = rows[cur].dataset.href;
      else return;
    } else if (flagged.length || stage) {
      if (k === "j") setFlag(fcur + 1);
      else if (k === "k") setFlag(fcur - 1);
      else if ((k === "+" || k === "=") && stage) zoomAt(1.25, stage.clientWidth / 2, stage.clientHeight / 2);
      else if (k === "-" && stage) zoomAt(0.8, stage.clientWidth / 2, stage.clientHeight / 2);
      else if (k === "0" && stage) fit();
      else if (k === "r" && fcur >= 0) {
        const input = flagged[fcur].querySelector("input.reason");
        if (input) input.focus();
      } else return;
    } else return;
    e.preventDefault();
  });
})();

"use strict";
(function () {
  var D = JSON.parse(document.getElementById("data").textContent);
  var $ = function (id) { return document.getElementById(id); };
  var svg = $("map"), sel = $("phase"), info = $("info-body");
  var tbody = document.querySelector("#decisions tbody");
  var zoneEls = Array.prototype.slice.call(svg.querySelectorAll(".z"));
  var groups = Array.prototype.slice.call(svg.querySelectorAll("g.ph"));
  var trackEls = Array.prototype.slice.call(svg.querySelectorAll("g.t"));
  var phase = 0, pinned = null, errors = [];
  window.addEventListener("error", function (e) { errors.push(String(e.message)); });

  function esc(s) {
    return String(s).replace(/[&<>"]/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c];
    });
  }
  function active(z, p) { return p >= z.from && (z.until === null || p < z.until); }
  function list(items) { return "<ul>" + items.map(function (t) { return "<li>" + esc(t) + "</li>"; }).join("") + "</ul>"; }

  function setPhase(p) {
    phase = p;
    sel.value = String(p);
    zoneEls.forEach(function (el) { el.classList.toggle("on", active(D.zones[+el.dataset.i], p)); });
    groups.forEach(function (g) { g.style.display = +g.dataset.p === p ? "" : "none"; });
    var ds = D.decisions[p], permits = 0;
    trackEls.forEach(function (g) {
      var ok = ds[+g.dataset.t].v === "PERMIT";
      g.classList.toggle("permit", ok);
      g.classList.toggle("deny", !ok);
    });
    tbody.textContent = "";
    ds.forEach(function (d, k) {
      if (d.v === "PERMIT") permits++;
      var tr = document.createElement("tr");
      tr.dataset.t = k;
      tr.className = d.v === "PERMIT" ? "permit" : "deny";
      tr.innerHTML = "<td>" + esc(D.tracks[k].id) + "</td><td>" + d.v + "</td><td>" + esc(d.zone || "–") +
        "</td><td>" + esc(d.reasons.join(" ") || "–") + "</td><td>" + esc(d.margin) + "</td>";
      tbody.appendChild(tr);
    });
    $("phase-start").textContent = D.phases[p].start;
    $("counts").textContent = permits + " permit, " + (ds.length - permits) + " deny";
    if (pinned) show(pinned[0], pinned[1]);
  }

  function zoneInfo(i) {
    var z = D.zones[i], on = active(z, phase);
    var h = "<b>" + esc(z.name) + "</b> (" + esc(z.id) + ")<br>" + z.kind + ", " + esc(z.when) +
      " — <b>" + (on ? "active" : "not active") + "</b> in phase " + esc(D.phaseIds[phase]);
    if (z.kind === "exclusion") return h + "<br>Never engage: any track in or touching it is denied.";
    if (z.standoff[phase]) h += "<br>Standoff in this phase: " + esc(z.standoff[phase]);
    h += "<br>Rules:" + list(z.rules);
    return h + "Partners:" + list(D.partners);
  }
  function trackInfo(k) {
    var t = D.tracks[k], d = D.decisions[phase][k];
    var h = "<b>" + esc(t.id) + "</b>: " + esc(t.desc) + "<br>Phase " + esc(D.phaseIds[phase]) +
      ": <b class=\"verdict\">" + d.v + "</b>" + (d.zone ? " · zone " + esc(d.zone) : "") +
      " · margin " + esc(d.margin);
    if (d.excl) h += " · exclusion " + esc(d.excl);
    return h + (d.reasons.length ? "<br>Reasons:" + list(d.reasons) : "<br>No reason to deny.");
  }
  function show(kind, i) {
    info.innerHTML = kind === "z" ? zoneInfo(i) : trackInfo(i);
    var k = kind === "t" ? i : -1;
    trackEls.forEach(function (g) { g.classList.toggle("hl", +g.dataset.t === k); });
    svg.querySelectorAll(".tl text").forEach(function (e) { e.classList.toggle("hl", +e.dataset.t === k); });
    Array.prototype.forEach.call(tbody.rows, function (r) { r.classList.toggle("hl", +r.dataset.t === k); });
    zoneEls.forEach(function (el) { el.classList.toggle("sel", kind === "z" && +el.dataset.i === i); });
  }
  function target(e) {
    var t = e.target.closest ? e.target.closest(".t,.z") : null;
    if (!t) return null;
    return t.classList.contains("t") ? ["t", +t.dataset.t] : ["z", +t.dataset.i];
  }
  svg.addEventListener("mouseover", function (e) { var t = target(e); if (t && !pinned) show(t[0], t[1]); });
  svg.addEventListener("click", function (e) {
    if (moved) return;
    var t = target(e);
    pinned = t;
    if (t) show(t[0], t[1]);
  });
  tbody.addEventListener("click", function (e) {
    var tr = e.target.closest("tr");
    if (!tr) return;
    pinned = ["t", +tr.dataset.t];
    show("t", pinned[1]);
    centre(pinned[1]);
  });
  sel.addEventListener("change", function () { setPhase(+sel.value); });

  // Pan and zoom: the viewBox moves; the drawing is never re-rendered.
  var vb0 = svg.viewBox.baseVal, home = [vb0.x, vb0.y, vb0.width, vb0.height], vb = home.slice();
  var drag = null, moved = false;
  // Labels and track marks keep their size on screen: each is scaled about its anchor.
  var fixed = Array.prototype.slice.call(svg.querySelectorAll(".zl text,.tl text,.t .ci,.t .sq,.pp,.gl text"))
    .map(function (e) {
      var c = e.tagName === "circle", r = e.tagName === "rect", d = e.dataset;
      var x = d.x ? +d.x : +e.getAttribute(c ? "cx" : "x") + (r ? +e.getAttribute("width") / 2 : 0);
      var y = d.y ? +d.y : +e.getAttribute(c ? "cy" : "y") + (r ? +e.getAttribute("height") / 2 : 0);
      return [e, x, y];
    });
  function apply() {
    svg.setAttribute("viewBox", vb.map(function (v) { return v.toFixed(2); }).join(" "));
    var k = Math.min(1, vb[2] / home[2]);
    svg.classList.toggle("zoomed", k < 1);
    scale();
    fixed.forEach(function (f) {
      f[0].setAttribute("transform", k === 1 ? "" : "translate(" + f[1] + " " + f[2] + ") scale(" + k.toFixed(4) + ") translate(" + -f[1] + " " + -f[2] + ")");
    });
  }
  // A scale bar in screen pixels for the current zoom (the drawing's own is hidden when zoomed).
  function scale() {
    var px = Math.min(svg.clientWidth / vb[2], svg.clientHeight / vb[3]) * D.unitsPerKm;
    if (!(px > 0)) return;
    var km = [1000, 500, 200, 100, 50, 20, 10, 5, 2, 1, 0.5].filter(function (k) { return k * px <= 140; })[0] || 0.5;
    $("scalebar").style.width = (km * px).toFixed(1) + "px";
    $("scaletext").textContent = km + " km (true at " + D.scaleLat + "°)";
  }
  function centre(k) {
    var f = fixed.filter(function (f) { return f[0].parentNode === trackEls[k]; })[0];
    if (!f || (f[1] > vb[0] && f[1] < vb[0] + vb[2] && f[2] > vb[1] && f[2] < vb[1] + vb[3])) return;
    vb[0] = f[1] - vb[2] / 2; vb[1] = f[2] - vb[3] / 2;
    apply();
  }
  function zoom(f, cx, cy) {
    var w = Math.min(home[2] * 1.5, Math.max(home[2] / 40, vb[2] * f)), k = w / vb[2];
    vb = [cx - (cx - vb[0]) * k, cy - (cy - vb[1]) * k, vb[2] * k, vb[3] * k];
    apply();
  }
  function point(e) {
    var m = svg.getScreenCTM(), p = svg.createSVGPoint();
    p.x = e.clientX; p.y = e.clientY;
    return m ? p.matrixTransform(m.inverse()) : { x: vb[0] + vb[2] / 2, y: vb[1] + vb[3] / 2 };
  }
  svg.addEventListener("wheel", function (e) {
    e.preventDefault();
    var p = point(e);
    zoom(e.deltaY < 0 ? 0.8 : 1.25, p.x, p.y);
  }, { passive: false });
  svg.addEventListener("pointerdown", function (e) { drag = [e.clientX, e.clientY, vb[0], vb[1]]; moved = false; });
  svg.addEventListener("pointermove", function (e) {
    if (!drag) return;
    var s = vb[2] / svg.clientWidth, dx = e.clientX - drag[0], dy = e.clientY - drag[1];
    if (!moved && Math.abs(dx) + Math.abs(dy) < 4) return;
    moved = true;
    svg.classList.add("drag");
    vb[0] = drag[2] - dx * s; vb[1] = drag[3] - dy * s;
    apply();
  });
  window.addEventListener("pointerup", function () { drag = null; svg.classList.remove("drag"); });
  window.addEventListener("resize", scale);
  scale();
  $("zin").addEventListener("click", function () { zoom(0.67, vb[0] + vb[2] / 2, vb[1] + vb[3] / 2); });
  $("zout").addEventListener("click", function () { zoom(1.5, vb[0] + vb[2] / 2, vb[1] + vb[3] / 2); });
  $("zreset").addEventListener("click", function () { vb = home.slice(); apply(); });

  var hash = location.hash.slice(1), m = /(?:^|&)phase=([^&]*)/.exec(hash);
  var start = m ? D.phaseIds.indexOf(decodeURIComponent(m[1])) : 0;
  setPhase(start < 0 ? 0 : start);

  // #selftest: every phase through the selector, then what the page shows, one line each.
  if (/(^|&)selftest($|&)/.test(hash)) {
    var out = [];
    D.phaseIds.forEach(function (id, p) {
      sel.value = String(p);
      sel.dispatchEvent(new Event("change"));
      var on = zoneEls.filter(function (el) { return el.classList.contains("on"); })
        .map(function (el) { return D.zones[+el.dataset.i].id; });
      out.push("phase " + id + " zones " + on.join(","));
      var g = groups.filter(function (x) { return x.style.display !== "none"; });
      var labels = [];
      g.forEach(function (x) { x.querySelectorAll(".zl text").forEach(function (t) { labels.push(D.zones[+t.dataset.z].id); }); });
      out.push("phase " + id + " labels " + labels.join(","));
      Array.prototype.forEach.call(tbody.rows, function (r) {
        var c = r.cells, k = +r.dataset.t, g2 = trackEls[k];
        var mark = g2.classList.contains("permit") ? "permit" : "deny";
        var shown = getComputedStyle(g2.querySelector(mark === "permit" ? ".ci" : ".sq")).display !== "none";
        out.push("phase " + id + " track " + c[0].textContent + " " + c[1].textContent + " " + c[2].textContent +
          " " + (c[3].textContent.split(" ").join(";")) + " map=" + mark + (shown ? "" : "-hidden"));
        c[0].dispatchEvent(new MouseEvent("click", { bubbles: true }));
        out.push("phase " + id + " rowclick " + c[0].textContent + " hl=" + g2.classList.contains("hl"));
        g2.dispatchEvent(new MouseEvent("click", { bubbles: true }));
        var v = info.querySelector(".verdict");
        out.push("phase " + id + " click " + c[0].textContent + " " + (v ? v.textContent : "none") + " hl=" +
          g2.classList.contains("hl") + " row=" + r.classList.contains("hl"));
      });
      zoneEls.forEach(function (el) {
        if (!el.classList.contains("on")) return;
        el.dispatchEvent(new MouseEvent("click", { bubbles: true }));
        var z = D.zones[+el.dataset.i];
        out.push("phase " + id + " zoneinfo " + z.id + " " + (info.textContent.indexOf(z.id) >= 0) + " active=" +
          (info.textContent.indexOf("not active") < 0));
      });
    });
    pinned = null;
    out.push("errors " + errors.length + (errors.length ? " " + errors.join(" | ") : ""));
    out.push("done");
    var pre = $("selftest");
    pre.textContent = out.join("\n");
    pre.hidden = false;
  }
})();

/// The UI's static files, compiled into the binary: one stylesheet, one hand-written script, an icon.
enum Assets {
    static func response(_ name: String) -> WebResponse? {
        switch name {
        case "app.css": return .text(css, contentType: "text/css; charset=utf-8")
        case "app.js": return .text(script, contentType: "text/javascript; charset=utf-8")
        case "favicon.svg": return .text(icon, contentType: "image/svg+xml")
        default: return nil
        }
    }

    static let icon = """
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#345"/>\
        <text x="4" y="12" font-size="11" fill="#fff">s</text></svg>
        """

    static let css = """
        body { font: 14px/1.45 system-ui, sans-serif; margin: 0; color: #1d232a; background: #fafafa; }
        nav.top { background: #223344; padding: 8px 16px; display: flex; gap: 16px; }
        nav.top a { color: #dde6ee; text-decoration: none; } nav.top a.home { font-weight: bold; color: #fff; }
        main { padding: 12px 20px; max-width: 1400px; }
        h1 { font-size: 22px; margin: 8px 0 12px; } h2 { font-size: 17px; margin: 18px 0 8px; }
        table { border-collapse: collapse; background: #fff; margin-bottom: 8px; }
        th, td { border: 1px solid #dde; padding: 3px 8px; text-align: left; vertical-align: top; }
        th { background: #eef1f4; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
        tr.tied td { background: #f3f8ee; } tr.top td { background: #e4f2d8; }
        .muted { color: #6a737d; } .warn { color: #9a4b00; font-weight: bold; }
        .pill { display: inline-block; padding: 0 6px; border-radius: 8px; background: #e6e9ee; margin-right: 4px; }
        .pill.on { background: #345; color: #fff; } .pill a { color: inherit; text-decoration: none; }
        dl.facts { display: grid; grid-template-columns: max-content auto; gap: 2px 14px; }
        dl.facts dt { color: #6a737d; } dl.facts dd { margin: 0; }
        pre { white-space: pre-wrap; word-break: break-word; background: #fff; border: 1px solid #e1e4e8;
          padding: 6px 8px; margin: 4px 0; max-height: 480px; overflow: auto; font-size: 12.5px; }
        .step { border: 1px solid #d5dae0; border-radius: 4px; background: #fff; margin: 8px 0; padding: 6px 10px; }
        .step.current { border-color: #2a6fdb; box-shadow: 0 0 0 2px #bcd3f7; }
        .step.differs { border-left: 5px solid #d73a49; }
        .step h3 { font-size: 14px; margin: 0 0 4px; } .step .label { color: #6a737d; font-size: 12px; }
        .query { display: none; } body.show-query .query { display: block; }
        .diff .add { color: #116329; background: #e6ffec; display: block; }
        .diff .del { color: #82071e; background: #ffebe9; display: block; }
        .diff .hunk { color: #6f42c1; display: block; } .diff .meta { color: #57606a; font-weight: bold; display: block; }
        .columns { display: grid; grid-template-columns: 1fr 1fr; gap: 14px; }
        .keys { font-size: 12px; color: #6a737d; } kbd { border: 1px solid #ccd; border-radius: 3px; padding: 0 4px; }
        svg.lineage a text { fill: #0b4fa6; } svg.lineage rect { fill: #fff; stroke: #8898aa; }
        svg.lineage rect.retracted { stroke: #d73a49; stroke-dasharray: 4 2; }
        svg.chart { background: #fff; border: 1px solid #e1e4e8; display: block; margin: 4px 0 12px; }
        svg.chart .series { fill: none; stroke: #0b4fa6; stroke-width: 1.2; } svg.chart .point { fill: #0b4fa6; }
        svg.chart .axis { fill: none; stroke: #57606a; } svg.chart .grid { fill: none; stroke: #eef0f3; }
        svg.chart .tick { font-size: 10px; fill: #6a737d; }
        form.filters { margin: 6px 0 10px; } form.filters input, form.filters select { margin-right: 8px; }
        button { cursor: pointer; }
        """

    /// Keyboard navigation (j/k steps, h/l instances), lazy loading of further steps and the model-view toggle.
    /// Reads only the page's own elements and fragments from the same server; never evaluates text.
    static let script = """
        'use strict';
        (function () {
          function steps() { return Array.prototype.slice.call(document.querySelectorAll('.step')); }
          var current = -1;
          function select(i, scroll) {
            var all = steps();
            if (all.length === 0) { return; }
            i = Math.max(0, Math.min(i, all.length - 1));
            if (current >= 0 && all[current]) { all[current].classList.remove('current'); }
            current = i;
            all[i].classList.add('current');
            if (scroll) { all[i].scrollIntoView({ block: 'start' }); }
            var n = all[i].getAttribute('data-step');
            if (n !== null && history.replaceState) { history.replaceState(null, '', '#step=' + n); }
          }
          function more() { return document.getElementById('more-steps'); }
          var loading = null;
          function loadMore() {
            var button = more();
            if (!button) { return Promise.resolve(false); }
            if (loading) { return loading; }
            var src = button.getAttribute('data-src');
            button.disabled = true;
            loading = fetch(src, { headers: { 'Accept': 'text/html' } }).then(function (r) {
              if (!r.ok) { throw new Error('HTTP ' + r.status); }
              return r.text();
            }).then(function (html) {
              var target = document.getElementById('steps');
              var holder = document.createElement('div');
              holder.innerHTML = html;
              var next = holder.querySelector('.next-src');
              while (holder.firstChild) {
                if (holder.firstChild.classList && holder.firstChild.classList.contains('next-src')) {
                  holder.removeChild(holder.firstChild);
                } else {
                  target.appendChild(holder.firstChild);
                }
              }
              if (next) { button.setAttribute('data-src', next.getAttribute('data-next')); button.disabled = false; }
              else { button.parentNode.removeChild(button); }
              loading = null;
              return true;
            });
            return loading;
          }
          function wantedStep() {
            var m = /step=(\\d+)/.exec(location.hash);
            return m ? parseInt(m[1], 10) : null;
          }
          function goToStep(n) {
            var el = document.querySelector('.step[data-step="' + n + '"]');
            if (el) { select(steps().indexOf(el), true); return; }
            if (more()) { loadMore().then(function (ok) { if (ok) { goToStep(n); } }); }
          }
          function follow(rel) {
            var a = document.querySelector('a[rel="' + rel + '"].instance-nav');
            if (a) { location.href = a.href; }
          }
          document.addEventListener('keydown', function (e) {
            if (e.ctrlKey || e.metaKey || e.altKey) { return; }
            var t = e.target;
            if (t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT')) { return; }
            if (!document.getElementById('steps')) { return; }
            if (e.key === 'j') {
              var all = steps();
              if (current + 1 >= all.length && more()) {
                loadMore().then(function () { select(current + 1, true); });
              } else { select(current + 1, true); }
            } else if (e.key === 'k') { select(current - 1, true); }
            else if (e.key === 'h') { follow('prev'); }
            else if (e.key === 'l') { follow('next'); }
            else { return; }
            e.preventDefault();
          });
          document.addEventListener('click', function (e) {
            var t = e.target;
            if (t && t.id === 'more-steps') { loadMore(); }
            if (t && t.id === 'toggle-query') {
              document.body.classList.toggle('show-query');
              t.textContent = document.body.classList.contains('show-query') ? 'Hide what the model saw'
                : 'Show what the model saw';
            }
          });
          document.addEventListener('DOMContentLoaded', function () {
            var n = wantedStep();
            if (n !== null) { goToStep(n); }
            var button = more();
            if (button && 'IntersectionObserver' in window) {
              new IntersectionObserver(function (entries) {
                entries.forEach(function (en) { if (en.isIntersecting && more()) { loadMore(); } });
              }).observe(button);
            }
          });
          window.addEventListener('hashchange', function () { var n = wantedStep(); if (n !== null) { goToStep(n); } });
        })();
        """
}

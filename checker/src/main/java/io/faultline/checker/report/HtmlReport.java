package io.faultline.checker.report;

import io.faultline.checker.Anomaly;
import io.faultline.checker.CheckResult;
import io.faultline.checker.history.Op;
import io.faultline.checker.history.OpType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A self-contained HTML report (inline CSS, JS and SVG; no network): the history as a timeline with one row per
 * process, each op a bar from invocation to completion, every checker's result and anomalies, the anomalies'
 * witness ops highlighted, and a linearizability counterexample's partial linearization numbered on the bars.
 *
 * <p>Works for any {@link CheckResult}: witnesses are op indices ({@link Op#index()}); an anomaly's first witness
 * is its primary op. Rendered elements carry data attributes for tools and tests: each op bar is
 * {@code <g class="op" data-index=INVOKE data-completion=COMPLETION>}, witnesses add class {@code witness}, primary
 * witnesses class {@code violation} and {@code data-violation="true"}, linearized ops {@code data-lin-order=N}.
 */
public final class HtmlReport {
    /** Histories longer than this are shown as a window around the first violation. */
    static final int MAX_EVENTS = 4000;
    private static final int ROW_HEIGHT = 26, LEFT = 90, TOP = 30;

    private HtmlReport() {
    }

    public static String render(List<Op> history, List<CheckResult> results) {
        return render("history", history, results);
    }

    /** The report as one HTML document. */
    public static String render(String title, List<Op> history, List<CheckResult> results) {
        // Pair invocations with completions (by position in the list).
        List<Bar> bars = new ArrayList<>();
        Map<Long, Integer> open = new HashMap<>();
        List<Integer> nemesis = new ArrayList<>();
        Map<Long, Integer> barOfIndex = new HashMap<>();
        for (int pos = 0; pos < history.size(); pos++) {
            Op op = history.get(pos);
            if (op.isNemesis()) {
                nemesis.add(pos);
                continue;
            }
            Integer b = open.get(op.process());
            if (op.type() == OpType.INVOKE) {
                open.put(op.process(), bars.size());
                barOfIndex.put(op.index(), bars.size());
                bars.add(new Bar(op, pos));
            } else if (b != null) {
                open.remove(op.process());
                bars.get(b).completion = op;
                bars.get(b).endPos = pos;
                barOfIndex.put(op.index(), b);
            }
        }

        // Highlights from every result.
        Set<Integer> witnessBars = new HashSet<>();
        Set<Integer> primaryBars = new HashSet<>();
        Map<Integer, Integer> linOrder = new HashMap<>();
        Set<Long> witnessNemesis = new HashSet<>();
        int firstViolationPos = -1;
        for (CheckResult r : results) {
            for (Anomaly a : r.anomalies()) {
                boolean first = true;
                for (Long w : a.witnesses()) {
                    Integer b = barOfIndex.get(w);
                    if (b != null) {
                        witnessBars.add(b);
                        if (first) {
                            primaryBars.add(b);
                            if (firstViolationPos < 0) firstViolationPos = bars.get(b).startPos;
                        }
                    } else {
                        witnessNemesis.add(w);
                    }
                    first = false;
                }
            }
            if (r.details().get("counterexamples") instanceof List<?> cxs && !cxs.isEmpty()
                    && cxs.get(0) instanceof Map<?, ?> cx && cx.get("linearized") instanceof List<?> lin) {
                int n = 1;
                for (Object idx : lin) {
                    Integer b = idx instanceof Number num ? barOfIndex.get(num.longValue()) : null;
                    if (b != null) linOrder.put(b, n);
                    n++;
                }
            }
        }

        // Window: all of it, or MAX_EVENTS around the first violation.
        int centre = firstViolationPos >= 0 ? firstViolationPos : 0;
        final int from = history.size() > MAX_EVENTS ? Math.max(0, centre - MAX_EVENTS / 2) : 0;
        final int to = history.size() > MAX_EVENTS ? Math.min(history.size(), from + MAX_EVENTS) : history.size();

        TreeMap<Long, Integer> rows = new TreeMap<>();
        for (Bar b : bars) if (b.visible(from, to)) rows.putIfAbsent(b.invoke.process(), 0);
        int r = 0;
        for (Long p : rows.keySet()) rows.put(p, r++);
        boolean hasNemesis = nemesis.stream().anyMatch(p -> p >= from && p < to);
        int rowCount = rows.size() + (hasNemesis ? 1 : 0);

        // Short histories get wide bars; long ones 10 px per event and a scroll bar.
        final int PX_PER_EVENT = Math.max(10, Math.min(80, 1200 / Math.max(1, to - from)));
        StringBuilder svg = new StringBuilder();
        int width = LEFT + (to - from + 2) * PX_PER_EVENT;
        int height = TOP + rowCount * ROW_HEIGHT + 10;
        svg.append("<svg xmlns='http://www.w3.org/2000/svg' id='timeline' width='").append(width).append("' height='").append(height).append("'>\n");
        for (var e : rows.entrySet()) {
            int y = TOP + e.getValue() * ROW_HEIGHT;
            svg.append("<text class='lane' x='4' y='").append(y + 16).append("'>process ").append(e.getKey()).append("</text>\n");
            svg.append("<line class='laneline' x1='").append(LEFT).append("' x2='").append(width).append("' y1='").append(y + ROW_HEIGHT - 2)
                    .append("' y2='").append(y + ROW_HEIGHT - 2).append("'/>\n");
        }
        if (hasNemesis) {
            int y = TOP + rows.size() * ROW_HEIGHT;
            svg.append("<text class='lane' x='4' y='").append(y + 16).append("'>nemesis</text>\n");
            for (int pos : nemesis) {
                if (pos < from || pos >= to) continue;
                Op op = history.get(pos);
                int x = LEFT + (pos - from) * PX_PER_EVENT;
                boolean w = witnessNemesis.contains(op.index());
                svg.append("<g class='nemesis").append(w ? " witness" : "").append("' data-index='").append(op.index()).append("'>")
                        .append("<line x1='").append(x).append("' x2='").append(x).append("' y1='").append(TOP).append("' y2='").append(y + ROW_HEIGHT)
                        .append("'/><title>").append(esc(describe(op))).append("</title></g>\n");
            }
        }
        for (int i = 0; i < bars.size(); i++) {
            Bar b = bars.get(i);
            if (!b.visible(from, to)) continue;
            int y = TOP + rows.get(b.invoke.process()) * ROW_HEIGHT;
            int x1 = LEFT + (Math.max(b.startPos, from) - from) * PX_PER_EVENT;
            int end = b.endPos < 0 || b.completion.type() == OpType.INFO ? to + 1 : Math.min(b.endPos, to);
            int x2 = LEFT + (end - from) * PX_PER_EVENT + PX_PER_EVENT / 2;
            String kind = b.completion == null ? "pending" : b.completion.type().jepsenName();
            StringBuilder cls = new StringBuilder("op ").append(kind);
            if (witnessBars.contains(i)) cls.append(" witness");
            if (primaryBars.contains(i)) cls.append(" violation");
            if (linOrder.containsKey(i)) cls.append(" linearized");
            svg.append("<g class='").append(cls).append("' data-index='").append(b.invoke.index()).append("'");
            if (b.completion != null) svg.append(" data-completion='").append(b.completion.index()).append("'");
            if (primaryBars.contains(i)) svg.append(" data-violation='true'");
            if (linOrder.containsKey(i)) svg.append(" data-lin-order='").append(linOrder.get(i)).append("'");
            svg.append("><rect x='").append(x1).append("' y='").append(y + 3).append("' width='").append(Math.max(4, x2 - x1))
                    .append("' height='").append(ROW_HEIGHT - 8).append("' rx='3'/>");
            svg.append("<text x='").append(x1 + 3).append("' y='").append(y + 16).append("'>").append(esc(label(b))).append("</text>");
            if (linOrder.containsKey(i)) {
                svg.append("<text class='ord' x='").append(x2 - 2).append("' y='").append(y + 17).append("'>#").append(linOrder.get(i)).append("</text>");
            }
            svg.append("<title>").append(esc(tooltip(b))).append("</title></g>\n");
        }
        svg.append("</svg>\n");

        StringBuilder html = new StringBuilder(svg.length() + 8192);
        html.append("<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'><title>faultline: ").append(esc(title)).append("</title>\n");
        html.append("<style>").append(CSS).append("</style></head><body>\n");
        html.append("<h1>faultline check: ").append(esc(title)).append("</h1>\n");
        html.append("<p class='meta'>").append(history.size()).append(" history entries, ").append(bars.size()).append(" client ops, ")
                .append(rows.size()).append(" processes shown");
        if (from > 0 || to < history.size()) {
            html.append("; showing entries ").append(from).append("–").append(to - 1).append(" (around the first violation)");
        }
        html.append("</p>\n<section id='results'>\n");
        int anomalyId = 0;
        for (CheckResult res : results) {
            String v = res.verdict().name().toLowerCase(Locale.ROOT);
            html.append("<div class='result ").append(v).append("' data-checker='").append(esc(res.checker())).append("' data-verdict='")
                    .append(v).append("'><h2>").append(esc(res.checker())).append(": <span class='verdict'>").append(v).append("</span></h2>")
                    .append("<p>").append(esc(res.summary())).append("</p>");
            if (!res.anomalies().isEmpty()) {
                html.append("<ol class='anomalies'>");
                int shown = 0;
                for (Anomaly a : res.anomalies()) {
                    if (shown++ == 200) {
                        html.append("<li>… ").append(res.anomalies().size() - 200).append(" more</li>");
                        break;
                    }
                    html.append("<li class='anomaly' id='anomaly-").append(anomalyId++).append("' data-kind='").append(esc(a.kind()))
                            .append("' data-witnesses='").append(joinIdx(a.witnesses())).append("'><b>").append(esc(a.kind())).append("</b> ")
                            .append(esc(a.description())).append(" <span class='w'>ops ").append(esc(abbrev(a.witnesses()))).append("</span></li>");
                }
                html.append("</ol>");
            }
            if (res.details().get("counterexamples") instanceof List<?> cxs) {
                for (Object o : cxs) {
                    if (!(o instanceof Map<?, ?> cx)) continue;
                    html.append("<div class='cx'><h3>Counterexample").append(cx.get("key") == null ? "" : " for key " + esc(String.valueOf(cx.get("key"))))
                            .append("</h3><p>Op <b>").append(cx.get("op")).append("</b> (").append(esc(String.valueOf(cx.get("description"))))
                            .append(") cannot be linearized.</p><p>Concurrent ops: ").append(esc(abbrev(cx.get("concurrent"))))
                            .append("</p><p>Longest linearizable prefix (numbered #1, #2, … on the timeline): <span class='lin'>")
                            .append(esc(abbrev(cx.get("linearized")))).append("</span></p><p>Model state after it: <code>")
                            .append(esc(String.valueOf(cx.get("state")))).append("</code></p></div>");
                }
            }
            html.append("</div>\n");
        }
        html.append("</section>\n<p class='legend'><span class='k ok'>ok</span><span class='k fail'>fail</span><span class='k info'>info / pending</span>")
                .append("<span class='k violation'>violating op</span><span class='k witness'>witness</span> Click an anomaly to highlight its ops.</p>\n");
        html.append("<div id='scroll'>").append(svg).append("</div>\n");
        html.append("<script>").append(JS).append("</script>\n</body></html>\n");
        return html.toString();
    }

    private static final class Bar {
        final Op invoke;
        final int startPos;
        Op completion;
        int endPos = -1;

        Bar(Op invoke, int startPos) {
            this.invoke = invoke;
            this.startPos = startPos;
        }

        boolean visible(int from, int to) {
            int end = endPos < 0 ? Integer.MAX_VALUE : endPos;
            return startPos < to && end >= from;
        }
    }

    private static String label(Bar b) {
        Object v = b.completion != null && b.completion.type() == OpType.OK ? b.completion.value() : b.invoke.value();
        String s = b.invoke.f() + (v == null ? "" : " " + v) + (b.invoke.key() == null ? "" : " @" + b.invoke.key());
        return s.length() > 40 ? s.substring(0, 37) + "…" : s;
    }

    private static String tooltip(Bar b) {
        StringBuilder s = new StringBuilder(describe(b.invoke));
        if (b.completion != null) s.append("\n").append(describe(b.completion));
        else s.append("\nnever completed");
        return s.toString();
    }

    private static String describe(Op op) {
        return "#" + op.index() + " " + op.type().jepsenName() + " " + (op.isNemesis() ? "nemesis" : "process " + op.process()) + " " + op.f()
                + " " + op.value() + (op.key() == null ? "" : " key " + op.key()) + (op.time() >= 0 ? " t=" + op.time() + "ns" : "")
                + (op.extra().isEmpty() ? "" : " " + op.extra());
    }

    private static String joinIdx(List<Long> l) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < l.size() && i < 500; i++) s.append(i == 0 ? "" : " ").append(l.get(i));
        return s.toString();
    }

    private static String abbrev(Object o) {
        String s = String.valueOf(o);
        return s.length() > 600 ? s.substring(0, 600) + "…]" : s;
    }

    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '\'' -> b.append("&#39;");
                case '"' -> b.append("&quot;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    private static final String CSS = """
            body{font:14px system-ui,sans-serif;margin:16px;color:#222}
            h1{font-size:20px} h2{font-size:16px;margin:4px 0} h3{font-size:14px;margin:6px 0}
            .meta,.legend{color:#555}
            .result{border-left:6px solid #999;padding:4px 10px;margin:8px 0;background:#fafafa}
            .result.valid{border-color:#2e7d32} .result.invalid{border-color:#c62828} .result.unknown{border-color:#f9a825}
            .verdict{text-transform:uppercase}
            .anomaly{cursor:pointer} .anomaly.active{background:#ffe0e0}
            .w{color:#777;font-size:12px}
            #scroll{overflow-x:auto;border:1px solid #ddd;background:#fff}
            svg text{font:11px monospace;pointer-events:none}
            .lane{font-weight:bold}
            .laneline{stroke:#eee}
            .op rect{fill:#c8e6c9;stroke:#2e7d32}
            .op.fail rect{fill:#eeeeee;stroke:#9e9e9e}
            .op.info rect,.op.pending rect{fill:#fff3e0;stroke:#ef6c00;stroke-dasharray:4 2}
            .op.witness rect{fill:#ffcdd2;stroke:#c62828;stroke-width:2}
            .op.violation rect{fill:#e53935;stroke:#b71c1c;stroke-width:3}
            .op.violation text{fill:#fff;font-weight:bold}
            .op.linearized rect{stroke:#1565c0;stroke-width:2}
            .op.dim{opacity:.25}
            .ord{fill:#1565c0;font-weight:bold;text-anchor:end}
            .nemesis line{stroke:#8e24aa;stroke-width:2;stroke-dasharray:3 3}
            .nemesis.witness line{stroke:#c62828}
            .k{display:inline-block;padding:0 6px;margin-right:6px;border:1px solid #999}
            .k.ok{background:#c8e6c9}.k.fail{background:#eee}.k.info{background:#fff3e0}.k.violation{background:#e53935;color:#fff}.k.witness{background:#ffcdd2}
            """;

    private static final String JS = """
            (function(){
              var items=document.querySelectorAll('.anomaly');
              items.forEach(function(li){li.addEventListener('click',function(){
                var on=!li.classList.contains('active');
                items.forEach(function(x){x.classList.remove('active');});
                var ws=new Set((li.dataset.witnesses||'').split(' '));
                document.querySelectorAll('#timeline .op').forEach(function(g){
                  var hit=ws.has(g.dataset.index)||ws.has(g.dataset.completion);
                  g.classList.toggle('dim',on&&!hit);
                });
                if(on){li.classList.add('active');
                  var first=document.querySelector('#timeline .op[data-index="'+(li.dataset.witnesses||'').split(' ')[0]+'"]');
                  if(first&&first.scrollIntoView)first.scrollIntoView({block:'nearest',inline:'center'});}
              });});
              var v=document.querySelector('#timeline .violation');
              if(v&&v.scrollIntoView)v.scrollIntoView({block:'nearest',inline:'center'});
            })();
            """;
}

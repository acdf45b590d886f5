package io.faultline.workloads.report;

import io.faultline.checker.history.OpType;
import io.faultline.workloads.report.RunStats.Call;
import io.faultline.workloads.report.RunStats.FaultWindow;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Jepsen's perf plots drawn with XChart as inline SVG: latency points and quantiles, throughput; faults shaded. */
public final class Charts {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    private static final Map<OpType, Color> TYPE_COLORS = Map.of(
            OpType.OK, new Color(0x2b, 0x8a, 0x3e), OpType.FAIL, new Color(0xd9, 0x48, 0x0f),
            OpType.INFO, new Color(0x86, 0x8e, 0x96));
    private static final Color FAULT = new Color(0xff, 0x6b, 0x6b, 60);
    private static final int MAX_POINTS = 20_000;

    private Charts() {}

    /** Latency of every op (points by outcome), with p50/p95/p99 per time bucket as lines. */
    public static String latencySvg(RunStats stats) throws IOException {
        XYChart chart = new XYChartBuilder().width(900).height(380).title("Latency").xAxisTitle("time (s)")
                .yAxisTitle("latency (ms)").build();
        style(chart);
        chart.getStyler().setYAxisLogarithmic(false);
        List<Call> calls = stats.calls().stream().filter(c -> c.completeNanos() >= 0).toList();
        int step = Math.max(1, calls.size() / MAX_POINTS);
        double ymax = 1;
        for (OpType t : List.of(OpType.OK, OpType.FAIL, OpType.INFO)) {
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (int i = 0; i < calls.size(); i += step) {
                Call c = calls.get(i);
                if (c.type() != t) continue;
                xs.add(c.invokeNanos() / 1e9);
                ys.add(c.latencyMs());
                ymax = Math.max(ymax, c.latencyMs());
            }
            if (xs.isEmpty()) continue;
            XYSeries s = chart.addSeries(t.jepsenName() + " (" + stats.count(t) + ")", xs, ys);
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            s.setMarker(SeriesMarkers.CIRCLE);
            s.setMarkerColor(TYPE_COLORS.get(t));
        }
        Map<String, double[][]> q = quantileLines(stats, 1.0);
        Color[] qc = {new Color(0x1c, 0x7e, 0xd6), new Color(0x70, 0x48, 0xe8), new Color(0xae, 0x3e, 0xc9)};
        int qi = 0;
        for (var e : q.entrySet()) {
            if (e.getValue()[0].length == 0) continue;
            XYSeries s = chart.addSeries(e.getKey(), e.getValue()[0], e.getValue()[1]);
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            s.setMarker(SeriesMarkers.NONE);
            s.setLineColor(qc[qi++ % qc.length]);
        }
        shadeFaults(chart, stats, ymax);
        return svg(chart);
    }

    /** Completed ops per second, by outcome. */
    public static String throughputSvg(RunStats stats) throws IOException {
        XYChart chart = new XYChartBuilder().width(900).height(300).title("Throughput").xAxisTitle("time (s)")
                .yAxisTitle("ops/s").build();
        style(chart);
        int buckets = (int) Math.max(1, Math.ceil(stats.endNanos() / 1e9));
        double ymax = 1;
        for (OpType t : List.of(OpType.OK, OpType.FAIL, OpType.INFO)) {
            double[] counts = new double[buckets + 1];
            for (Call c : stats.calls()) {
                if (c.type() != t || c.completeNanos() < 0) continue;
                counts[(int) Math.min(buckets, c.completeNanos() / 1_000_000_000L)]++;
            }
            double[] xs = new double[counts.length];
            for (int i = 0; i < xs.length; i++) {
                xs[i] = i + 0.5;
                ymax = Math.max(ymax, counts[i]);
            }
            XYSeries s = chart.addSeries(t.jepsenName(), xs, counts);
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            s.setMarker(SeriesMarkers.NONE);
            s.setLineColor(TYPE_COLORS.get(t));
        }
        shadeFaults(chart, stats, ymax);
        return svg(chart);
    }

    /** Per-second quantiles of ok latency: name → {xs, ys}. */
    static Map<String, double[][]> quantileLines(RunStats stats, double bucketSeconds) {
        int buckets = (int) Math.max(1, Math.ceil(stats.endNanos() / 1e9 / bucketSeconds));
        List<List<Double>> per = new ArrayList<>();
        for (int i = 0; i <= buckets; i++) per.add(new ArrayList<>());
        for (Call c : stats.calls()) {
            if (c.type() != OpType.OK) continue;
            per.get((int) Math.min(buckets, c.invokeNanos() / 1e9 / bucketSeconds)).add(c.latencyMs());
        }
        Map<String, double[][]> out = new LinkedHashMap<>();
        for (double p : new double[] {0.5, 0.95, 0.99}) {
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (int i = 0; i <= buckets; i++) {
                if (per.get(i).isEmpty()) continue;
                double[] l = per.get(i).stream().mapToDouble(Double::doubleValue).sorted().toArray();
                xs.add((i + 0.5) * bucketSeconds);
                ys.add(RunStats.quantile(l, p));
            }
            out.put("p" + Math.round(p * 100), new double[][] {RunStats.toArray(xs), RunStats.toArray(ys)});
        }
        return out;
    }

    private static void shadeFaults(XYChart chart, RunStats stats, double ymax) {
        int i = 0;
        for (FaultWindow w : stats.faults()) {
            double x0 = w.startNanos() / 1e9;
            double x1 = Math.max(x0 + 0.01, w.endNanos() / 1e9);
            // one polygon per window; only the first is named in the legend
            XYSeries s = chart.addSeries(i == 0 ? "faults (shaded)" : "fault " + i + " " + w.fault(),
                    new double[] {x0, x0, x1, x1}, new double[] {0, ymax, ymax, 0});
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
            s.setMarker(SeriesMarkers.NONE);
            s.setFillColor(FAULT);
            s.setLineColor(FAULT);
            s.setShowInLegend(i == 0);
            i++;
        }
    }

    private static void style(XYChart chart) {
        var st = chart.getStyler();
        st.setChartBackgroundColor(Color.WHITE);
        st.setPlotBackgroundColor(Color.WHITE);
        st.setMarkerSize(3);
        st.setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideE);
        st.setAntiAlias(true);
    }

    private static String svg(XYChart chart) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        VectorGraphicsEncoder.saveVectorGraphic(chart, out, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        String s = out.toString(StandardCharsets.UTF_8);
        int start = s.indexOf("<svg");
        return start >= 0 ? s.substring(start) : s; // drop the XML prolog and doctype for inlining
    }
}

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;

/**
 * Writes bench.sh's report from the benchmarks' machine-readable lines: report.md (Markdown tables: Bulwark beside
 * its raw baseline, the ratio, the issue's goal and whether it was met; the start measure; everything else) and PNG
 * charts (throughput.png, latency.png, start.png) drawn with Java2D, headless. Run as a source file, no build:
 * <pre>java -Djava.awt.headless=true BenchReport.java &lt;results dir&gt; &lt;goals.tsv&gt;</pre>
 * The results directory holds bench-lines.txt (lines {@code BENCH|<suite>|<measure>|key=value|...}) and
 * meta.properties (date, commit, load_before, load_after, java, cores, duration_s, suites, failed).
 * A line with {@code raw=<measure>} is Bulwark's side of a comparison with that line of the same suite; its
 * {@code ratio} is the benchmark's own (else value ÷ raw value). Keys: value, unit, p50_ms, p95_ms, p99_ms, ratio,
 * raw, note; start lines: variant, ready_s, ready_min_s, rss_mb, runs, options.
 */
public final class BenchReport {

    record Line(String suite, String measure, Map<String, String> keys) {
        Optional<Double> number(String key) {
            String v = keys.get(key);
            if (v == null) {
                return Optional.empty();
            }
            try {
                return Optional.of(Double.parseDouble(v.trim()));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }

        String id() {
            return suite + "/" + measure;
        }
    }

    /** A goal of the issue: conditions such as {@code ratio>=0.6 p99_ms<15} on a line's keys, and its wording. */
    record Goal(String suite, String measure, List<String> conditions, String text) {
        private static final Pattern CONDITION =
                Pattern.compile("([a-z0-9_]+)(<=|>=|<|>)([0-9.]+)");

        /** Met, not met, or unknown when a key the goal needs was not printed. */
        String judge(Line line) {
            boolean met = true;
            for (String condition : conditions) {
                Matcher m = CONDITION.matcher(condition);
                if (!m.matches()) {
                    throw new IllegalArgumentException("bad goal condition " + condition);
                }
                String[] parts = {m.group(1), m.group(2), m.group(3)};
                Optional<Double> actual = line.number(parts[0]);
                if (actual.isEmpty()) {
                    return "?";
                }
                double limit = Double.parseDouble(parts[2]);
                met &= switch (parts[1]) {
                    case "<" -> actual.get() < limit;
                    case "<=" -> actual.get() <= limit;
                    case ">" -> actual.get() > limit;
                    case ">=" -> actual.get() >= limit;
                    default -> throw new IllegalArgumentException("bad operator in " + condition);
                };
            }
            return met ? "yes" : "**no**";
        }
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: BenchReport <results dir> <goals.tsv>");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        List<Line> lines = parse(Files.readAllLines(dir.resolve("bench-lines.txt")));
        List<Goal> goals = goals(Files.readAllLines(Path.of(args[1])));
        Properties meta = new Properties();
        try (var in = Files.newBufferedReader(dir.resolve("meta.properties"))) {
            meta.load(in);
        }
        Files.writeString(dir.resolve("report.md"), markdown(lines, goals, meta));
        List<Line[]> pairs = pairs(lines);
        write(throughputChart(pairs), dir.resolve("throughput.png"));
        write(latencyChart(pairs, lines), dir.resolve("latency.png"));
        write(startChart(startLines(lines)), dir.resolve("start.png"));
    }

    static List<Line> parse(List<String> text) {
        List<Line> lines = new ArrayList<>();
        for (String raw : text) {
            String s = raw.strip();
            int at = s.indexOf("BENCH|");
            if (at < 0) {
                continue;
            }
            String[] fields = s.substring(at).split("\\|");
            if (fields.length < 3) {
                continue;
            }
            Map<String, String> keys = new LinkedHashMap<>();
            for (int i = 3; i < fields.length; i++) {
                int eq = fields[i].indexOf('=');
                if (eq > 0) {
                    keys.put(fields[i].substring(0, eq).strip(), fields[i].substring(eq + 1).strip());
                }
            }
            lines.add(new Line(fields[1].strip(), fields[2].strip(), keys));
        }
        return lines;
    }

    static List<Goal> goals(List<String> text) {
        List<Goal> goals = new ArrayList<>();
        for (String row : text) {
            if (row.isBlank() || row.startsWith("#")) {
                continue;
            }
            String[] f = row.split("\t");
            if (f.length != 4) {
                throw new IllegalArgumentException("goals.tsv: four tab-separated columns expected: " + row);
            }
            goals.add(new Goal(f[0], f[1], List.of(f[2].trim().split("\\s+")), f[3]));
        }
        return goals;
    }

    /** Bulwark's line and its raw baseline's, for every line that names one. */
    static List<Line[]> pairs(List<Line> lines) {
        List<Line[]> pairs = new ArrayList<>();
        for (Line line : lines) {
            String raw = line.keys().get("raw");
            if (raw == null) {
                continue;
            }
            Line baseline = lines.stream().filter(l -> l.suite().equals(line.suite()) && l.measure().equals(raw))
                    .findFirst().orElse(null);
            if (baseline != null && !line.keys().containsKey("ratio")) {
                double ratio = line.number("value").orElse(Double.NaN) / baseline.number("value").orElse(Double.NaN);
                if (Double.isFinite(ratio)) {
                    line.keys().put("ratio", String.format(Locale.ROOT, "%.4f", ratio));
                }
            }
            pairs.add(new Line[] {line, baseline});
        }
        return pairs;
    }

    static List<Line> startLines(List<Line> lines) {
        return lines.stream().filter(l -> l.suite().equals("start") && l.keys().containsKey("variant")).toList();
    }

    static double ratio(Line bulwark, Line raw) {
        return bulwark.number("ratio").orElse(Double.NaN);
    }

    static String markdown(List<Line> lines, List<Goal> goals, Properties meta) {
        StringBuilder md = new StringBuilder();
        md.append("# Bulwark benchmark report\n\n");
        md.append("| | |\n|---|---|\n");
        for (String key : List.of("date", "commit", "suites", "duration_s", "java", "cores", "load_before", "load_after",
                "failed")) {
            md.append("| ").append(key.replace('_', ' ')).append(" | ").append(meta.getProperty(key, "")).append(" |\n");
        }
        md.append("\nLoad average is the 1, 5 and 15 minute load of the machine (").append(meta.getProperty("cores", "?"))
                .append(" cores) as bench.sh started and ended: above the core count, other work shared the CPUs and "
                        + "every number below is pessimistic.\n\n");

        List<Line[]> pairs = pairs(lines);
        if (!pairs.isEmpty()) {
            md.append("## Bulwark against the raw infrastructure (same process, same run)\n\n");
            md.append("| suite | measure | Bulwark | raw baseline | ratio | goal (issue 14) | met |\n");
            md.append("|---|---|---|---|---|---|---|\n");
            for (Line[] pair : pairs) {
                Line b = pair[0];
                Line r = pair[1];
                Optional<Goal> goal = goal(goals, b);
                md.append("| ").append(b.suite()).append(" | ").append(b.measure()).append(" | ").append(cell(b))
                        .append(" | ").append(r == null ? "(not printed: " + b.keys().get("raw") + ")"
                                : r.measure() + ": " + cell(r))
                        .append(" | ").append(fmt(ratio(b, r))).append(" | ")
                        .append(goal.map(Goal::text).orElse("")).append(" | ")
                        .append(goal.map(g -> g.judge(b)).orElse("")).append(" |\n");
            }
            md.append("\n![throughput](throughput.png)\n\n![latency](latency.png)\n\n");
        }

        List<Line> start = startLines(lines);
        if (!start.isEmpty()) {
            md.append("## Start to ready and resident memory (deploy/local/startup.sh)\n\n");
            md.append("Wall-clock seconds from the JVM's launch to `/q/health/ready` answering 200 (mean and best of the "
                    + "runs), the CPU seconds the JVM used until then (all threads: depends far less on the machine's "
                    + "load than the wall clock), and its resident memory 2 s after ready; load is the 1-minute load "
                    + "average after the runs.\n\n");
            md.append("| service | variant | ready s (mean) | ready s (best) | CPU s | RSS MB | runs | load | goal | met "
                    + "| JVM options |\n");
            md.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
            for (Line s : start) {
                Optional<Goal> goal = goal(goals, s);
                md.append("| ").append(s.measure()).append(" | ").append(s.keys().get("variant")).append(" | ")
                        .append(s.keys().getOrDefault("ready_s", "")).append(" | ")
                        .append(s.keys().getOrDefault("ready_min_s", "")).append(" | ")
                        .append(s.keys().getOrDefault("cpu_s", "")).append(" | ")
                        .append(s.keys().getOrDefault("rss_mb", "")).append(" | ")
                        .append(s.keys().getOrDefault("runs", "")).append(" | ")
                        .append(s.keys().getOrDefault("load", "")).append(" | ")
                        .append(goal.map(Goal::text).orElse("")).append(" | ")
                        .append(goal.map(g -> g.judge(s)).orElse("")).append(" | ")
                        .append(s.keys().getOrDefault("options", "").isBlank() ? "(none)"
                                : "`" + s.keys().get("options").strip() + "`").append(" |\n");
            }
            md.append("\n![start](start.png)\n\n");
        }

        List<Line> rest = lines.stream().filter(l -> !l.keys().containsKey("raw") && !start.contains(l)
                && pairs.stream().noneMatch(p -> p[1] == l)).toList();
        if (!rest.isEmpty()) {
            md.append("## Other measures\n\n| suite | measure | values |\n|---|---|---|\n");
            for (Line l : rest) {
                md.append("| ").append(l.suite()).append(" | ").append(l.measure()).append(" | ")
                        .append(String.join(", ", l.keys().entrySet().stream()
                                .map(e -> e.getKey() + " " + e.getValue()).toList())).append(" |\n");
            }
            md.append('\n');
        }
        return md.toString();
    }

    static Optional<Goal> goal(List<Goal> goals, Line line) {
        return goals.stream().filter(g -> g.suite().equals(line.suite())
                && (g.measure().equals(line.measure()) || g.measure().equals("*"))).findFirst();
    }

    static String cell(Line l) {
        StringBuilder c = new StringBuilder();
        l.number("value").ifPresent(v -> c.append(fmt(v)).append(' ').append(l.keys().getOrDefault("unit", "")));
        for (String p : List.of("p50_ms", "p95_ms", "p99_ms")) {
            l.number(p).ifPresent(v -> c.append(c.length() > 0 ? ", " : "").append(p.substring(0, 3)).append(' ')
                    .append(fmt(v)).append(" ms"));
        }
        if (l.keys().containsKey("note")) {
            c.append(" (").append(l.keys().get("note")).append(')');
        }
        return c.toString().strip();
    }

    static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "";
        }
        double a = Math.abs(v);
        String f = a >= 100 ? "%,.0f" : a >= 10 ? "%.1f" : a >= 1 ? "%.2f" : "%.3f";
        return String.format(Locale.ROOT, f, v);
    }

    // ---- charts: one row per comparison, each row on its own scale (units differ), values written on the bars ----

    private static final Color BULWARK = new Color(0x1f77b4);
    private static final Color RAW = new Color(0xaaaaaa);
    private static final Color GOAL = new Color(0xd62728);
    private static final int WIDTH = 1100;
    private static final int LABEL = 330;

    static BufferedImage throughputChart(List<Line[]> pairs) {
        List<Line[]> rows = pairs.stream().filter(p -> p[0].keys().getOrDefault("unit", "").endsWith("/s")
                && p[0].number("value").isPresent()).toList();
        int rowHeight = 54;
        BufferedImage image = canvas(rowHeight * Math.max(1, rows.size()) + 90);
        Graphics2D g = image.createGraphics();
        setup(g);
        title(g, "Throughput: Bulwark (blue) beside its raw baseline (grey), each row on its own scale");
        int y = 60;
        for (Line[] p : rows) {
            double b = p[0].number("value").orElse(0.0);
            double r = p[1] == null ? 0 : p[1].number("value").orElse(0.0);
            double max = Math.max(b, r);
            label(g, p[0].suite() + " " + p[0].measure(), y + 16);
            label(g, "ratio " + fmt(ratio(p[0], p[1])), y + 36);
            bar(g, y + 4, b / max, BULWARK, fmt(b) + " " + p[0].keys().getOrDefault("unit", ""));
            if (p[1] != null) {
                bar(g, y + 26, r / max, RAW, fmt(r) + " " + p[1].keys().getOrDefault("unit", "") + " (raw)");
            }
            y += rowHeight;
        }
        if (rows.isEmpty()) {
            label(g, "no throughput measured in this run", y + 16);
        }
        g.dispose();
        return image;
    }

    static BufferedImage latencyChart(List<Line[]> pairs, List<Line> lines) {
        List<Line> rows = new ArrayList<>();
        for (Line[] p : pairs) {
            for (Line l : p) {
                if (l != null && l.number("p50_ms").isPresent() && !rows.contains(l)) {
                    rows.add(l);
                }
            }
        }
        int rowHeight = 66;
        BufferedImage image = canvas(rowHeight * Math.max(1, rows.size()) + 90);
        Graphics2D g = image.createGraphics();
        setup(g);
        title(g, "Latency percentiles p50 / p95 / p99 in ms (blue: Bulwark, grey: raw baseline), one scale per suite");
        Map<String, Double> maxPerSuite = new LinkedHashMap<>();
        for (Line l : rows) {
            double m = l.number("p99_ms").or(() -> l.number("p95_ms")).orElse(l.number("p50_ms").orElse(0.0));
            maxPerSuite.merge(l.suite(), m, Math::max);
        }
        int y = 60;
        for (Line l : rows) {
            boolean raw = !l.keys().containsKey("raw");
            label(g, l.suite() + " " + l.measure(), y + 16);
            double max = maxPerSuite.get(l.suite());
            int dy = 0;
            for (String p : List.of("p50_ms", "p95_ms", "p99_ms")) {
                Optional<Double> v = l.number(p);
                if (v.isPresent()) {
                    bar(g, y + dy, v.get() / max, raw ? RAW : BULWARK, p.substring(0, 3) + " " + fmt(v.get()) + " ms");
                    dy += 19;
                }
            }
            y += rowHeight;
        }
        if (rows.isEmpty()) {
            label(g, "no latency percentiles measured in this run", y + 16);
        }
        g.dispose();
        return image;
    }

    static BufferedImage startChart(List<Line> start) {
        int rowHeight = 44;
        BufferedImage image = canvas(rowHeight * Math.max(1, start.size()) + 110);
        Graphics2D g = image.createGraphics();
        setup(g);
        title(g, "Start to ready (blue, goal 1.5 s in red) and RSS (grey, goal 200 MB in red) per service and variant");
        double maxReady = Math.max(1.5, start.stream().mapToDouble(s -> s.number("ready_s").orElse(0.0)).max().orElse(0)) * 1.05;
        double maxRss = Math.max(200, start.stream().mapToDouble(s -> s.number("rss_mb").orElse(0.0)).max().orElse(0)) * 1.05;
        int y = 70;
        for (Line s : start) {
            label(g, s.measure() + " " + s.keys().get("variant"), y + 22);
            double ready = s.number("ready_s").orElse(0.0);
            double rss = s.number("rss_mb").orElse(0.0);
            bar(g, y + 4, ready / maxReady, BULWARK, fmt(ready) + " s");
            bar(g, y + 24, rss / maxRss, RAW, fmt(rss) + " MB");
            y += rowHeight;
        }
        int span = WIDTH - LABEL - 30;
        g.setColor(GOAL);
        g.setStroke(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f, new float[] {6f, 4f}, 0f));
        int readyX = LABEL + (int) (span * 1.5 / maxReady);
        int rssX = LABEL + (int) (span * 200 / maxRss);
        g.drawLine(readyX, 56, readyX, y);
        g.drawLine(rssX, 56, rssX, y);
        g.drawString("1.5 s", readyX + 3, 52);
        g.drawString("200 MB", rssX + 3, 40);
        if (start.isEmpty()) {
            label(g, "start not measured in this run", y + 16);
        }
        g.dispose();
        return image;
    }

    private static BufferedImage canvas(int height) {
        BufferedImage image = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, height);
        g.dispose();
        return image;
    }

    private static void setup(Graphics2D g) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    }

    private static void title(Graphics2D g, String text) {
        g.setColor(Color.BLACK);
        g.setFont(g.getFont().deriveFont(Font.BOLD, 15f));
        g.drawString(text, 12, 28);
        g.setFont(g.getFont().deriveFont(Font.PLAIN, 13f));
    }

    private static void label(Graphics2D g, String text, int baseline) {
        g.setColor(Color.BLACK);
        String shown = text.length() > 46 ? text.substring(0, 45) + "…" : text;
        g.drawString(shown, 12, baseline);
    }

    /** A bar from the label column, {@code fraction} of the plot width long, with its value written after it. */
    private static void bar(Graphics2D g, int top, double fraction, Color color, String text) {
        int span = WIDTH - LABEL - 30;
        double f = Double.isFinite(fraction) ? Math.max(0, Math.min(1, fraction)) : 0;
        int length = Math.max(2, (int) (span * f));
        g.setColor(color);
        g.fillRect(LABEL, top, length, 16);
        g.setColor(Color.BLACK);
        int x = LABEL + length + 6;
        int textWidth = g.getFontMetrics().stringWidth(text);
        if (x + textWidth > WIDTH - 4) {
            x = LABEL + 6;
            g.setColor(Color.WHITE);
        }
        g.drawString(text, x, top + 13);
    }

    private static void write(BufferedImage image, Path file) throws IOException {
        if (!ImageIO.write(image, "png", file.toFile())) {
            throw new IOException("no PNG writer");
        }
    }
}

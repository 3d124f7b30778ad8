package dev.bulwark.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * bench.sh's report writer (deploy/local/bench/BenchReport.java, run as a source file as bench.sh runs it) on a
 * sample of the benchmarks' machine-readable lines mixed with Maven's output.
 */
class BenchReportTest {

  static final Path BENCH = LocalScriptsTest.LOCAL.resolve("bench");

  @Test
  void writesTablesWithRatiosAndGoalsAndThreeCharts() throws Exception {
    Path dir = Files.createTempDirectory("bench-report");
    Files.write(dir.resolve("bench-lines.txt"), List.of(
        "[INFO] Running dev.bulwark.relay.bench.ObserveBenchmark",
        "BENCH|backbone|rest-send-receive|value=1500|unit=msg/s|p50_ms=4.00|p99_ms=12.00|raw=amqp-confirm-each",
        "BENCH|backbone|amqp-confirm-each|value=2000|unit=msg/s|p50_ms=1.50|p99_ms=3.00",
        "BENCH|relay|observe|raw=sql-one-statement|value=50.0|unit=req/s|p50_ms=18.00|p95_ms=22.00|p99_ms=30.00",
        "BENCH|relay|sql-one-statement|value=67.0|unit=req/s|p50_ms=15.00|p95_ms=17.00|p99_ms=19.00",
        "BENCH|engine|in-engine|value=30.2|unit=exec/s|p50_ms=240.0|p99_ms=376.0|raw=raw-claim|ratio=0.485",
        "BENCH|dispatcher|lanes-order|note=kept for every key, none lost, 0 duplicate(s)",
        "BENCH|start|relay-service|variant=jdk17|ready_s=3.10|ready_min_s=2.90|cpu_s=6.20|rss_mb=240|runs=3|load=1.2|options=",
        "BENCH|start|relay-service|variant=jdk25-aot+heap|ready_s=1.20|ready_min_s=1.10|cpu_s=2.40|rss_mb=150|runs=3"
            + "|load=1.3|options=-XX:AOTCache=/x/app.aot -XX:+UseSerialGC"));
    Files.write(dir.resolve("meta.properties"), List.of("date=20261201T080000Z", "commit=abc1234", "cores=2",
        "load_before=0.50 0.40 0.30", "load_after=1.80 0.90 0.50", "suites=backbone relay engine start",
        "duration_s=600", "java=openjdk 17", "failed=none"));

    run(dir);

    String report = Files.readString(dir.resolve("report.md"));
    // The ratio is computed when the benchmark printed none; a goal is judged on every key it names.
    assertThat(report).contains("| backbone | rest-send-receive | 1,500 msg/s, p50 4.00 ms, p99 12.0 ms | "
        + "amqp-confirm-each: 2,000 msg/s, p50 1.50 ms, p99 3.00 ms | 0.750 | ≥ 0.6 of raw, p99 < 15 ms | yes |");
    assertThat(report).contains("| relay | observe | 50.0 req/s, p50 18.0 ms, p95 22.0 ms, p99 30.0 ms | "
        + "sql-one-statement: 67.0 req/s, p50 15.0 ms, p95 17.0 ms, p99 19.0 ms | 0.746 | p50 < 10 ms, ≥ 1.0 of raw | **no** |");
    // A baseline the run did not print is named, not invented; the benchmark's own ratio is kept.
    assertThat(report).contains("| engine | in-engine | 30.2 exec/s, p50 240 ms, p99 376 ms | (not printed: raw-claim) | 0.485 |");
    assertThat(report).contains("| relay-service | jdk17 | 3.10 | 2.90 | 6.20 | 240 | 3 | 1.2 | < 1.5 s and < 200 MB | **no** | (none) |");
    assertThat(report).contains("| relay-service | jdk25-aot+heap | 1.20 | 1.10 | 2.40 | 150 | 3 | 1.3 | < 1.5 s and < 200 MB | yes "
        + "| `-XX:AOTCache=/x/app.aot -XX:+UseSerialGC` |");
    assertThat(report).contains("| dispatcher | lanes-order | note kept for every key, none lost, 0 duplicate(s) |");
    assertThat(report).contains("| load before | 0.50 0.40 0.30 |").contains("| load after | 1.80 0.90 0.50 |");
    assertThat(report).doesNotContain("Running dev.bulwark");
    for (String chart : List.of("throughput.png", "latency.png", "start.png")) {
      assertThat(report).contains("(" + chart + ")");
      BufferedImage image = ImageIO.read(dir.resolve(chart).toFile());
      assertThat(image).as(chart).isNotNull();
      assertThat(image.getWidth()).isEqualTo(1100);
      assertThat(image.getHeight()).isGreaterThan(150);
    }
  }

  private static void run(Path dir) throws IOException, InterruptedException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process process = new ProcessBuilder(java.toString(), "-Djava.awt.headless=true",
        BENCH.resolve("BenchReport.java").toString(), dir.toString(), BENCH.resolve("goals.tsv").toString())
        .redirectErrorStream(true).start();
    assertThat(process.waitFor(5, TimeUnit.MINUTES)).as("BenchReport finished").isTrue();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.exitValue()).as(output).isZero();
  }
}

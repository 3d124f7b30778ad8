package dev.bulwark.e2e.faults;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/** The fault suite's report, Markdown: one table row per fault and load, then what was lost, by id. */
final class Report {

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final String HEADER = "| fault | load | accepted | completed | lost | duplicated | refused | owed at fault | recovery |\n"
            + "|---|---|---:|---:|---:|---:|---:|---:|---:|\n";

    private Report() {
    }

    static String seconds(Duration duration) {
        return duration == null ? "—" : String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
    }

    static String scenario(FaultSuite.Scenario scenario) {
        return "## " + scenario.fault() + "\n\n" + CLOCK.format(scenario.at()) + " UTC: " + scenario.detail()
                + " (" + seconds(scenario.length()) + ")\n\n" + HEADER + rows(scenario) + lost(scenario);
    }

    private static String rows(FaultSuite.Scenario scenario) {
        StringBuilder out = new StringBuilder();
        for (Tally.Row row : scenario.rows()) {
            out.append(String.format(Locale.ROOT, "| %s | %s | %d | %d | %d | %d | %d | %d | %s |%n", scenario.fault(),
                    row.stream(), row.accepted(), row.completed(), row.lost(), row.duplicated(), row.refused(),
                    scenario.owedAtFault().getOrDefault(row.stream(), 0), seconds(row.recovery())));
        }
        return out.toString();
    }

    private static String lost(FaultSuite.Scenario scenario) {
        StringBuilder out = new StringBuilder();
        for (Tally.Row row : scenario.rows()) {
            for (String sample : row.lostSamples()) {
                out.append("- lost (").append(row.stream()).append("): ").append(sample).append('\n');
            }
        }
        return out.isEmpty() ? "" : "\n" + out;
    }

    static String markdown(List<FaultSuite.Scenario> scenarios, Duration total, Duration load, Duration faultAt,
            Duration settle, Duration outage) {
        StringBuilder out = new StringBuilder("# Fault suite report\n\n");
        out.append(String.format(Locale.ROOT, "%d scenarios in %s. Each: %d s of load, the fault at %d s "
                        + "(infrastructure down %d s), then up to %d s for everything accepted to complete.%n%n",
                scenarios.size(), seconds(total), load.toSeconds(), faultAt.toSeconds(), outage.toSeconds(),
                settle.toSeconds()));
        out.append("Columns: accepted = the suite took it (202, or the broker acknowledged the record); completed = "
                + "it reached its end (execution FINISHED, message received, reply on Kafka, run FINISHED, a "
                + "terminal event per session); lost = accepted and not completed (must be 0); duplicated = "
                + "deliveries beyond the first, action attempts beyond the first, terminal events beyond one per "
                + "session; refused = asked and not accepted (an error answer: nothing owed); owed at fault = "
                + "accepted and not yet completed when the fault hit; recovery = from the fault to the first "
                + "success again (the first completion of an item asked for after the fault and after the last refusal "
                + "that followed it).\n\n");
        out.append(HEADER);
        scenarios.forEach(s -> out.append(rows(s)));
        out.append("\n## Faults\n\n");
        for (FaultSuite.Scenario s : scenarios) {
            out.append("- ").append(s.fault()).append(", ").append(CLOCK.format(s.at())).append(" UTC: ")
                    .append(s.detail()).append(" (").append(seconds(s.length())).append(")\n");
        }
        String lost = scenarios.stream().map(Report::lost).reduce("", String::concat);
        out.append("\n## Lost\n").append(lost.isEmpty() ? "\nNothing.\n" : lost);
        return out.toString();
    }
}

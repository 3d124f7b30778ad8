package dev.bulwark.orchestrator.outcome.domain;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.bulwark.orchestrator.run.domain.SessionResult;
import dev.bulwark.orchestrator.run.persistence.TesterSession;
import dev.bulwark.orchestrator.tester.domain.Finding;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Writes the outcomes of a run as one zip (stored with the run): {@code run.json}, and per tester
 * {@code <tester>/findings.json}, {@code <tester>/junit.xml} (a failure per finding, so CI systems show them) and
 * {@code <tester>/report.md}.
 */
@ApplicationScoped
public class OutcomesArchive {

    private final ObjectMapper json;

    OutcomesArchive(ObjectMapper mapper) {
        this.json = mapper.copy().enable(SerializationFeature.INDENT_OUTPUT);
    }

    /** Summary of the run written beside the findings. */
    public record RunSummary(UUID id, String target, String status, Instant startedAt, Instant finishedAt) {
    }

    public byte[] write(RunSummary run, List<SessionResult> results) {
        Map<String, List<SessionResult>> byTester = results.stream()
                .collect(Collectors.groupingBy(SessionResult::tester, LinkedHashMap::new, Collectors.toList()));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("run", run);
            summary.put("sessions", results.stream().map(r -> Map.of("tester", r.tester(), "session", r.session(),
                    "status", r.status().name(), "findings", r.findings().size(),
                    "message", r.message() == null ? "" : r.message())).toList());
            entry(zip, "run.json", json.writeValueAsBytes(summary));
            for (var tester : byTester.entrySet()) {
                entry(zip, tester.getKey() + "/findings.json", json.writeValueAsBytes(findingsJson(tester.getValue())));
                entry(zip, tester.getKey() + "/junit.xml", junit(tester.getKey(), tester.getValue()));
                entry(zip, tester.getKey() + "/report.md", markdown(run, tester.getKey(), tester.getValue())
                        .getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the outcomes of run " + run.id(), e);
        }
        return bytes.toByteArray();
    }

    private static List<Map<String, Object>> findingsJson(List<SessionResult> sessions) {
        return sessions.stream().map(s -> {
            Map<String, Object> session = new LinkedHashMap<>();
            session.put("session", s.session());
            session.put("status", s.status().name());
            if (s.message() != null) {
                session.put("message", s.message());
            }
            session.put("findings", s.findings());
            return session;
        }).toList();
    }

    private static void entry(ZipOutputStream zip, String name, byte[] content) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(content);
        zip.closeEntry();
    }

    static byte[] junit(String tester, List<SessionResult> sessions) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(bytes, "UTF-8");
            xml.writeStartDocument("UTF-8", "1.0");
            xml.writeStartElement("testsuites");
            xml.writeAttribute("name", "bulwark " + tester);
            xml.writeAttribute("tests", String.valueOf(sessions.stream().mapToInt(s -> cases(s)).sum()));
            xml.writeAttribute("failures", String.valueOf(sessions.stream().mapToInt(s -> s.findings().size()).sum()));
            xml.writeAttribute("errors", String.valueOf(sessions.stream().filter(s -> failed(s)).count()));
            for (SessionResult session : sessions) {
                xml.writeStartElement("testsuite");
                xml.writeAttribute("name", tester + "." + session.session());
                xml.writeAttribute("tests", String.valueOf(cases(session)));
                xml.writeAttribute("failures", String.valueOf(session.findings().size()));
                xml.writeAttribute("errors", failed(session) ? "1" : "0");
                xml.writeStartElement("testcase");
                xml.writeAttribute("classname", tester + "." + session.session());
                xml.writeAttribute("name", "session completed");
                if (failed(session)) {
                    xml.writeStartElement("error");
                    xml.writeAttribute("type", session.status().name());
                    xml.writeAttribute("message", String.valueOf(session.message()));
                    xml.writeEndElement();
                }
                xml.writeEndElement();
                for (Finding finding : session.findings()) {
                    xml.writeStartElement("testcase");
                    xml.writeAttribute("classname", tester + "." + session.session() + "." + finding.kind());
                    xml.writeAttribute("name", finding.title() + " at " + finding.location());
                    xml.writeStartElement("failure");
                    xml.writeAttribute("type", finding.severity().name());
                    xml.writeAttribute("message", finding.title());
                    xml.writeCharacters(finding.evidence());
                    xml.writeEndElement();
                    xml.writeEndElement();
                }
                xml.writeEndElement();
            }
            xml.writeEndElement();
            xml.writeEndDocument();
            xml.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("Cannot write the JUnit report of " + tester, e);
        }
        return bytes.toByteArray();
    }

    private static int cases(SessionResult session) {
        return 1 + session.findings().size();
    }

    private static boolean failed(SessionResult session) {
        return session.status() != TesterSession.Status.FINISHED;
    }

    static String markdown(RunSummary run, String tester, List<SessionResult> sessions) {
        StringBuilder md = new StringBuilder();
        md.append("# Bulwark `").append(tester).append("` tester report\n\n")
                .append("- Run: `").append(run.id()).append("`\n")
                .append("- Target: ").append(run.target()).append("\n")
                .append("- Run status: ").append(run.status()).append("\n")
                .append("- Started: ").append(run.startedAt()).append(", finished: ").append(run.finishedAt())
                .append("\n\n");
        for (SessionResult session : sessions) {
            md.append("## Session `").append(session.session()).append("`: ").append(session.status());
            if (session.message() != null) {
                md.append(" (").append(cell(session.message())).append(")");
            }
            md.append("\n\n");
            if (session.findings().isEmpty()) {
                md.append("No findings.\n\n");
                continue;
            }
            md.append(session.findings().size()).append(" finding(s).\n\n")
                    .append("| severity | check | finding | where | evidence |\n|---|---|---|---|---|\n");
            session.findings().stream()
                    .sorted((a, b) -> a.severity().compareTo(b.severity()))
                    .forEach(f -> md.append("| ").append(f.severity()).append(" | `").append(f.kind()).append("` | ")
                            .append(cell(f.title())).append(" | ").append(cell(f.location())).append(" | ")
                            .append(cell(f.evidence())).append(" |\n"));
            md.append('\n');
        }
        return md.toString();
    }

    /** Markdown table cells cannot hold pipes, newlines or raw HTML from the target. */
    private static String cell(String text) {
        return text.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")
                .replaceAll("[\\r\\n]+", " ");
    }
}

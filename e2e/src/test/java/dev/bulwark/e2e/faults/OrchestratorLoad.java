package dev.bulwark.e2e.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Test runs started through REST ({@code POST /api/v1/test-runs}, an {@code Api} job with the {@code app} tester)
 * against a small web application this class serves on 127.0.0.1:{@code targetPort} (on run.sh's egress
 * allow-list), never more than the organisation's 3 active runs at once. Runs: completed = FINISHED. Events: a
 * finished run's feedback ({@code …/feedback/{tester}/poll}) must hold a terminal event for each of its sessions;
 * terminal events beyond that count as duplicates.
 */
final class OrchestratorLoad extends Load {

    private static final int MAX_ACTIVE = 3;
    private static final Set<String> ENDED = Set.of("FINISHED", "FAILED", "CANCELLED");

    private final Suite suite;
    private final HttpServer target;
    private final int targetPort;
    private final Map<String, String> runs = new ConcurrentHashMap<>();
    private final Set<String> active = ConcurrentHashMap.newKeySet();
    private Tally runTally;
    private Tally eventTally;

    OrchestratorLoad(Suite suite, int targetPort) throws IOException {
        super("or", Duration.ofSeconds(1));
        this.suite = suite;
        this.targetPort = targetPort;
        target = HttpServer.create(new InetSocketAddress("127.0.0.1", targetPort), 50);
        byte[] page = "<!doctype html><title>Fault suite target</title><h1>Sign in</h1>\n"
                .getBytes(StandardCharsets.UTF_8);
        target.createContext("/", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        target.start();
    }

    @Override
    void start(String scenario) {
        runTally = new Tally("orchestrator runs");
        eventTally = new Tally("orchestrator events");
        runs.clear();
        active.clear();
        super.start(scenario);
    }

    @Override
    List<Tally> tallies() {
        return List.of(runTally, eventTally);
    }

    @Override
    protected void produce(String id) {
        if (active.size() >= MAX_ACTIVE) {
            return;
        }
        Map<String, Object> job = Map.of("data", Map.of("type", "Api", "attributes", Map.of(
                        "sutAuthentication", Map.of("emissaryAuthenticationStrategy", "NoAuthentication"),
                        "sutIp", "127.0.0.1", "sutPort", targetPort, "sutProtocol", "http")),
                "included", List.of(Map.of("type", "appScanner", "id", "faults", "attributes", Map.of())));
        Instant asked = Instant.now();
        Suite.Answer answer = suite.call("POST", Suite.ORCHESTRATOR + "/api/v1/test-runs?medium=lp", suite.admin(),
                job, "application/vnd.api+json", Duration.ofSeconds(15));
        if (answer.status() == 202) {
            runs.put(id, answer.body().path("id").asText());
            active.add(id);
            runTally.accepted(id, asked);
            eventTally.accepted(id, asked);
        } else {
            runTally.refused();
        }
    }

    @Override
    void check() {
        for (String id : runTally.pending()) {
            Suite.Answer answer = suite.call("GET", Suite.ORCHESTRATOR + "/api/v1/test-runs/" + runs.get(id),
                    suite.admin(), null);
            if (!answer.ok()) {
                continue;
            }
            JsonNode run = answer.body();
            String status = run.path("status").asText();
            if (!ENDED.contains(status)) {
                continue;
            }
            active.remove(id);
            if (status.equals("FINISHED")) {
                runTally.completed(id, Suite.time(run.path("finishedAt")));
            } else {
                runTally.failed(id, "run " + runs.get(id) + " " + status + ": " + run.path("testers"));
                eventTally.failed(id, "its run ended " + status);
            }
        }
        for (String id : eventTally.pending()) {
            if (!active.contains(id) && runTally.acceptedIds().contains(id)) {
                feedback(id);
            }
        }
    }

    /** Reads every tester's feedback of a finished run; complete when each session has its terminal event. */
    private void feedback(String id) {
        String run = runs.get(id);
        Suite.Answer answer = suite.call("GET", Suite.ORCHESTRATOR + "/api/v1/test-runs/" + run, suite.admin(), null);
        if (!answer.ok()) {
            return;
        }
        int sessions = 0;
        int terminal = 0;
        Set<String> ended = new HashSet<>();
        for (JsonNode tester : answer.body().path("testers")) {
            if (tester.path("sessions").isEmpty()) {
                continue;
            }
            sessions += tester.path("sessions").size();
            String cursor = null;
            boolean done = false;
            for (int page = 0; page < 50 && !done; page++) {
                Suite.Answer poll = suite.call("GET", Suite.ORCHESTRATOR + "/api/v1/test-runs/" + run + "/feedback/"
                        + tester.path("name").asText() + "/poll?wait=0" + (cursor == null ? "" : "&after=" + cursor),
                        suite.admin(), null);
                if (!poll.ok()) {
                    return; // not readable now: tried again at the next check
                }
                for (JsonNode event : poll.body().path("events")) {
                    String type = event.path("type").asText();
                    if (type.equals("finished") || type.equals("failed")) {
                        terminal++;
                        ended.add(event.path("session").asText());
                    }
                }
                cursor = poll.body().path("cursor").asText(null);
                done = poll.body().path("done").asBoolean();
            }
            if (!done) {
                return;
            }
        }
        if (sessions > 0 && ended.size() >= sessions) {
            eventTally.completed(id, Instant.now());
            eventTally.extraWork(terminal - ended.size());
        }
    }

    @Override
    public void close() {
        target.stop(0);
    }
}

package dev.bulwark.workflow.app.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.sun.net.httpserver.HttpServer;
import dev.bulwark.workflow.testing.TestOrg;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Issue 13 item 2: the import never fetches a URL or reads a file a {@code $ref} names. */
@QuarkusTest
class OpenApiReferencesTest {

    private static String specReferring(String ref) {
        return """
                {"openapi": "3.0.3", "info": {"title": "Refs", "version": "1.0.0"},
                 "servers": [{"url": "https://api.example.org"}],
                 "paths": {"/things": {"post": {"operationId": "addThing",
                   "requestBody": {"content": {"application/json": {"schema": {"$ref": "%s"}}}}}}}}"""
                .formatted(ref);
    }

    @Test
    void fileParentDirectoryAndHttpReferencesAreRefusedUnread() throws IOException {
        TestOrg org = TestOrg.create();
        String marker = "secret-content-" + UUID.randomUUID();
        Path dir = Files.createTempDirectory("openapi-ref");
        Path file = dir.resolve("x.json");
        Files.writeString(file, "{\"type\": \"object\", \"description\": \"" + marker + "\"}");
        AtomicInteger requests = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            byte[] body = ("{\"type\": \"object\", \"description\": \"" + marker + "\"}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            String http = "http://127.0.0.1:" + server.getAddress().getPort() + "/schema.json";
            String parent = "../../" + dir.getFileName() + "/x.json";
            for (String ref : new String[] {file.toString(), "file://" + file, parent, http, http + "#/Thing"}) {
                String answer = org.user().body(specReferring(ref)).when().post("/api/v1/apps/openapi")
                        .then().statusCode(400)
                        .body("detail", equalTo("The spec refers to '" + ref + "': only references inside the "
                                + "document ('#/…') are allowed; external and file references are never read"))
                        .extract().asString();
                assertThat(answer).as(ref).doesNotContain(marker);
            }
            // The same in YAML.
            org.user().contentType("application/yaml").body(("openapi: 3.0.3\ninfo: {title: Refs, version: 1.0.0}\n"
                            + "servers: [{url: 'https://api.example.org'}]\npaths:\n  /things:\n    get:\n"
                            + "      operationId: list\n      parameters:\n        - $ref: '" + http + "'\n")
                            .getBytes(StandardCharsets.UTF_8))
                    .when().post("/api/v1/apps/openapi").then().statusCode(400);
            String apps = org.reader().when().get("/api/v1/apps").then().statusCode(200).extract().asString();
            assertThat(apps).doesNotContain(marker);
            assertThat(requests.get()).isZero();
        } finally {
            server.stop(0);
        }

        // Inline references still resolve.
        org.user().body("""
                {"openapi": "3.0.3", "info": {"title": "Inline", "version": "1.0.0"},
                 "servers": [{"url": "https://api.example.org"}],
                 "components": {"schemas": {"Thing": {"type": "object"}}},
                 "paths": {"/things": {"post": {"operationId": "addThing",
                   "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}}}}}}""")
                .when().post("/api/v1/apps/openapi").then().statusCode(201)
                .body("actions[0].parameters[0].type", equalTo("object"));
    }
}

package dev.bulwark.workflow.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

/** Test workflows: documents from {@code src/test/resources/workflows/}, saved and started through the API. */
public final class TestWorkflows {

    private TestWorkflows() {
    }

    public static String resource(String name) {
        try (InputStream in = TestWorkflows.class.getResourceAsStream("/workflows/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test workflow " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Saves the document, returns the workflow id. */
    public static UUID save(TestOrg org, String document) {
        return UUID.fromString(org.user().body(document).when().post("/api/v1/workflows")
                .then().statusCode(201).extract().path("id"));
    }

    public static UUID execute(TestOrg org, UUID workflowId, Object argument) {
        return UUID.fromString(org.user().body(Map.of("argument", argument, "priority", 5))
                .when().post("/api/v1/workflows/{id}/execute", workflowId)
                .then().statusCode(202).extract().path("executionId"));
    }
}

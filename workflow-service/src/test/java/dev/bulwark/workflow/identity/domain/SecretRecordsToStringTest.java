package dev.bulwark.workflow.identity.domain;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.bulwark.common.tasks.ClaimedTask;
import dev.bulwark.workflow.credential.api.CredentialResource;
import dev.bulwark.workflow.identity.api.OrganisationResource;
import dev.bulwark.workflow.identity.api.TokenResponse;
import dev.bulwark.workflow.trigger.domain.TriggerRegistry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Every record of workflow-service that holds a secret prints that it has one, never the secret. */
class SecretRecordsToStringTest {

    private static final String SECRET = "s3cr3t-V4lue-that-must-not-print";

    @Test
    void noRecordThatHoldsASecretPrintsIt() {
        UUID id = UUID.randomUUID();
        List<Object> holders = List.of(
                new TokenRequest("password", "a@example.org", SECRET, null, "client", SECRET, SECRET),
                new TokenResponse(SECRET, "Bearer", 900),
                new AccessToken(SECRET, 900),
                new ApiKeys.CreatedKey(id, "ci", SECRET),
                new Grants.ParsedKey(id, SECRET),
                new ServiceAccounts.Credentials(id, "worker", "client", SECRET, Set.of("worker")),
                new TriggerRegistry.WebhookView(id, "http://localhost/api/v1/hooks/" + id, SECRET),
                new ClaimedTask(id, 1, id, id, "a1", "http", "request", null, false,
                        JsonNodeFactory.instance.objectNode(), Map.of("token", SECRET), 30, Instant.now(), SECRET),
                new OrganisationResource.AddMember("a@example.org", SECRET, "user"),
                new CredentialResource.CreateCredential("c", "http", Map.of("token", SECRET), List.of()));

        for (Object holder : holders) {
            assertThat(holder.toString()).as(holder.getClass().getSimpleName())
                    .doesNotContain(SECRET).doesNotContain(SECRET.substring(0, 8));
        }
        assertThat(holders.get(0).toString()).contains("a@example.org").contains("password=<redacted>");
    }
}

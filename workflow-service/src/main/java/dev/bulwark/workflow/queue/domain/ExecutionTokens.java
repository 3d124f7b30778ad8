package dev.bulwark.workflow.queue.domain;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.bulwark.common.security.Redacted;
import dev.bulwark.workflow.identity.domain.TokenIssuer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * The execution tokens handed out with claimed tasks: one RS256 signature per execution instead of one per task.
 * A token is reused for another task of the same execution while it outlives that task's timeout and lease; a new
 * one is signed for {@value #SPARE_MINUTES} minutes more than that, so the execution's tasks of the next minutes
 * can share it. Every such token grants the same: calls about its own execution, only while the execution is active.
 */
@ApplicationScoped
class ExecutionTokens {

    private record Issued(UUID orgId, String token, Instant usableUntil) {
        @Override
        public String toString() {
            return "Issued[orgId=" + orgId + ", token=" + Redacted.of(token) + ", usableUntil=" + usableUntil + "]";
        }
    }

    private static final int SPARE_MINUTES = 5;
    private static final Duration SPARE = Duration.ofMinutes(SPARE_MINUTES);

    private final TokenIssuer tokens;
    private final Cache<UUID, Issued> issued = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(SPARE)
            .build();

    ExecutionTokens(TokenIssuer tokens) {
        this.tokens = tokens;
    }

    /** A token of the execution valid for at least {@code needed} from now. */
    String forTask(UUID orgId, UUID executionId, Duration needed) {
        Instant now = Instant.now();
        Issued known = issued.getIfPresent(executionId);
        if (known != null && known.orgId().equals(orgId) && known.usableUntil().isAfter(now.plus(needed))) {
            return known.token();
        }
        Duration lifetime = needed.plus(SPARE);
        String token = tokens.issueExecutionToken(orgId, executionId, lifetime).token();
        // exp has whole seconds and is taken after now: a second less is always within it.
        issued.put(executionId, new Issued(orgId, token, now.plus(lifetime).minusSeconds(1)));
        return token;
    }
}

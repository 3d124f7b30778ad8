package dev.bulwark.workflow.trigger.domain;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.common.error.NotFound;
import dev.bulwark.common.error.ProblemException;
import dev.bulwark.workflow.definition.domain.Workflow;
import dev.bulwark.workflow.execution.domain.Engine;
import dev.bulwark.workflow.execution.domain.Execution;
import dev.bulwark.workflow.execution.domain.Executions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Starts workflows from their webhook, for callers that prove they hold its secret. */
@ApplicationScoped
public class Hooks {

    private final TriggerRegistry registry;
    private final Engine engine;

    Hooks(TriggerRegistry registry, Engine engine) {
        this.registry = registry;
        this.engine = engine;
    }

    /** Neither the secret header nor the signature matches: 401. */
    static class Refused extends ProblemException {
        Refused() {
            super(401, "unauthorized", "Unauthorized", "The webhook secret or signature was not accepted", null, null);
        }
    }

    /**
     * @param secret    the {@code X-Bulwark-Hook-Secret} header, or null
     * @param signature the {@code X-Bulwark-Signature} header ({@code sha256=<hex HMAC-SHA256 of the body>}), or null
     */
    @Transactional
    public Executions.Started fire(UUID hookId, byte[] body, JsonNode argument, String secret, String signature) {
        Webhook hook = Webhook.findById(hookId);
        if (hook == null) {
            throw new NotFound("webhook", hookId);
        }
        String expected = registry.secret(hook);
        boolean ok = secret != null && MessageDigest.isEqual(secret.getBytes(StandardCharsets.UTF_8),
                expected.getBytes(StandardCharsets.UTF_8));
        if (!ok && signature != null) {
            ok = MessageDigest.isEqual(signature.getBytes(StandardCharsets.UTF_8),
                    ("sha256=" + hmac(expected, body)).getBytes(StandardCharsets.UTF_8));
        }
        if (!ok) {
            throw new Refused();
        }
        Workflow workflow = Workflow.findById(hook.workflowId);
        Execution execution = engine.start(workflow, argument, 5, "webhook");
        return new Executions.Started(execution.id, execution.status);
    }

    static String hmac(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}

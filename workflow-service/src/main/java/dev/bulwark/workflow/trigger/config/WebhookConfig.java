package dev.bulwark.workflow.trigger.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Signed webhook deliveries (env {@code BULWARK_WORKFLOW_TRIGGERS_WEBHOOK_*}). */
@ConfigMapping(prefix = "bulwark.workflow.triggers.webhook")
public interface WebhookConfig {

    /** How far a signed request's {@code X-Bulwark-Timestamp} may be from now, in the past or the future. */
    @WithDefault("PT5M")
    Duration signatureTolerance();

    /** Signatures remembered per hook to refuse replays; beyond it the hook answers 429 until old ones expire. */
    @WithDefault("10000")
    int replayCacheSize();
}

package dev.bulwark.backbone.client.domain;

import dev.bulwark.common.error.Invalid;
import dev.bulwark.common.error.Problem;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/** What an admin may set on a client; {@code null} fields are left as they are by a partial update. */
public record ClientSpec(List<String> subscriptions, List<String> publish, Boolean broadcast, String webhookUrl) {

    /** Checks every pattern and the webhook URL, reporting all problems at once. */
    public ClientSpec validated() {
        List<Problem.FieldViolation> violations = new ArrayList<>();
        checkPatterns("subscriptions", subscriptions, violations);
        checkPatterns("publish", publish, violations);
        if (webhookUrl != null) {
            String problem = urlProblem(webhookUrl);
            if (problem != null) {
                violations.add(new Problem.FieldViolation("webhook.url", problem));
            }
        }
        if (!violations.isEmpty()) {
            throw new Invalid("The client has invalid fields", violations);
        }
        return new ClientSpec(distinct(subscriptions), distinct(publish), broadcast, webhookUrl);
    }

    private static void checkPatterns(String field, List<String> patterns, List<Problem.FieldViolation> violations) {
        if (patterns == null) {
            return;
        }
        for (int i = 0; i < patterns.size(); i++) {
            String problem = TopicPattern.patternProblem(patterns.get(i));
            if (problem != null) {
                violations.add(new Problem.FieldViolation(field + "[" + i + "]", problem));
            }
        }
    }

    private static String urlProblem(String url) {
        try {
            URI uri = URI.create(url);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                return "must be an absolute http or https URL";
            }
            return null;
        } catch (IllegalArgumentException e) {
            return "must be an absolute http or https URL";
        }
    }

    private static List<String> distinct(List<String> values) {
        return values == null ? null : List.copyOf(new LinkedHashSet<>(values));
    }
}

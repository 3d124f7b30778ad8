package dev.bulwark.backbone.message.messaging;

import dev.bulwark.common.error.Unavailable;
import java.util.Map;

/**
 * 503 with {@code Retry-After}: the broker did not confirm a send (nack, timeout, a channel or connection lost
 * while the confirm was pending). Nothing was accepted; the same request may be sent again.
 */
final class NotPublished extends Unavailable {

    NotPublished(String detail, Throwable cause) {
        super(detail, cause);
    }

    @Override
    public Map<String, String> headers() {
        return Map.of("Retry-After", "1");
    }
}

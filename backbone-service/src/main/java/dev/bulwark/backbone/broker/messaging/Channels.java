package dev.bulwark.backbone.broker.messaging;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ShutdownSignalException;
import io.quarkus.logging.Log;
import java.io.IOException;
import java.util.concurrent.TimeoutException;

/** Small helpers for AMQP channels. */
public final class Channels {

    private Channels() {
    }

    /** Closes the channel if it is open; its unacknowledged deliveries go back to their queues. */
    public static void closeQuietly(Channel channel) {
        if (channel == null || !channel.isOpen()) {
            return;
        }
        try {
            channel.close();
        } catch (IOException | TimeoutException | ShutdownSignalException e) {
            Log.debug("Channel was already closing", e);
        }
    }
}

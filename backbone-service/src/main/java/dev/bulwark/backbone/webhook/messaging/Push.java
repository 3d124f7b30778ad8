package dev.bulwark.backbone.webhook.messaging;

import com.rabbitmq.client.Channel;
import dev.bulwark.common.egress.EgressHttp;
import java.net.URI;

/** One client's push loop: its webhook, its signing secret, and the channel its exclusive consumer runs on. */
final class Push {
    final String clientId;
    final URI url;
    final String secret;
    final Channel channel;
    final EgressHttp http;
    volatile boolean stopped;

    Push(String clientId, URI url, String secret, Channel channel, EgressHttp http) {
        this.clientId = clientId;
        this.url = url;
        this.secret = secret;
        this.channel = channel;
        this.http = http;
    }
}

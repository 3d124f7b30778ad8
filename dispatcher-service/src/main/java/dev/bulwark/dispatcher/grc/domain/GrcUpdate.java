package dev.bulwark.dispatcher.grc.domain;

import dev.bulwark.dispatcher.dispatch.domain.DispatchMessage;
import dev.bulwark.dispatcher.grc.client.GrcGateway;
import io.quarkus.logging.Log;
import java.util.List;

/** The update handlers' shared step: resolve the selector, then PATCH every matched object with the values. */
final class GrcUpdate {

    private GrcUpdate() {
    }

    static void apply(GrcGateway grc, GrcCollection collection, DispatchMessage message) throws Exception {
        List<String> ids = grc.select(collection, message.selector());
        for (String id : ids) {
            grc.patch(collection, id, message.values());
        }
        Log.debugf("Message %s updated %d %s", message.messageId(), ids.size(), collection.path());
    }
}

package dev.bulwark.dispatcher.grc.domain;

import dev.bulwark.dispatcher.dispatch.domain.DispatchMessage;
import dev.bulwark.dispatcher.dispatch.domain.MessageHandler;
import dev.bulwark.dispatcher.grc.client.GrcGateway;
import jakarta.enterprise.context.ApplicationScoped;

/** {@code update_applied_control}: {@code GET /applied-controls/?<selector>}, then {@code PATCH} each match. */
@ApplicationScoped
public class UpdateAppliedControlHandler implements MessageHandler {

    private final GrcGateway grc;

    UpdateAppliedControlHandler(GrcGateway grc) {
        this.grc = grc;
    }

    @Override
    public String type() {
        return "update_applied_control";
    }

    @Override
    public void handle(DispatchMessage message) throws Exception {
        GrcUpdate.apply(grc, GrcCollection.APPLIED_CONTROLS, message);
    }
}

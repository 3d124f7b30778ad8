package dev.bulwark.dispatcher.handlers;

import dev.bulwark.dispatcher.domain.DispatchMessage;
import dev.bulwark.dispatcher.domain.MessageHandler;
import dev.bulwark.dispatcher.grc.GrcCollection;
import dev.bulwark.dispatcher.grc.GrcGateway;
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

package dev.bulwark.dispatcher.grc.domain;

import dev.bulwark.dispatcher.dispatch.domain.DispatchMessage;
import dev.bulwark.dispatcher.dispatch.domain.MessageHandler;
import dev.bulwark.dispatcher.grc.client.GrcGateway;
import jakarta.enterprise.context.ApplicationScoped;

/** {@code update_requirement_assessment}: the same as applied controls, on {@code /requirement-assessments/}. */
@ApplicationScoped
public class UpdateRequirementAssessmentHandler implements MessageHandler {

    private final GrcGateway grc;

    UpdateRequirementAssessmentHandler(GrcGateway grc) {
        this.grc = grc;
    }

    @Override
    public String type() {
        return "update_requirement_assessment";
    }

    @Override
    public void handle(DispatchMessage message) throws Exception {
        GrcUpdate.apply(grc, GrcCollection.REQUIREMENT_ASSESSMENTS, message);
    }
}

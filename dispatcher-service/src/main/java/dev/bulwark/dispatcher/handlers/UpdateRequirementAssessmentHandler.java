package dev.bulwark.dispatcher.handlers;

import dev.bulwark.dispatcher.domain.DispatchMessage;
import dev.bulwark.dispatcher.domain.MessageHandler;
import dev.bulwark.dispatcher.grc.GrcCollection;
import dev.bulwark.dispatcher.grc.GrcGateway;
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

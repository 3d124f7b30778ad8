package dev.bulwark.dispatcher.grc.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.common.error.Invalid;
import dev.bulwark.dispatcher.dispatch.domain.DispatchMessage;
import dev.bulwark.dispatcher.dispatch.domain.MessageHandler;
import dev.bulwark.dispatcher.grc.client.AttachmentStore;
import dev.bulwark.dispatcher.grc.client.GrcGateway;
import dev.bulwark.dispatcher.dispatch.persistence.CompletedMessages;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code upload_attachment}: the file (base64 {@code file_content}, or {@code file_s3_bucket}/{@code file_s3_key})
 * is uploaded to the evidence the selector names, or to a new evidence when the selector is empty (created once per
 * message, however often the upload is retried); then, if
 * {@code values.applied_controls} selects applied controls, the evidence is added to each one's evidences.
 */
@ApplicationScoped
public class UploadAttachmentHandler implements MessageHandler {

    private static final String CREATED_EVIDENCE = "created-evidence";

    private final GrcGateway grc;
    private final AttachmentStore attachments;
    private final CompletedMessages progress;
    private final ObjectMapper mapper;

    UploadAttachmentHandler(GrcGateway grc, AttachmentStore attachments, CompletedMessages progress,
                            ObjectMapper mapper) {
        this.grc = grc;
        this.attachments = attachments;
        this.progress = progress;
        this.mapper = mapper;
    }

    @Override
    public String type() {
        return "upload_attachment";
    }

    @Override
    public void handle(DispatchMessage message) throws Exception {
        ObjectNode values = message.values();
        String fileName = values.get("file_name").asText();
        byte[] content = content(values);

        String evidenceId;
        if (message.selector().isEmpty()) {
            // A retry (or a redelivery) after the upload failed must not create a second evidence.
            Optional<String> created = progress.recallStep(message.messageId(), CREATED_EVIDENCE);
            if (created.isPresent()) {
                evidenceId = created.get();
            } else {
                String name = values.hasNonNull("name") ? values.get("name").asText() : fileName;
                evidenceId = grc.createEvidence(name, mapper.createObjectNode().put("name", name));
                progress.rememberStep(message.messageId(), CREATED_EVIDENCE, evidenceId);
            }
        } else {
            ObjectNode selector = message.selector().deepCopy();
            selector.put("target", "single");
            evidenceId = grc.select(GrcCollection.EVIDENCES, selector).get(0);
        }
        grc.upload(evidenceId, fileName, content);

        JsonNode controlsSelector = values.get("applied_controls");
        if (controlsSelector instanceof ObjectNode selector) {
            List<String> controls = grc.select(GrcCollection.APPLIED_CONTROLS, selector);
            for (String control : controls) {
                attach(control, evidenceId);
            }
        }
        Log.debugf("Message %s uploaded %d bytes to evidence %s", message.messageId(), content.length, evidenceId);
    }

    private byte[] content(ObjectNode values) {
        if (values.hasNonNull("file_content")) {
            try {
                return Base64.getMimeDecoder().decode(values.get("file_content").asText());
            } catch (IllegalArgumentException e) {
                throw new Invalid("file_content is not valid base64: " + e.getMessage());
            }
        }
        return attachments.read(values.get("file_s3_bucket").asText(), values.get("file_s3_key").asText());
    }

    /** Existing evidences are kept; they may come back as ids or as {@code {"id","str"}} objects. */
    private void attach(String control, String evidenceId) throws Exception {
        JsonNode current = grc.get(GrcCollection.APPLIED_CONTROLS, control);
        Set<String> evidences = new LinkedHashSet<>();
        for (JsonNode evidence : current == null ? mapper.createArrayNode() : current.path("evidences")) {
            evidences.add(evidence.isObject() ? evidence.path("id").asText() : evidence.asText());
        }
        evidences.add(evidenceId);
        ArrayNode list = mapper.createArrayNode();
        evidences.forEach(list::add);
        grc.patch(GrcCollection.APPLIED_CONTROLS, control, mapper.createObjectNode().set("evidences", list));
    }
}

package dev.bulwark.workflow.definition.domain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.bulwark.common.error.NotFound;
import dev.bulwark.workflow.trigger.domain.TriggerRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Workflows of an organisation: validated on save, versioned, with their triggers kept in step. */
@ApplicationScoped
public class Workflows {

    private final WorkflowValidator validator;
    private final TriggerRegistry triggers;
    private final ObjectMapper json;
    /** Saved versions never change, so their compiled form is cached for the engine (bounded: recompiled on a miss). */
    private final Cache<WorkflowVersion.Key, CompiledWorkflow> compiled = Caffeine.newBuilder().maximumSize(2_000)
            .build();

    Workflows(WorkflowValidator validator, TriggerRegistry triggers, ObjectMapper json) {
        this.validator = validator;
        this.triggers = triggers;
        this.json = json;
    }

    @Transactional
    public WorkflowView create(UUID orgId, WorkflowDocument given) {
        WorkflowDocument document = validator.pinAppVersions(orgId, given);
        validator.validate(orgId, document);
        Workflow workflow = new Workflow();
        workflow.id = UUID.randomUUID();
        workflow.orgId = orgId;
        workflow.createdAt = Instant.now();
        workflow.version = 0;
        return save(workflow, document);
    }

    @Transactional
    public WorkflowView update(UUID orgId, UUID id, WorkflowDocument given) {
        WorkflowDocument document = validator.pinAppVersions(orgId, given);
        validator.validate(orgId, document);
        Workflow workflow = find(orgId, id);
        return save(workflow, document);
    }

    private WorkflowView save(Workflow workflow, WorkflowDocument document) {
        workflow.name = document.name();
        workflow.version++;
        workflow.updatedAt = Instant.now();
        workflow.persist();
        WorkflowVersion version = new WorkflowVersion();
        version.workflowId = workflow.id;
        version.version = workflow.version;
        version.document = write(document);
        version.createdAt = workflow.updatedAt;
        version.persist();
        triggers.sync(workflow.orgId, workflow.id, document.triggersOrEmpty());
        return new WorkflowView(workflow.id, workflow.version, workflow.createdAt, workflow.updatedAt, document);
    }

    public WorkflowView get(UUID orgId, UUID id) {
        Workflow workflow = find(orgId, id);
        return new WorkflowView(workflow.id, workflow.version, workflow.createdAt, workflow.updatedAt,
                document(workflow.id, workflow.version));
    }

    /** One saved version, as executions of it ran it. */
    public WorkflowView version(UUID orgId, UUID id, int version) {
        Workflow workflow = find(orgId, id);
        WorkflowVersion stored = WorkflowVersion.findById(new WorkflowVersion.Key(id, version));
        if (stored == null) {
            throw new NotFound("workflow version", id + "@" + version);
        }
        return new WorkflowView(workflow.id, version, workflow.createdAt, stored.createdAt, document(id, version));
    }

    public List<WorkflowView.Summary> list(UUID orgId) {
        return Workflow.<Workflow>list("orgId = ?1 order by name, createdAt", orgId).stream()
                .map(w -> new WorkflowView.Summary(w.id, w.name, w.version, w.updatedAt)).toList();
    }

    @Transactional
    public void delete(UUID orgId, UUID id) {
        find(orgId, id).delete();
        compiled.asMap().keySet().removeIf(key -> key.workflowId().equals(id));
    }

    /** The workflow of the organisation, or 404 (also for another organisation's workflow). */
    public Workflow find(UUID orgId, UUID id) {
        return Workflow.<Workflow>findByIdOptional(id).filter(w -> w.orgId.equals(orgId))
                .orElseThrow(() -> new NotFound("workflow", id));
    }

    /** The compiled form of one saved version, for the engine. */
    public CompiledWorkflow compiled(UUID orgId, UUID workflowId, int version) {
        return compiled.get(new WorkflowVersion.Key(workflowId, version),
                key -> validator.compileSaved(orgId, document(workflowId, version)));
    }

    private WorkflowDocument document(UUID workflowId, int version) {
        WorkflowVersion stored = WorkflowVersion.findById(new WorkflowVersion.Key(workflowId, version));
        if (stored == null) {
            throw new NotFound("workflow version", workflowId + "@" + version);
        }
        try {
            return json.readValue(stored.document, WorkflowDocument.class);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String write(WorkflowDocument document) {
        try {
            return json.writeValueAsString(document);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}

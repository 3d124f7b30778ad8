package dev.bulwark.workflow.execution.domain;

import dev.bulwark.workflow.queue.domain.Task;
import dev.bulwark.workflow.queue.domain.TaskOwner;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.util.Collection;
import java.util.UUID;
import org.hibernate.Session;

/** What the task queue reports back, handed to the engine: the queue's one-way boundary (docs/architecture.md). */
@ApplicationScoped
class EngineTaskOwner implements TaskOwner {

    private final Engine engine;
    private final EntityManager em;

    EngineTaskOwner(Engine engine, EntityManager em) {
        this.engine = engine;
        this.em = em;
    }

    @Override
    public void lock(UUID executionId) {
        engine.lock(executionId);
    }

    @Override
    public void lockExecutionsOf(UUID orgId, Collection<UUID> taskIds) {
        // Native, with the ids as one array parameter: Hibernate translates a query with a list parameter anew on
        // every call (its plan cache skips them), which cost more than the statement itself.
        engine.prepare(em.unwrap(Session.class).createNativeQuery("""
                        select e.* from execution e where e.id in (select t.execution_id from task t
                        where t.org_id = :org and t.id = any(:tasks)) order by e.id for update of e""", Execution.class)
                .addSynchronizedEntityClass(Execution.class)
                .setParameter("tasks", taskIds.toArray(UUID[]::new))
                .setParameter("org", orgId)
                .getResultList());
    }

    @Override
    public void ended(Task task) {
        Execution execution = em.find(Execution.class, task.executionId);
        if (execution != null) {
            engine.taskFinished(execution, task);
        }
    }
}

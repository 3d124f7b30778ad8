package dev.bulwark.workflow.execution.domain;

import dev.bulwark.workflow.queue.domain.Task;
import dev.bulwark.workflow.queue.domain.TaskOwner;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import java.util.Collection;
import java.util.UUID;

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
        engine.prepare(em.createQuery("select e from Execution e where e.id in (select t.executionId from Task t "
                        + "where t.orgId = :org and t.id in :tasks) order by e.id", Execution.class)
                .setParameter("tasks", taskIds)
                .setParameter("org", orgId)
                .setLockMode(LockModeType.PESSIMISTIC_WRITE)
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

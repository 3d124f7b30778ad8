package dev.bulwark.dispatcher.dispatch.messaging;

import dev.bulwark.dispatcher.config.DispatcherConfig;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.MemberToRemove;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * A static member does not leave its group when its consumer closes: the group keeps its partitions for it until
 * its session times out, in case it comes back. That is what a crashed instance needs, but an instance stopped on
 * purpose may not come back under the same id (scale-down, a new pod name after a rollout), so on a graceful stop,
 * once the consumer is closed, it is removed from the group and its partitions go to the others at once.
 */
@Startup
@ApplicationScoped
public class GroupDeparture {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final Map<String, Object> kafka;
    private final String groupId;
    private final Optional<String> instanceId;

    GroupDeparture(@Identifier("default-kafka-broker") Map<String, Object> kafka, DispatcherConfig config,
                   @ConfigProperty(name = "mp.messaging.incoming.observation.group.instance.id")
                   Optional<String> instanceId) {
        this.kafka = kafka;
        this.groupId = config.groupId();
        this.instanceId = instanceId;
    }

    /** Runs after the messaging connector closed its consumers (they close before any bean is destroyed). */
    @PreDestroy
    void leave() {
        if (instanceId.isEmpty()) {
            return;
        }
        Map<String, Object> settings = new HashMap<>();
        kafka.forEach((key, value) -> {
            if (AdminClientConfig.configNames().contains(key)) {
                settings.put(key, value);
            }
        });
        settings.put(AdminClientConfig.CLIENT_ID_CONFIG, "dispatcher-departure-" + instanceId.get());
        Admin admin = Admin.create(settings);
        try {
            admin.removeMembersFromConsumerGroup(groupId, new RemoveMembersFromConsumerGroupOptions(
                    List.of(new MemberToRemove(instanceId.get())))).all()
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            Log.infof("Left consumer group %s as static member %s", groupId, instanceId.get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            Log.warnf("Could not leave consumer group %s as static member %s (%s): its partitions wait for its "
                    + "session to time out unless it comes back", groupId, instanceId.get(), e);
        } finally {
            admin.close(TIMEOUT);
        }
    }
}

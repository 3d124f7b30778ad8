package dev.bulwark.worker.container.domain;

import dev.bulwark.worker.config.WorkerConfig;

/** What an app container may use, and how much of its output is kept. */
public record ContainerLimits(long memoryBytes, double cpus, long pids, String user, String network,
                              int maxOutputBytes) {

    static ContainerLimits from(WorkerConfig.Container config) {
        return new ContainerLimits(config.memory().asLongValue(), config.cpus(), config.pids(), config.user(),
                config.network(), (int) Math.min(Integer.MAX_VALUE - 8, config.maxOutputSize().asLongValue()));
    }
}

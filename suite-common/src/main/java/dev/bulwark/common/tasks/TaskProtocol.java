package dev.bulwark.common.tasks;

import java.util.UUID;

/** The paths of the task protocol, relative to workflow-service's base URL. */
public final class TaskProtocol {

    public static final String CLAIM = "/api/v1/queue/claim";
    public static final String RESULTS = "/api/v1/tasks/results";

    private TaskProtocol() {
    }

    public static String heartbeat(UUID taskId) {
        return "/api/v1/tasks/" + taskId + "/heartbeat";
    }

    public static String result(UUID taskId) {
        return "/api/v1/tasks/" + taskId + "/result";
    }
}

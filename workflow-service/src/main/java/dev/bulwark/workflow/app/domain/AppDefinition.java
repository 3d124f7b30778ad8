package dev.bulwark.workflow.app.domain;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * An app as workflows see it: its actions and how they run.
 *
 * @param id        absent for built-in apps
 * @param kind      {@code builtin} (run in-process by the worker), {@code container} (the worker runs {@code image})
 *                  or {@code openapi} (each action is an HTTP call the engine builds from the imported spec)
 * @param network   for container apps: {@code true} when the app needs a network (it then also gets the
 *                  execution token); absent or false: the container runs without one
 * @param serverUrl for OpenAPI apps: the base URL of the API
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AppDefinition(UUID id, String name, String version, String kind, String description, String image,
                            Boolean network, String serverUrl, AuthSchema authentication, List<ActionSpec> actions) {

    public static final String BUILTIN = "builtin";
    public static final String CONTAINER = "container";
    public static final String OPENAPI = "openapi";

    public Optional<ActionSpec> action(String name) {
        return actions.stream().filter(a -> a.name().equals(name)).findFirst();
    }
}

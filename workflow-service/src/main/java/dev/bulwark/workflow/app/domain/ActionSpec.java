package dev.bulwark.workflow.app.domain;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.util.List;
import java.util.Optional;

/**
 * One action of an app.
 *
 * @param method for OpenAPI actions: the operation's HTTP method
 * @param path   for OpenAPI actions: the operation's path template, such as {@code /pets/{id}}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ActionSpec(@NotBlank String name, String description, @NotNull List<@Valid ParameterSpec> parameters,
                         String method, String path) {

    public static ActionSpec of(String name, String description, ParameterSpec... parameters) {
        return new ActionSpec(name, description, List.of(parameters), null, null);
    }

    public Optional<ParameterSpec> parameter(String name) {
        return parameters.stream().filter(p -> p.name().equals(name)).findFirst();
    }
}

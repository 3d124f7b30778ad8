package dev.bulwark.workflow.app.domain;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import java.util.List;

/**
 * One typed parameter of an app action.
 *
 * @param type         {@code string}, {@code number}, {@code integer}, {@code boolean}, {@code object}, {@code array}
 *                     or {@code any}
 * @param secret       a configuration value (a password, a key) the UI masks; credentials supply such values
 * @param enumValues   the only values allowed, when set
 * @param in           for OpenAPI actions: where the value goes ({@code path}, {@code query}, {@code header},
 *                     {@code body})
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ParameterSpec(@NotBlank String name, String description,
                            @Pattern(regexp = "string|number|integer|boolean|object|array|any") String type,
                            boolean required, JsonNode defaultValue, boolean secret, List<String> enumValues,
                            String in) {

    public static ParameterSpec required(String name, String type, String description) {
        return new ParameterSpec(name, description, type, true, null, false, null, null);
    }

    public static ParameterSpec optional(String name, String type, String description) {
        return new ParameterSpec(name, description, type, false, null, false, null, null);
    }

    public ParameterSpec withDefault(JsonNode value) {
        return new ParameterSpec(name, description, type, required, value, secret, enumValues, in);
    }

    public ParameterSpec withEnum(List<String> values) {
        return new ParameterSpec(name, description, type, required, defaultValue, secret, values, in);
    }
}

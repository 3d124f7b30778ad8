package dev.bulwark.workflow.app.domain;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.validation.constraints.Pattern;
import java.util.List;

/**
 * How an app authenticates, so a credential of the app can be applied.
 *
 * @param type   {@code apiKey} (field {@code apiKey} into header or query parameter {@code name}), {@code bearer}
 *               (field {@code token}), {@code basic} (fields {@code username}, {@code password}) or {@code fields}
 *               (container apps: the credential's fields are handed to the app as they are)
 * @param fields the credential fields the app expects
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AuthSchema(@Pattern(regexp = "apiKey|bearer|basic|fields") String type, String name,
                         @Pattern(regexp = "header|query") String in, List<String> fields) {
}

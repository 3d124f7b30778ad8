package dev.bulwark.relay.threatresponse.domain;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** The body of every relay answer: {@code data}, and {@code errors} when there are any (HTTP status stays 200). */
public record RelayReply(@JsonInclude(JsonInclude.Include.NON_NULL) Object data,
                         @JsonInclude(JsonInclude.Include.NON_EMPTY) List<RelayError> errors) {

    public static RelayReply of(Object data) {
        return new RelayReply(data, List.of());
    }

    public static RelayReply of(Object data, List<RelayError> errors) {
        return new RelayReply(data, List.copyOf(errors));
    }

    public static RelayReply failed(RelayError error) {
        return new RelayReply(null, List.of(error));
    }
}

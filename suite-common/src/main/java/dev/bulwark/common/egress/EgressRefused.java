package dev.bulwark.common.egress;

import dev.bulwark.common.error.ProblemException;
import java.util.List;

/** An outbound destination refused by the egress policy: 400, with the reason in the detail. */
public class EgressRefused extends ProblemException {

    public EgressRefused(String detail) {
        super(400, "egress-refused", "Destination refused", detail, List.of(), null);
    }
}

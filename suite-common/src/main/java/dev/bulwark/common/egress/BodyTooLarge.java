package dev.bulwark.common.egress;

import java.io.IOException;

/** A response body over the egress limit; nothing of it is kept. */
public class BodyTooLarge extends IOException {

    public BodyTooLarge(long limit) {
        super("the response body is larger than " + limit + " bytes (bulwark.egress.max-body)");
    }
}

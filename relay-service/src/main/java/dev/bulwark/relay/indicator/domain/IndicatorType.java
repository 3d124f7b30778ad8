package dev.bulwark.relay.indicator.domain;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The observable types the store holds, named as in CTIM. */
public enum IndicatorType {
    IP("ip"), IPV6("ipv6"), DOMAIN("domain"), URL("url"), EMAIL("email"), MD5("md5"), SHA1("sha1"), SHA256("sha256");

    private final String ctim;

    IndicatorType(String ctim) {
        this.ctim = ctim;
    }

    public String ctim() {
        return ctim;
    }

    /** The store type answering a CTIM observable type; {@code hostname} is looked up as a domain. */
    public static Optional<IndicatorType> ofObservable(String type) {
        String name = type.toLowerCase(Locale.ROOT);
        if (name.equals("hostname")) {
            return Optional.of(DOMAIN);
        }
        return Arrays.stream(values()).filter(t -> t.ctim.equals(name)).findFirst();
    }

    public boolean isAddress() {
        return this == IP || this == IPV6;
    }
}

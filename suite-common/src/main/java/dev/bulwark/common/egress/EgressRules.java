package dev.bulwark.common.egress;

import java.util.List;

/**
 * Allow-list entries of the egress policy. {@code allowHosts}: host names, exact or {@code *.suffix}, optionally
 * with {@code :port}; an allowed name may resolve to any address. {@code allowCidrs}: address ranges allowed although
 * internal. {@code ports}: when not empty, the only ports any destination may use.
 */
public record EgressRules(List<String> allowHosts, List<String> allowCidrs, List<Integer> ports) {

    public static final EgressRules NONE = new EgressRules(List.of(), List.of(), List.of());

    public EgressRules {
        allowHosts = allowHosts == null ? List.of() : List.copyOf(allowHosts);
        allowCidrs = allowCidrs == null ? List.of() : List.copyOf(allowCidrs);
        ports = ports == null ? List.of() : List.copyOf(ports);
    }

    /** These rules and {@code more}: allow-lists joined; ports restricted by whichever side restricts them. */
    public EgressRules and(EgressRules more) {
        return new EgressRules(
                concat(allowHosts, more.allowHosts), concat(allowCidrs, more.allowCidrs),
                ports.isEmpty() ? more.ports : more.ports.isEmpty() ? ports
                        : ports.stream().filter(more.ports::contains).toList());
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        return b.isEmpty() ? a : a.isEmpty() ? b : java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}

package dev.bulwark.common.egress;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The one policy every outbound call made on a user's behalf passes (HTTP apps, webhooks, feeds, imports, testers).
 * A destination is checked after its host is resolved, every resolved address at a time, so a name that points at
 * an internal address is refused like the address itself. Loopback, any-local, link-local (cloud metadata
 * included), private, unique-local, shared (CGNAT) and multicast addresses are refused unless an allow-list admits
 * them; only {@code http} and {@code https} are accepted. The JVM caches successful lookups (30 s by default), so
 * the connection that follows a check uses the addresses that were checked.
 */
public final class EgressPolicy {

    private static final List<Cidr> SHARED = List.of(Cidr.parse("100.64.0.0/10"), Cidr.parse("0.0.0.0/8"),
            Cidr.parse("255.255.255.255/32"), Cidr.parse("fc00::/7"), Cidr.parse("64:ff9b::/96"));

    private final EgressRules rules;
    private final Map<String, EgressRules> organisations;
    private final List<Cidr> allowedRanges;
    private final int maxRedirects;
    private final long maxBody;

    EgressPolicy(EgressRules rules, Map<String, EgressRules> organisations, int maxRedirects, long maxBody) {
        this.rules = rules;
        this.organisations = Map.copyOf(organisations);
        this.allowedRanges = rules.allowCidrs().stream().map(Cidr::parse).toList();
        this.maxRedirects = maxRedirects;
        this.maxBody = maxBody;
    }

    /** A policy with these deployment rules, no organisation rules, 5 redirects and 10 MiB bodies at most. */
    public static EgressPolicy of(EgressRules rules) {
        return new EgressPolicy(rules, Map.of(), 5, 10L * 1024 * 1024);
    }

    /** The deployment's rules joined with the allow-lists of one organisation ({@code null}: none). */
    public EgressPolicy forOrganisation(String organisationId) {
        EgressRules own = organisationId == null ? null : organisations.get(organisationId);
        return own == null ? this : new EgressPolicy(rules.and(own), Map.of(), maxRedirects, maxBody);
    }

    public int maxRedirects() {
        return maxRedirects;
    }

    public long maxBody() {
        return maxBody;
    }

    /**
     * Resolves the destination's host and checks every address and the port.
     *
     * @return the resolved addresses, all allowed
     * @throws EgressRefused naming the reason, for a refused scheme, port, unknown host or address
     */
    public List<InetAddress> check(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new EgressRefused("only http and https destinations are allowed, not '" + uri.getScheme() + "'");
        }
        String host = host(uri);
        if (host.isEmpty()) {
            throw new EgressRefused("the destination has no host");
        }
        int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        String where = scheme + "://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        if (!rules.ports().isEmpty() && !rules.ports().contains(port)) {
            throw new EgressRefused(where + " is refused by the egress policy: port " + port
                    + " is not one of the allowed ports " + rules.ports() + " (bulwark.egress.ports)");
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw new EgressRefused(where + " cannot be reached: the host name '" + host + "' does not resolve");
        }
        if (hostAllowed(host, port)) {
            return List.of(addresses);
        }
        for (InetAddress address : addresses) {
            String kind = internalKind(address);
            if (kind != null && allowedRanges.stream().noneMatch(range -> range.contains(address))) {
                throw new EgressRefused(where + " is refused by the egress policy: " + address.getHostAddress()
                        + " is " + kind + " address (allow-list it with bulwark.egress.allow-cidrs or the host with"
                        + " bulwark.egress.allow-hosts)");
            }
        }
        return List.of(addresses);
    }

    private boolean hostAllowed(String host, int port) {
        for (String entry : rules.allowHosts()) {
            String pattern = entry.trim().toLowerCase(Locale.ROOT);
            int colon = pattern.lastIndexOf(':');
            if (colon > 0 && pattern.indexOf(':') == colon) {
                if (!pattern.substring(colon + 1).equals(Integer.toString(port))) {
                    continue;
                }
                pattern = pattern.substring(0, colon);
            }
            if (pattern.startsWith("*.") ? host.endsWith(pattern.substring(1)) : host.equals(pattern)) {
                return true;
            }
        }
        return false;
    }

    private static String host(URI uri) {
        String host = uri.getHost();
        if (host == null) {
            return "";
        }
        host = host.toLowerCase(Locale.ROOT);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    }

    /** What makes an address internal, as "a … " text, or {@code null} for a public address. */
    static String internalKind(InetAddress address) {
        if (address.isLoopbackAddress()) {
            return "a loopback";
        }
        if (address.isAnyLocalAddress()) {
            return "an unspecified (any-local)";
        }
        if (address.isLinkLocalAddress()) {
            return "a link-local";
        }
        if (address.isSiteLocalAddress()) {
            return "a private";
        }
        if (address.isMulticastAddress()) {
            return "a multicast";
        }
        if (address instanceof Inet6Address v6 && v6.getAddress()[0] == 0 && isMappedV4(v6.getAddress())) {
            return "an IPv4-compatible";
        }
        for (Cidr range : SHARED) {
            if (range.contains(address)) {
                return address instanceof Inet4Address ? "a reserved or shared" : "a unique-local or translated";
            }
        }
        return null;
    }

    /** {@code ::a.b.c.d} (deprecated IPv4-compatible) addresses; {@code ::ffff:a.b.c.d} arrive as IPv4 already. */
    private static boolean isMappedV4(byte[] bytes) {
        for (int i = 0; i < 12; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }
}

package dev.bulwark.relay.indicator.domain;

import com.google.common.net.InetAddresses;
import com.google.common.net.InternetDomainName;
import java.net.IDN;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Brings values to the one form the store compares: lower-case domains, hashes and e-mail addresses, canonical IP
 * addresses (RFC 5952 for IPv6) and networks, URLs with lower-case scheme and host and no default port or
 * fragment. Never resolves names. Invalid values throw {@link IllegalArgumentException} with a reason fit for a
 * client.
 */
public final class Normalizer {

    /** Longest value accepted, of any type. */
    public static final int MAX_LENGTH = 2048;

    private static final Pattern HEX = Pattern.compile("[0-9a-f]+");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]+");
    private static final Set<String> URL_SCHEMES = Set.of("http", "https", "ftp");

    private Normalizer() {
    }

    public static Normalized normalize(IndicatorType type, String raw) {
        if (raw == null || raw.isBlank()) {
            throw new IllegalArgumentException("value is empty");
        }
        String value = raw.strip();
        if (value.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("value is longer than " + MAX_LENGTH + " characters");
        }
        return switch (type) {
            case IP, IPV6 -> address(value);
            case DOMAIN -> new Normalized(IndicatorType.DOMAIN, domain(value), null);
            case URL -> new Normalized(IndicatorType.URL, url(value), null);
            case EMAIL -> new Normalized(IndicatorType.EMAIL, email(value), null);
            case MD5 -> hash(type, value, 32);
            case SHA1 -> hash(type, value, 40);
            case SHA256 -> hash(type, value, 64);
        };
    }

    /** The type a bare value in an IOC list most likely has. */
    public static IndicatorType infer(String raw) {
        String value = raw.strip().toLowerCase(Locale.ROOT);
        if (value.contains("://")) {
            return IndicatorType.URL;
        }
        if (value.contains("@")) {
            return IndicatorType.EMAIL;
        }
        if (HEX.matcher(value).matches()) {
            switch (value.length()) {
                case 32: return IndicatorType.MD5;
                case 40: return IndicatorType.SHA1;
                case 64: return IndicatorType.SHA256;
                default: break;
            }
        }
        String host = value.contains("/") ? value.substring(0, value.indexOf('/')) : value;
        if (host.contains(":")) {
            return IndicatorType.IPV6;
        }
        if (InetAddresses.isInetAddress(host)) {
            return IndicatorType.IP;
        }
        return IndicatorType.DOMAIN;
    }

    /** The domain and each of its parents with at least two labels, the domain first. */
    public static List<String> domainAndParents(String domain) {
        List<String> names = new ArrayList<>();
        String name = domain;
        while (name.indexOf('.') > 0) {
            names.add(name);
            name = name.substring(name.indexOf('.') + 1);
        }
        return names;
    }

    private static Normalized address(String value) {
        int slash = value.indexOf('/');
        String literal = slash < 0 ? value : value.substring(0, slash);
        InetAddress address;
        try {
            address = InetAddresses.forString(literal);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + literal + "' is not an IP address");
        }
        int bits = address.getAddress().length * 8;
        int prefix = bits;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(value.substring(slash + 1));
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > bits) {
                throw new IllegalArgumentException("'" + value + "' has an invalid prefix length");
            }
        }
        InetAddress network = mask(address, prefix);
        String canonical = InetAddresses.toAddrString(network);
        IndicatorType type = network instanceof Inet4Address ? IndicatorType.IP : IndicatorType.IPV6;
        String stored = prefix == bits ? canonical : canonical + "/" + prefix;
        return new Normalized(type, stored, canonical + "/" + prefix);
    }

    private static InetAddress mask(InetAddress address, int prefix) {
        byte[] bytes = address.getAddress();
        for (int i = 0; i < bytes.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - i * 8));
            bytes[i] = (byte) (bytes[i] & (0xff << (8 - keep)));
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("An address of " + bytes.length + " bytes", e);
        }
    }

    static String domain(String raw) {
        String value = raw.toLowerCase(Locale.ROOT);
        if (value.startsWith("*.")) {
            value = value.substring(2);
        }
        if (value.endsWith(".")) {
            value = value.substring(0, value.length() - 1);
        }
        try {
            value = IDN.toASCII(value, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + raw + "' is not a domain name");
        }
        if (InetAddresses.isInetAddress(value) || !InternetDomainName.isValid(value) || value.indexOf('.') < 0) {
            throw new IllegalArgumentException("'" + raw + "' is not a domain name");
        }
        return value;
    }

    private static String url(String raw) {
        URI uri;
        try {
            uri = new URI(raw);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + raw + "' is not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme == null || !URL_SCHEMES.contains(scheme) || uri.getHost() == null) {
            throw new IllegalArgumentException("'" + raw + "' is not an absolute http, https or ftp URL");
        }
        String host = uri.getHost();
        host = host.startsWith("[") ? "[" + address(host.substring(1, host.length() - 1)).value() + "]"
                : InetAddresses.isInetAddress(host) ? address(host).value() : domain(host);
        int port = uri.getPort();
        boolean defaultPort = port == -1 || (scheme.equals("http") && port == 80)
                || (scheme.equals("https") && port == 443) || (scheme.equals("ftp") && port == 21);
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return scheme + "://" + host + (defaultPort ? "" : ":" + port) + path
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    }

    private static String email(String raw) {
        String value = raw.toLowerCase(Locale.ROOT);
        if (!EMAIL.matcher(value).matches()) {
            throw new IllegalArgumentException("'" + raw + "' is not an e-mail address");
        }
        int at = value.lastIndexOf('@');
        return value.substring(0, at + 1) + domain(value.substring(at + 1));
    }

    private static Normalized hash(IndicatorType type, String raw, int length) {
        String value = raw.toLowerCase(Locale.ROOT);
        if (value.length() != length || !HEX.matcher(value).matches()) {
            throw new IllegalArgumentException("'" + raw + "' is not a " + type.ctim() + " hash (" + length
                    + " hex digits)");
        }
        return new Normalized(type, value, null);
    }
}

package dev.bulwark.relay.feed.domain;

import dev.bulwark.relay.indicator.domain.IndicatorType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The part of the STIX 2.1 patterning language the store can hold: equality comparisons over
 * {@code ipv4-addr:value}, {@code ipv6-addr:value}, {@code domain-name:value}, {@code url:value},
 * {@code email-addr:value} and {@code file:hashes.<MD5|SHA-1|SHA-256>}, joined by {@code OR} inside or between
 * observation expressions. Anything else (AND, FOLLOWEDBY, other operators, qualifiers) is refused, since a
 * single stored value could not express it.
 */
final class StixPattern {

    private static final Pattern TOKEN = Pattern.compile(
            "\\s*(?:(\\[)|(])|(OR)\\b|([a-z0-9-]+):([A-Za-z0-9_.'-]+)\\s*=\\s*'((?:\\\\.|[^'\\\\])*)')");
    private static final Map<String, IndicatorType> PATHS = Map.of(
            "ipv4-addr:value", IndicatorType.IP,
            "ipv6-addr:value", IndicatorType.IPV6,
            "domain-name:value", IndicatorType.DOMAIN,
            "url:value", IndicatorType.URL,
            "email-addr:value", IndicatorType.EMAIL,
            "file:hashes.md5", IndicatorType.MD5,
            "file:hashes.sha1", IndicatorType.SHA1,
            "file:hashes.sha256", IndicatorType.SHA256);

    private StixPattern() {
    }

    /** A value the pattern matches, with the type its object path names. */
    record Term(IndicatorType type, String value) {
    }

    static List<Term> terms(String pattern) {
        List<Term> terms = new ArrayList<>();
        Matcher m = TOKEN.matcher(pattern);
        int position = 0;
        int depth = 0;
        boolean expectOperand = true;
        while (position < pattern.length() && !pattern.substring(position).isBlank()) {
            if (!m.find(position) || m.start() != position) {
                throw new IllegalArgumentException("unsupported STIX pattern near '" + excerpt(pattern, position)
                        + "': only equality comparisons joined by OR are supported");
            }
            position = m.end();
            if (m.group(1) != null) {
                depth++;
                if (depth > 1 || !expectOperand) {
                    throw malformed(pattern);
                }
            } else if (m.group(2) != null) {
                depth--;
                if (depth < 0 || expectOperand) {
                    throw malformed(pattern);
                }
            } else if (m.group(3) != null) {
                if (expectOperand) {
                    throw malformed(pattern);
                }
                expectOperand = true;
            } else {
                if (depth != 1 || !expectOperand) {
                    throw malformed(pattern);
                }
                terms.add(term(m.group(4), m.group(5), m.group(6)));
                expectOperand = false;
            }
        }
        if (depth != 0 || expectOperand || terms.isEmpty()) {
            throw malformed(pattern);
        }
        return terms;
    }

    private static Term term(String object, String property, String literal) {
        String path = (object + ":" + property).replace("'", "").replace("-", "").toLowerCase(Locale.ROOT)
                .replace("ipv4addr", "ipv4-addr").replace("ipv6addr", "ipv6-addr")
                .replace("domainname", "domain-name").replace("emailaddr", "email-addr");
        IndicatorType type = PATHS.get(path);
        if (type == null) {
            throw new IllegalArgumentException("unsupported object path '" + object + ":" + property + "'");
        }
        return new Term(type, literal.replace("\\'", "'").replace("\\\\", "\\"));
    }

    private static IllegalArgumentException malformed(String pattern) {
        return new IllegalArgumentException("malformed STIX pattern '" + excerpt(pattern, 0) + "'");
    }

    private static String excerpt(String pattern, int from) {
        String rest = pattern.substring(from).strip();
        return rest.length() > 60 ? rest.substring(0, 60) + "…" : rest;
    }
}
